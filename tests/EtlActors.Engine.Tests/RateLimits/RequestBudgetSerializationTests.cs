using Akka.Actor;
using Akka.Configuration;
using EtlActors.Contracts.Serialization;
using EtlActors.Engine.RateLimits;
using EtlActors.Engine.Serialization;
using static EtlActors.Engine.RateLimits.RequestBudgetCoordinator;

namespace EtlActors.Engine.Tests.RateLimits;

/// <summary>The coordinator's messages cross between nodes (readers everywhere, one singleton) and are never persisted.</summary>
public sealed class RequestBudgetSerializationTests : IDisposable
{
    private static readonly Guid Id = Guid.Parse("6f1c2a4e-9b7d-4c3e-a1f0-2d8e5b6c7a90");
    private readonly ActorSystem _system = ActorSystem.Create("budget-serializer-spec", ConfigurationFactory.Empty);
    private readonly EtlSerializer _serializer;

    public RequestBudgetSerializationTests() => _serializer = new EtlSerializer((ExtendedActorSystem)_system);

    public static TheoryData<object, string> Messages() => new()
    {
        { new Acquire(Id, "api.example.com:443", 2.5, 4, "acme"), "ratelimit.acquire.v1" },
        { new Granted(Id), "ratelimit.granted.v1" },
        { new Release(Id), "ratelimit.release.v1" },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_message_round_trips_under_its_published_manifest(object message, string manifest)
    {
        Assert.Equal(manifest, _serializer.Manifest(message));
        Assert.Equal(message, _serializer.FromBinary(_serializer.ToBinary(message), manifest));
    }

    [Fact]
    public void Every_public_message_of_the_coordinator_is_bound_and_round_tripped_here()
    {
        var messages = typeof(RequestBudgetCoordinator).GetNestedTypes().Where(t => t.IsNestedPublic).ToList();
        var tested = ((IEnumerable<object[]>)Messages()).Select(row => row[0].GetType());

        Assert.Equal(3, messages.Count);
        Assert.All(messages, t => Assert.Contains(t, EtlSerializer.BoundTypes));
        Assert.Equal(messages.OrderBy(t => t.Name), tested.OrderBy(t => t.Name));
        Assert.Empty(EtlSerializer.BoundTypes.Intersect(ContractsSerializer.BoundTypes));
    }

    public void Dispose() => _system.Terminate().Wait();
}
