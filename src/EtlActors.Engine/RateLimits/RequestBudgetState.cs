using System.Collections.Immutable;

namespace EtlActors.Engine.RateLimits;

/// <summary>How the request-budget coordinator paces and forgets requests.</summary>
/// <param name="Margin">
/// Added to every rate window: a grant reaches the server after some network jitter, so grants exactly 1 s apart
/// could land in one of the server's 1 s windows as one request too many. 100 ms covers a grant's hop across nodes and a
/// busy node's thread hop before it sends (50 ms was measured too little on 2 cores running two nodes).
/// </param>
/// <param name="Lease">A permit not released within this long is taken back: its node most likely died holding it.</param>
/// <param name="AbandonAfter">A waiting request its requester has not asked for again within this long is dropped: the requester is gone.</param>
public sealed record RequestBudgetSettings(TimeSpan Margin, TimeSpan Lease, TimeSpan AbandonAfter)
{
    /// <summary>100 ms margin, 2 min lease, abandoned after 15 s (five retries of a requester asking every 3 s).</summary>
    public static readonly RequestBudgetSettings Default = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(15));

    /// <summary>
    /// The engine's settings: the margin of <see cref="EtlEngineOptions.RequestBudgetMargin"/>; requesters ask again every <see cref="EtlEngineOptions.RequestRetryInterval"/>, so a
    /// request missing five of those has no one waiting for it.
    /// </summary>
    public static RequestBudgetSettings From(EtlEngineOptions options) =>
        Default with { Margin = options.RequestBudgetMargin, Lease = options.RequestLease, AbandonAfter = options.RequestRetryInterval * 5 };
}

