using System.Collections.Immutable;

namespace EtlActors.Engine.RateLimits;

/// <summary>
/// One host's line and pace: the requests waiting per tenant, the permits out, and the recent grants the
/// rate is counted over. Part of <see cref="RequestBudgetState"/>, which says when to grant; pure.
/// </summary>
/// <param name="Turn">Tenants with waiting requests, the next to be served first (round-robin).</param>
/// <param name="Waiting">Each tenant's waiting requests, oldest first.</param>
/// <param name="Outstanding">Granted and not yet released, by request id.</param>
/// <param name="RecentGrants">When requests were granted, oldest first: those of the last window, and always the last one.</param>
/// <param name="ForgetAt">When the last grant stops mattering to the pace: an idle host is dropped from then on.</param>
public sealed record HostBudget(
    ImmutableList<string> Turn,
    ImmutableDictionary<string, ImmutableList<HostBudget.Waiter>> Waiting,
    ImmutableDictionary<Guid, HostBudget.Lease> Outstanding,
    ImmutableList<DateTimeOffset> RecentGrants,
    DateTimeOffset ForgetAt)
{
    /// <summary>A waiting request and when its requester last asked for it.</summary>
    public sealed record Waiter(RequestBudgetState.Request Request, DateTimeOffset LastSeen);

    /// <summary>A permit out and when it was granted.</summary>
    public sealed record Lease(RequestBudgetState.Request Request, DateTimeOffset GrantedAt);

    /// <summary>The budget in force: grants per window, the window, and permits out at once.</summary>
    public readonly record struct Pace(int PerWindow, TimeSpan Window, int Concurrent);

    public static readonly HostBudget Empty = new([], ImmutableDictionary<string, ImmutableList<Waiter>>.Empty, ImmutableDictionary<Guid, Lease>.Empty, [], DateTimeOffset.MinValue);

    public bool HasWaiting => Turn.Count > 0;

    public int WaitingCount => Waiting.Values.Sum(w => w.Count);

    /// <summary>Nothing waits, nothing is out, and the pace no longer depends on past grants.</summary>
    public bool IsIdle(DateTimeOffset now) => !HasWaiting && Outstanding.IsEmpty && now >= ForgetAt;

    /// <summary>
    /// The lowest budget among the requests waiting and out: two jobs may configure one host differently, and only
    /// the strictest keeps every one of them within what the host allows. Null when none waits or is out.
    /// </summary>
    public Pace? Budget(TimeSpan margin)
    {
        var requests = Waiting.Values.SelectMany(w => w.Select(x => x.Request)).Concat(Outstanding.Values.Select(l => l.Request)).ToList();
        if (requests.Count == 0)
            return null;
        var rps = requests.Min(r => r.RequestsPerSecond);
        var concurrent = requests.Min(r => r.Concurrent);
        // A server counts whole requests in its 1 s windows, so 2.5/s admits 2 in any second; below 1/s a request
        // waits 1/rps after the previous one. The margin covers the jitter between our grant and the request's
        // arrival: without it two grants 1 s apart can land in one server window as N+1 requests.
        return rps >= 1
            ? new Pace((int)Math.Floor(rps), TimeSpan.FromSeconds(1) + margin, concurrent)
            : new Pace(1, TimeSpan.FromSeconds(1 / rps) + margin, concurrent);
    }

    /// <summary>The earliest time the next grant keeps any <c>PerWindow + 1</c> consecutive grants a full window apart.</summary>
    public DateTimeOffset NextGrantAt(Pace pace) =>
        RecentGrants.Count >= pace.PerWindow ? RecentGrants[RecentGrants.Count - pace.PerWindow] + pace.Window : DateTimeOffset.MinValue;

    /// <summary>Puts a new request at the end of its tenant's line; a tenant that had none joins the end of the turn.</summary>
    public HostBudget Enqueue(RequestBudgetState.Request request, DateTimeOffset now)
    {
        var line = Waiting.GetValueOrDefault(request.TenantId) ?? [];
        return this with
        {
            Turn = line.IsEmpty ? Turn.Add(request.TenantId) : Turn,
            Waiting = Waiting.SetItem(request.TenantId, line.Add(new Waiter(request, now))),
        };
    }

    /// <summary>The requester asked again: the request keeps its place and is not abandoned.</summary>
    public HostBudget Renew(Guid requestId, DateTimeOffset now)
    {
        foreach (var (tenant, line) in Waiting)
        {
            var index = line.FindIndex(w => w.Request.RequestId == requestId);
            if (index >= 0)
                return this with { Waiting = Waiting.SetItem(tenant, line.SetItem(index, line[index] with { LastSeen = now })) };
        }
        return this;
    }

    /// <summary>Takes a request out, waiting or granted; unknown ids change nothing.</summary>
    public HostBudget Remove(Guid requestId)
    {
        if (Outstanding.ContainsKey(requestId))
            return this with { Outstanding = Outstanding.Remove(requestId) };
        foreach (var (tenant, line) in Waiting)
        {
            var index = line.FindIndex(w => w.Request.RequestId == requestId);
            if (index < 0)
                continue;
            var rest = line.RemoveAt(index);
            return rest.IsEmpty
                ? this with { Waiting = Waiting.Remove(tenant), Turn = Turn.Remove(tenant) }
                : this with { Waiting = Waiting.SetItem(tenant, rest) };
        }
        return this;
    }

    /// <summary>
    /// Grants the oldest request of the tenant whose turn it is; the tenant goes to the end of the turn if it has
    /// more waiting, so busy tenants alternate whatever the length of their lines.
    /// </summary>
    public (HostBudget Host, RequestBudgetState.Request Granted) GrantNext(DateTimeOffset now, Pace pace, TimeSpan margin)
    {
        var tenant = Turn[0];
        var line = Waiting[tenant];
        var request = line[0].Request;
        var rest = line.RemoveAt(0);
        // Grants older than a 1 s window no longer count toward PerWindow ≥ 2; the last one always counts below 1/s.
        var horizon = now - (TimeSpan.FromSeconds(1) + margin);
        var grants = RecentGrants.Add(now);
        grants = grants.RemoveRange(0, grants.Take(grants.Count - 1).TakeWhile(g => g <= horizon).Count());
        var host = this with
        {
            Turn = rest.IsEmpty ? Turn.RemoveAt(0) : Turn.RemoveAt(0).Add(tenant),
            Waiting = rest.IsEmpty ? Waiting.Remove(tenant) : Waiting.SetItem(tenant, rest),
            Outstanding = Outstanding.Add(request.RequestId, new Lease(request, now)),
            RecentGrants = grants,
            ForgetAt = now + pace.Window,
        };
        return (host, request);
    }

    /// <summary>
    /// Takes back permits held longer than <paramref name="lease"/> (their node most likely died holding them) and
    /// drops waiting requests not asked for again within <paramref name="abandonAfter"/> (their requester is gone).
    /// </summary>
    public (HostBudget Host, List<RequestBudgetState.Request> Reclaimed, List<RequestBudgetState.Request> Abandoned) Expire(
        DateTimeOffset now, TimeSpan lease, TimeSpan abandonAfter)
    {
        var reclaimed = Outstanding.Values.Where(l => now - l.GrantedAt >= lease).Select(l => l.Request).ToList();
        var abandoned = Waiting.Values.SelectMany(w => w).Where(w => now - w.LastSeen >= abandonAfter).Select(w => w.Request).ToList();
        var host = reclaimed.Concat(abandoned).Aggregate(this, (h, r) => h.Remove(r.RequestId));
        return (host, reclaimed, abandoned);
    }

    /// <summary>When the next lease runs out or the next waiting request is abandoned, if any.</summary>
    public DateTimeOffset? NextExpiry(TimeSpan lease, TimeSpan abandonAfter) =>
        Outstanding.Values.Select(l => l.GrantedAt + lease)
            .Concat(Waiting.Values.SelectMany(w => w).Select(w => w.LastSeen + abandonAfter))
            .Select(t => (DateTimeOffset?)t)
            .Min();
}
