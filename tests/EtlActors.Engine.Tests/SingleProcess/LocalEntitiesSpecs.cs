using System.Collections.Concurrent;
using Akka;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.TestKit;
using EtlActors.Engine.SingleProcess;

namespace EtlActors.Engine.Tests.SingleProcess;

/// <summary>
/// <see cref="LocalEntities"/>, the shard region of an engine of one process: what the job supervisors and
/// transformers rely on sharding for, each step awaited through entities that report to the test and stop
/// only when the test says.
/// </summary>
public sealed class LocalEntitiesSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Backoff = TimeSpan.FromMilliseconds(300);
    private readonly ConcurrentDictionary<string, int> _incarnations = new();
    private readonly TestProbe _reports;

    public LocalEntitiesSpecs(Xunit.Abstractions.ITestOutputHelper output) : base(output: output)
    {
        _reports = CreateTestProbe("reports");
    }

    /// <summary>Addressed to the entity <paramref name="Id"/>.</summary>
    private sealed record To(string Id, string Text);

    private sealed record Echoed(string Id, int Incarnation, string Text);

    private sealed record Stopping(string Id);

    private sealed record Stopped(string Id);

    private sealed class Extractor : IMessageExtractor
    {
        public string? EntityId(object message) => (message as To)?.Id;

        public object? EntityMessage(object message) => (message as To)?.Text;

        public string ShardId(object message) => "0";

        public string ShardId(string entityId, object? messageHint = null) => "0";
    }

    /// <summary>Echoes text with its incarnation; "passivate" asks its parent to stop it, "die" stops it at once, and
    /// the stop message ("stop") is reported and obeyed only when "go" comes straight from the test.</summary>
    private sealed class Entity : ReceiveActor
    {
        private readonly string _id;
        private readonly IActorRef _reports;

        public Entity(string id, int incarnation, IActorRef reports)
        {
            _id = id;
            _reports = reports;
            Receive<string>(t => t == "passivate", _ => Context.Parent.Tell(new Passivate("stop")));
            Receive<string>(t => t == "stop", _ => reports.Tell(new Stopping(id)));
            Receive<string>(t => t is "go" or "die", _ => Context.Stop(Self));
            Receive<string>(t => Sender.Tell(new Echoed(id, incarnation, t)));
        }

        protected override void PostStop() => _reports.Tell(new Stopped(_id));
    }

    private IActorRef Region(TimeSpan? idleAfter = null) => Sys.ActorOf(LocalEntities.Props(
        id => Props.Create(() => new Entity(id, _incarnations.AddOrUpdate(id, 1, (_, n) => n + 1), _reports.Ref)),
        new Extractor(), "stop", Backoff, idleAfter));

    [Fact]
    public void It_starts_one_entity_per_id_on_its_first_message_and_routes_the_rest_to_it()
    {
        var region = Region();
        region.Tell(new To("acme/skype/19:a@thread", "one"));
        ExpectMsg(new Echoed("acme/skype/19:a@thread", 1, "one"));
        var first = LastSender;
        region.Tell(new To("acme/skype/19:a@thread", "two"));
        ExpectMsg(new Echoed("acme/skype/19:a@thread", 1, "two"));
        Assert.Equal(first, LastSender);
        region.Tell(new To("other", "three"));
        ExpectMsg(new Echoed("other", 1, "three"));
        Assert.NotEqual(first, LastSender);
    }

    [Fact]
    public void What_arrives_while_an_entity_passivates_goes_in_order_to_its_next_incarnation()
    {
        var region = Region();
        region.Tell(new To("job", "before"));
        ExpectMsg(new Echoed("job", 1, "before"));
        var entity = LastSender;

        region.Tell(new To("job", "passivate"));
        _reports.ExpectMsg(new Stopping("job"));
        region.Tell(new To("job", "first"));
        region.Tell(new To("job", "second"));
        entity.Tell("go");

        _reports.ExpectMsg(new Stopped("job"));
        ExpectMsg(new Echoed("job", 2, "first"));
        ExpectMsg(new Echoed("job", 2, "second"));
    }

    [Fact]
    public void An_entity_that_stops_by_itself_starts_again_after_the_backoff_with_what_arrived_meanwhile()
    {
        var region = Region();
        region.Tell(new To("job", "before"));
        ExpectMsg(new Echoed("job", 1, "before"));
        var started = DateTime.UtcNow;

        region.Tell(new To("job", "die"));
        _reports.ExpectMsg(new Stopped("job"));
        region.Tell(new To("job", "after"));

        ExpectMsg(new Echoed("job", 2, "after"), TimeSpan.FromSeconds(5));
        Assert.True(DateTime.UtcNow - started >= Backoff, "restarted before the backoff");
    }

    [Fact]
    public void Hand_off_stops_every_entity_with_the_stop_message_and_answers_once_all_have_stopped()
    {
        var region = Region();
        region.Tell(new To("a", "hello"));
        ExpectMsg(new Echoed("a", 1, "hello"));
        var a = LastSender;
        region.Tell(new To("b", "hello"));
        ExpectMsg(new Echoed("b", 1, "hello"));
        var b = LastSender;

        var asker = CreateTestProbe();
        region.Tell(LocalEntities.HandOffAll.Instance, asker);
        _reports.ExpectMsgAllOf([new Stopping("a"), new Stopping("b")]);
        a.Tell("go");
        _reports.ExpectMsg(new Stopped("a"));
        b.Tell("go");
        _reports.ExpectMsg(new Stopped("b"));
        asker.ExpectMsg<Done>();
        Assert.Equal(1, _incarnations["a"]);
        Assert.Equal(1, _incarnations["b"]);
    }

    [Fact]
    public void An_idle_entity_is_stopped_and_the_next_message_starts_it_again()
    {
        var region = Region(idleAfter: TimeSpan.FromMilliseconds(200));
        region.Tell(new To("conversation", "one"));
        ExpectMsg(new Echoed("conversation", 1, "one"));
        var entity = LastSender;

        _reports.ExpectMsg(new Stopping("conversation"), TimeSpan.FromSeconds(5));
        entity.Tell("go");
        _reports.ExpectMsg(new Stopped("conversation"));
        region.Tell(new To("conversation", "two"));
        ExpectMsg(new Echoed("conversation", 2, "two"));
    }
}
