using EtlActors.Engine.RateLimits;
using static EtlActors.Engine.RateLimits.RequestBudgetState;

namespace EtlActors.Engine.Tests.RateLimits;

/// <summary>The budget's rules one decision at a time, on a clock the test sets.</summary>
public sealed class RequestBudgetStateTests
{
    private const string Host = "api.example.com:443";
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly RequestBudgetSettings Settings = RequestBudgetSettings.Default;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1) + Settings.Margin;

    private RequestBudgetState _state = Empty(Settings);

    private static Request Req(string tenant = "acme", double rps = 10, int concurrent = 10) => new(Guid.NewGuid(), Host, tenant, rps, concurrent);

    private Decision Do(Func<RequestBudgetState, Decision> step)
    {
        var decision = step(_state);
        _state = decision.State;
        return decision;
    }

    private List<Guid> Granted(Decision decision) => decision.Granted.Select(r => r.RequestId).ToList();

    [Fact]
    public void Requests_within_the_budget_are_granted_at_once_and_the_next_one_waits_for_the_window()
    {
        var (a, b, c) = (Req(rps: 2), Req(rps: 2), Req(rps: 2));

        Assert.Equal([a.RequestId], Granted(Do(s => s.Acquire(a, T0))));
        Assert.Equal([b.RequestId], Granted(Do(s => s.Acquire(b, T0))));
        var waits = Do(s => s.Acquire(c, T0));

        Assert.Empty(waits.Granted);
        Assert.Equal(T0 + Window, waits.WakeAt);
        Assert.Empty(Do(s => s.Tick(T0 + Window - TimeSpan.FromMilliseconds(1))).Granted);
        Assert.Equal([c.RequestId], Granted(Do(s => s.Tick(T0 + Window))));
    }

    [Fact]
    public void Below_one_request_a_second_grants_are_spaced_one_over_the_rate_plus_the_margin()
    {
        var (a, b) = (Req(rps: 0.25), Req(rps: 0.25));
        Do(s => s.Acquire(a, T0));

        var waits = Do(s => s.Acquire(b, T0));

        Assert.Equal(T0 + TimeSpan.FromSeconds(4) + Settings.Margin, waits.WakeAt);
    }

    [Fact]
    public void Tenants_waiting_are_served_in_turn_and_each_tenants_requests_in_order()
    {
        var (a1, a2, a3, b1, b2) = (Req("acme", concurrent: 1), Req("acme", concurrent: 1), Req("acme", concurrent: 1), Req("globex", concurrent: 1), Req("globex", concurrent: 1));
        List<Request> order = [];
        foreach (var r in new[] { a1, a2, a3, b1, b2 })
            order.AddRange(Do(s => s.Acquire(r, T0)).Granted);

        // Each release frees the one permit; the clock stays within the rate (10/s).
        for (var i = 0; order.Count < 5; i++)
            order.AddRange(Do(s => s.Release(order[^1].RequestId, T0 + TimeSpan.FromMilliseconds(200 * (i + 1)))).Granted);

        Assert.Equal([a1, a2, b1, a3, b2], order);
    }

    [Fact]
    public void At_most_the_concurrent_permits_are_out_and_a_release_grants_the_next()
    {
        var requests = Enumerable.Range(0, 4).Select(_ => Req(concurrent: 3)).ToList();
        var granted = requests.SelectMany(r => Do(s => s.Acquire(r, T0)).Granted).ToList();

        Assert.Equal(requests.Take(3), granted);
        var release = Do(s => s.Release(requests[1].RequestId, T0));
        Assert.Equal([requests[3]], release.Granted);
        Assert.Equal(3, _state.Hosts[Host].Outstanding.Count);
    }

    [Fact]
    public void A_permit_not_released_within_its_lease_is_taken_back_and_its_slot_granted()
    {
        var (held, next) = (Req(concurrent: 1), Req(concurrent: 1));
        var first = Do(s => s.Acquire(held, T0));
        Assert.Equal(T0 + Settings.Lease, first.WakeAt);
        Do(s => s.Acquire(next, T0 + Settings.Lease - TimeSpan.FromSeconds(5)));

        var expired = Do(s => s.Tick(T0 + Settings.Lease));

        Assert.Equal([held], expired.Reclaimed);
        Assert.Equal([next], expired.Granted);
        // A late release of the reclaimed permit frees nothing: the slot is next's now.
        var late = Req(concurrent: 1);
        Do(s => s.Acquire(late, T0 + Settings.Lease + TimeSpan.FromSeconds(1)));
        Assert.Empty(Do(s => s.Release(held.RequestId, T0 + Settings.Lease + TimeSpan.FromSeconds(2))).Granted);
    }

    [Fact]
    public void A_waiting_request_not_asked_for_again_is_dropped_and_one_asked_for_again_keeps_its_place()
    {
        var (holder, renewed, gone) = (Req(concurrent: 1), Req("acme", concurrent: 1), Req("globex", concurrent: 1));
        Do(s => s.Acquire(holder, T0));
        Do(s => s.Acquire(gone, T0));
        Do(s => s.Acquire(renewed, T0));

        Do(s => s.Acquire(renewed, T0 + Settings.AbandonAfter / 2));
        var dropped = Do(s => s.Tick(T0 + Settings.AbandonAfter));

        Assert.Equal([gone], dropped.Abandoned);
        Assert.Equal([renewed], Do(s => s.Release(holder.RequestId, T0 + Settings.AbandonAfter)).Granted);
    }

    [Fact]
    public void The_lowest_budget_among_the_requests_waiting_and_out_is_the_hosts()
    {
        var slow = Req(rps: 2, concurrent: 10);
        var fast = Enumerable.Range(0, 5).Select(_ => Req(rps: 10, concurrent: 10)).ToList();

        var granted = new[] { slow }.Concat(fast).SelectMany(r => Do(s => s.Acquire(r, T0)).Granted).ToList();
        Assert.Equal([slow, fast[0]], granted); // 2/s while the slow job's request is out

        // Once it is released, the host's budget is the fast job's again: 10/s, of which 2 are used in this window.
        var released = Do(s => s.Release(slow.RequestId, T0 + TimeSpan.FromMilliseconds(100)));
        Assert.Equal(fast.Skip(1), released.Granted);
    }

    [Fact]
    public void The_lowest_concurrency_holds_too()
    {
        var wide = Req(concurrent: 5);
        var narrow = Req(concurrent: 1);
        Do(s => s.Acquire(wide, T0));

        Assert.Empty(Do(s => s.Acquire(narrow, T0)).Granted);
        Assert.Equal([narrow], Do(s => s.Release(wide.RequestId, T0)).Granted);
    }

    [Fact]
    public void Asking_again_for_a_request_is_idempotent()
    {
        var (a, b, c) = (Req(concurrent: 1), Req(concurrent: 1), Req(concurrent: 1));
        Do(s => s.Acquire(a, T0));
        Do(s => s.Acquire(b, T0));
        Do(s => s.Acquire(c, T0));

        // The grant of a was lost: it is granted again, not twice over.
        Assert.Equal([a], Do(s => s.Acquire(a, T0 + TimeSpan.FromSeconds(3))).Granted);
        Assert.Single(_state.Hosts[Host].Outstanding);
        // b asks again while waiting: still one request, still ahead of c.
        Assert.Empty(Do(s => s.Acquire(b, T0 + TimeSpan.FromSeconds(3))).Granted);
        Assert.Equal(2, _state.Hosts[Host].WaitingCount);
        Assert.Equal([b], Do(s => s.Release(a.RequestId, T0 + TimeSpan.FromSeconds(4))).Granted);
    }

    [Fact]
    public void An_idle_host_is_forgotten_once_its_last_grant_no_longer_paces_the_next()
    {
        var a = Req();
        Do(s => s.Acquire(a, T0));
        Do(s => s.Release(a.RequestId, T0 + TimeSpan.FromMilliseconds(10)));
        Assert.True(_state.Hosts.ContainsKey(Host));

        var later = Do(s => s.Tick(T0 + Window));

        Assert.Empty(later.State.Hosts);
        Assert.Empty(later.State.HostOf);
        Assert.Null(later.WakeAt);
    }

    [Fact]
    public void The_engine_options_set_the_margin_and_the_lease_and_a_waiting_request_is_dropped_after_five_missed_retries()
    {
        var settings = RequestBudgetSettings.From(new EtlEngineOptions
        {
            RequestBudgetMargin = TimeSpan.FromMilliseconds(250), RequestLease = TimeSpan.FromMinutes(5), RequestRetryInterval = TimeSpan.FromSeconds(2),
        });

        Assert.Equal(new RequestBudgetSettings(TimeSpan.FromMilliseconds(250), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10)), settings);
        Assert.Equal(RequestBudgetSettings.Default, RequestBudgetSettings.From(new EtlEngineOptions()));
        Assert.Throws<ArgumentException>(() => new EtlEngineOptions { RequestBudgetMargin = TimeSpan.FromMilliseconds(-1) }.Validate());
        Assert.Throws<ArgumentException>(() => new EtlEngineOptions { RequestLease = TimeSpan.Zero }.Validate());
        Assert.Throws<ArgumentException>(() => new EtlEngineOptions { RequestRetryInterval = TimeSpan.Zero }.Validate());
    }

    [Theory]
    [InlineData(0.0, 1)]
    [InlineData(-1.0, 1)]
    [InlineData(double.NaN, 1)]
    [InlineData(double.PositiveInfinity, 1)]
    [InlineData(5.0, 0)]
    public void A_budget_that_cannot_be_paced_is_refused(double rps, int concurrent)
    {
        Assert.False(IsValid(rps, concurrent));
        Assert.Throws<ArgumentException>(() => _state.Acquire(Req(rps: rps, concurrent: concurrent), T0));
    }
}
