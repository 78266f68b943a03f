using Akka.Hosting;
using EtlActors.Engine.RateLimits;
using EtlActors.Engine.Tests.Support;
using EtlActors.Pipeline.Connectors.Http;

namespace EtlActors.Engine.Tests.RateLimits;

/// <summary>
/// Readers' gates asking the request-budget singleton of a real one-node engine, as jobs' HTTP readers do. Orders and
/// counts are asserted, never times: with one permit at a time, each grant waits for the previous release, so the
/// order of grants is the coordinator's alone.
/// </summary>
public sealed class RequestBudgetClusterSpecs(RequestBudgetClusterSpecs.Engine engine) : IClassFixture<RequestBudgetClusterSpecs.Engine>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    /// <summary>One engine for the specs here; each spec uses its own host, so their budgets are apart.</summary>
    public sealed class Engine : IAsyncLifetime
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("etl-budget-").FullName;
        private EngineHost _host = null!;

        public ClusterRequestGate Gate { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var options = new EtlEngineOptions { Journal = $"sqlite:{Path.Combine(_dir, "journal.db")}" };
            _host = await EngineHost.StartAsync(options);
            // The gate the engine gives its jobs, built the same way.
            Gate = new ClusterRequestGate(ActorRegistry.For(_host.System).Get<RequestBudgetCoordinator>(), options.RequestRetryInterval);
            // The singleton is up once one permit has come back: the specs' requests then reach it in the order sent.
            await using var warmUp = await Gate.AcquireAsync(new RequestBudget("warm-up:443", 100, 1), "acme", CancellationToken.None).AsTask().WaitAsync(Within);
        }

        public async Task DisposeAsync()
        {
            await _host.DisposeAsync();
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Readers_of_two_tenants_get_permits_in_turn_and_each_tenants_in_order()
    {
        var budget = new RequestBudget("turns.example.com:443", RequestsPerSecond: 2, Concurrent: 1);
        string[] names = ["a1", "a2", "a3", "a4", "b1", "b2"];
        var waiting = names.ToDictionary(n => n, n => engine.Gate.AcquireAsync(budget, n[0] == 'a' ? "acme" : "globex", CancellationToken.None).AsTask());

        List<string> order = [];
        while (waiting.Count > 0)
        {
            var next = await Task.WhenAny(waiting.Values).WaitAsync(Within);
            var name = waiting.Single(w => w.Value == next).Key;
            waiting.Remove(name);
            order.Add(name);
            await (await next).DisposeAsync(); // the response is read: the one permit goes to whoever's turn it is
        }

        // a1 is granted before anyone else waits; then acme and globex alternate, each in the order it asked.
        Assert.Equal(["a1", "a2", "b1", "a3", "b2", "a4"], order);
    }

    [Fact]
    public async Task A_reader_that_stops_waiting_does_not_take_the_next_permit()
    {
        var budget = new RequestBudget("cancel.example.com:443", RequestsPerSecond: 50, Concurrent: 1);
        await using var held = await engine.Gate.AcquireAsync(budget, "acme", CancellationToken.None).AsTask().WaitAsync(Within);
        using var cancellation = new CancellationTokenSource();
        var gaveUp = engine.Gate.AcquireAsync(budget, "acme", cancellation.Token).AsTask();
        var next = engine.Gate.AcquireAsync(budget, "globex", CancellationToken.None).AsTask();

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gaveUp);
        await held.DisposeAsync();

        // Had the cancelled request kept its place, its permit would be out until its lease ran out (2 minutes).
        await using var permit = await next.WaitAsync(Within);
    }
}