/// <summary>
/// Every host's HTTP request budget, shared by every job on every node: grants requests so that no host gets more
/// than its requests per second in any window (plus a margin) nor more than its concurrent permits, serving the
/// tenants that wait in turn (FIFO within a tenant). Pure: time is a parameter, and every call returns the next
/// state with what to grant now and when to call <see cref="Tick"/> next. Kept in memory only: a coordinator that
/// moves starts empty and requesters ask again, so nothing here is persisted.
/// </summary>
/// <param name="Settings">Margin, lease and abandonment.</param>
/// <param name="Hosts">By host (<c>host:port</c>); a host is dropped once idle.</param>
/// <param name="HostOf">The host of every request waiting or out, by request id.</param>
public sealed record RequestBudgetState(
    RequestBudgetSettings Settings,
    ImmutableDictionary<string, HostBudget> Hosts,
    ImmutableDictionary<Guid, string> HostOf)
{
    /// <summary>One HTTP request a tenant's job wants to start, with the budget its job configured for the host.</summary>
    public sealed record Request(Guid RequestId, string Host, string TenantId, double RequestsPerSecond, int Concurrent);

    /// <summary>
    /// What a call decided: the next state; requests granted now (including one asked for again after its grant was
    /// lost); permits taken back and waiting requests dropped; and when to <see cref="Tick"/> next (null: nothing
    /// is due until a request arrives or is released).
    /// </summary>
    public sealed record Decision(
        RequestBudgetState State,
        IReadOnlyList<Request> Granted,
        IReadOnlyList<Request> Reclaimed,
        IReadOnlyList<Request> Abandoned,
        DateTimeOffset? WakeAt);

    public static RequestBudgetState Empty(RequestBudgetSettings settings) =>
        new(settings, ImmutableDictionary<string, HostBudget>.Empty, ImmutableDictionary<Guid, string>.Empty);

    /// <summary>
    /// Whether a budget can be paced: a positive rate of at least one request a day (a slower one would overflow the
    /// window) and at least one permit at once.
    /// </summary>
    public static bool IsValid(double requestsPerSecond, int concurrent) =>
        double.IsFinite(requestsPerSecond) && requestsPerSecond >= 1.0 / 86_400 && concurrent >= 1;

    /// <summary>
    /// A requester asks for a permit. Idempotent by request id, since requesters ask again when no answer comes:
    /// a waiting request keeps its place (and is renewed), a granted one is granted again (the grant was lost).
    /// </summary>
    /// <exception cref="ArgumentException">The budget is not <see cref="IsValid"/>.</exception>
    public Decision Acquire(Request request, DateTimeOffset now)
    {
        if (!IsValid(request.RequestsPerSecond, request.Concurrent))
            throw new ArgumentException($"request budget of {request.Host}: {request.RequestsPerSecond}/s and {request.Concurrent} at once cannot be paced", nameof(request));
        var (state, reclaimed, abandoned) = Expire(now);
        List<Request> regranted = [];
        if (state.HostOf.TryGetValue(request.RequestId, out var known))
        {
            var host = state.Hosts[known];
            if (host.Outstanding.TryGetValue(request.RequestId, out var lease))
                regranted.Add(lease.Request);
            else
                state = state with { Hosts = state.Hosts.SetItem(known, host.Renew(request.RequestId, now)) };
        }
        else
        {
            var host = state.Hosts.GetValueOrDefault(request.Host) ?? HostBudget.Empty;
            state = state with
            {
                Hosts = state.Hosts.SetItem(request.Host, host.Enqueue(request, now)),
                HostOf = state.HostOf.Add(request.RequestId, request.Host),
            };
        }
        return state.GrantDue(now, regranted, reclaimed, abandoned);
    }

    /// <summary>A permit is released, or a waiting request abandoned by its requester (cancelled); unknown ids change nothing.</summary>
    public Decision Release(Guid requestId, DateTimeOffset now)
    {
        var (state, reclaimed, abandoned) = Expire(now);
        if (state.HostOf.TryGetValue(requestId, out var host))
        {
            state = state with
            {
                Hosts = state.Hosts.SetItem(host, state.Hosts[host].Remove(requestId)),
                HostOf = state.HostOf.Remove(requestId),
            };
        }
        return state.GrantDue(now, [], reclaimed, abandoned);
    }

    /// <summary>Time has passed: grants what has become due, takes back expired leases, drops abandoned requests.</summary>
    public Decision Tick(DateTimeOffset now)
    {
        var (state, reclaimed, abandoned) = Expire(now);
        return state.GrantDue(now, [], reclaimed, abandoned);
    }

    private (RequestBudgetState State, List<Request> Reclaimed, List<Request> Abandoned) Expire(DateTimeOffset now)
    {
        var state = this;
        List<Request> reclaimed = [], abandoned = [];
        foreach (var (name, host) in Hosts)
        {
            var expired = host.Expire(now, Settings.Lease, Settings.AbandonAfter);
            if (expired.Reclaimed.Count == 0 && expired.Abandoned.Count == 0)
                continue;
            reclaimed.AddRange(expired.Reclaimed);
            abandoned.AddRange(expired.Abandoned);
            state = state with
            {
                Hosts = state.Hosts.SetItem(name, expired.Host),
                HostOf = state.HostOf.RemoveRange(expired.Reclaimed.Concat(expired.Abandoned).Select(r => r.RequestId)),
            };
        }
        return (state, reclaimed, abandoned);
    }

    private Decision GrantDue(DateTimeOffset now, List<Request> granted, List<Request> reclaimed, List<Request> abandoned)
    {
        var hosts = Hosts;
        DateTimeOffset? wakeAt = null;
        foreach (var (name, start) in Hosts)
        {
            var host = start;
            while (host.HasWaiting)
            {
                var pace = host.Budget(Settings.Margin)!.Value;
                if (host.Outstanding.Count >= pace.Concurrent)
                    break; // a release wakes the line, not the clock
                var next = host.NextGrantAt(pace);
                if (next > now)
                {
                    wakeAt = Earliest(wakeAt, next);
                    break;
                }
                (host, var request) = host.GrantNext(now, pace, Settings.Margin);
                granted.Add(request);
            }
            wakeAt = Earliest(wakeAt, host.NextExpiry(Settings.Lease, Settings.AbandonAfter));
            hosts = host.IsIdle(now) ? hosts.Remove(name) : hosts.SetItem(name, host);
        }
        return new Decision(this with { Hosts = hosts }, granted, reclaimed, abandoned, wakeAt);
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
