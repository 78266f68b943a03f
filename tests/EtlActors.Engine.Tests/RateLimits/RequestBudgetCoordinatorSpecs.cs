using System.Collections.Concurrent;
using Akka.Actor;
using Akka.TestKit;
using EtlActors.Engine.RateLimits;
using EtlActors.Pipeline.Connectors.Http;
using static EtlActors.Engine.RateLimits.RequestBudgetCoordinator;

namespace EtlActors.Engine.Tests.RateLimits;

/// <summary>The coordinator actor answering on the real clock, and the gate's side of the protocol against a probe.</summary>
public sealed class RequestBudgetCoordinatorSpecs(Xunit.Abstractions.ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private const string Host = "api.example.com:443";

    private static Acquire Ask(double rps = 100, int concurrent = 10, string tenant = "acme") => new(Guid.NewGuid(), Host, rps, concurrent, tenant);

    private IActorRef Coordinator() => Sys.ActorOf(RequestBudgetCoordinator.Props(RequestBudgetSettings.Default));

    [Fact]
    public async Task Grants_within_the_concurrency_and_a_release_frees_a_slot()
    {
        var coordinator = Coordinator();
        var (a, b, c) = (Ask(concurrent: 2), Ask(concurrent: 2), Ask(concurrent: 2));

        coordinator.Tell(a);
        coordinator.Tell(b);
        coordinator.Tell(c);
        coordinator.Tell(b); // b again: its grant is sent again, after c would have been granted had it fit

        Assert.Equal(a.RequestId, (await ExpectMsgAsync<Granted>()).RequestId);
        Assert.Equal(b.RequestId, (await ExpectMsgAsync<Granted>()).RequestId);
        Assert.Equal(b.RequestId, (await ExpectMsgAsync<Granted>()).RequestId);
        coordinator.Tell(new Release(a.RequestId));
        Assert.Equal(c.RequestId, (await ExpectMsgAsync<Granted>()).RequestId);
    }

    [Fact]
    public async Task A_request_beyond_the_rate_is_granted_when_its_window_comes()
    {
        var coordinator = Coordinator();
        var requests = Enumerable.Range(0, 3).Select(_ => Ask(rps: 2)).ToList();

        foreach (var r in requests)
            coordinator.Tell(r);

        var granted = new List<Guid>();
        for (var i = 0; i < 3; i++)
            granted.Add((await ExpectMsgAsync<Granted>(TimeSpan.FromSeconds(10))).RequestId);
        Assert.Equal(requests.Select(r => r.RequestId), granted);
    }

    [Fact]
    public async Task A_budget_that_cannot_be_paced_is_ignored_and_the_coordinator_goes_on()
    {
        var coordinator = Coordinator();
        coordinator.Tell(Ask(rps: 0));
        var fine = Ask();
        coordinator.Tell(fine);

        Assert.Equal(fine.RequestId, (await ExpectMsgAsync<Granted>()).RequestId);
    }

    [Fact]
    public async Task The_gate_asks_again_under_the_same_id_until_granted_and_releases_once()
    {
        var coordinator = CreateTestProbe();
        var asked = new ConcurrentQueue<Acquire>();
        coordinator.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
        {
            // The first ask goes unanswered, as when the singleton is moving; every later one is granted.
            if (message is Acquire acquire)
            {
                asked.Enqueue(acquire);
                if (asked.Count > 1)
                    sender.Tell(new Granted(acquire.RequestId));
            }
            return AutoPilot.KeepRunning;
        }));
        var gate = new ClusterRequestGate(coordinator, TimeSpan.FromMilliseconds(300));

        var permit = await gate.AcquireAsync(new RequestBudget(Host, 5, 2), "acme", CancellationToken.None);
        await permit.DisposeAsync();
        await permit.DisposeAsync();
        coordinator.Ref.Tell("done"); // after whatever the disposals sent

        var id = asked.First().RequestId;
        Assert.True(asked.Count >= 2);
        Assert.All(asked, a => Assert.Equal(new Acquire(id, Host, 5, 2, "acme"), a));
        var received = new List<object>();
        for (object m; !Equals(m = await coordinator.ExpectMsgAsync<object>(), "done");)
            received.Add(m);
        Assert.Equal([new Release(id)], received.OfType<Release>());
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_the_line()
    {
        var coordinator = CreateTestProbe();
        var gate = new ClusterRequestGate(coordinator, TimeSpan.FromSeconds(30));
        using var cancellation = new CancellationTokenSource();

        var permit = gate.AcquireAsync(new RequestBudget(Host, 5, 2), "acme", cancellation.Token).AsTask();
        var asked = await coordinator.ExpectMsgAsync<Acquire>();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => permit);
        Assert.Equal(asked.RequestId, (await coordinator.ExpectMsgAsync<Release>()).RequestId);
    }

    [Fact]
    public async Task The_gate_refuses_a_budget_that_cannot_be_paced_without_asking()
    {
        var coordinator = CreateTestProbe();
        var gate = new ClusterRequestGate(coordinator, TimeSpan.FromSeconds(3));

        await Assert.ThrowsAsync<ArgumentException>(() => gate.AcquireAsync(new RequestBudget(Host, 0, 2), "acme", CancellationToken.None).AsTask());
        Assert.False(coordinator.HasMessages); // refused before anything was sent
    }
}
