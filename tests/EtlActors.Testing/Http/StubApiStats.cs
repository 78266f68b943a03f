namespace EtlActors.Testing.Http;

/// <summary>A request that came back for the same page sooner than a <c>Retry-After</c> allowed.</summary>
/// <param name="Throttled">The response that carried the <c>Retry-After</c>.</param>
/// <param name="Early">The next request for the same page (same tenant).</param>
/// <param name="TooEarlyBy">How much sooner than allowed it arrived.</param>
public sealed record RetryAfterViolation(StubRequest Throttled, StubRequest Early, TimeSpan TooEarlyBy);

/// <summary>The most requests that arrived within one window.</summary>
/// <param name="Aligned">Over windows aligned to wall-clock multiples of the length (10:00:00–10:00:01, …): what a per-second budget counts.</param>
/// <param name="Sliding">Over any window of the length, wherever it starts: never less than <paramref name="Aligned"/>.</param>
public readonly record struct WindowPeak(int Aligned, int Sliding);

/// <summary>Figures over the stub's log at the time they were asked for.</summary>
public sealed class StubApiStats
{
    private readonly IReadOnlyList<StubRequest> _log;

    /// <summary>Figures over <paramref name="log"/>: <see cref="StubApi.Stats"/> passes the whole log; a test may pass a part of it.</summary>
    public StubApiStats(IReadOnlyList<StubRequest> log) => _log = log;

    /// <summary>Every request answered, whatever the status (token requests and faults included).</summary>
    public int RequestsServed => _log.Count;

    /// <summary>Records in complete 200 pages.</summary>
    public int RecordsServed => _log.Sum(e => e.RecordsServed);

    /// <summary>
    /// Pages served complete with 200 more than once to the same tenant (by page key): the extra times, summed. Per
    /// tenant, so that two tenants walking the same pages is no re-fetch; without tenants, per page key.
    /// </summary>
    public int PagesRefetched => ServedPages().Sum(g => g.Count() - 1);

    /// <summary>The page keys behind <see cref="PagesRefetched"/>, of one tenant's requests or (null) of any.</summary>
    public IReadOnlyList<string> RefetchedPages(string? tenant = null) =>
        [.. ServedPages().Where(g => g.Count() > 1 && (tenant is null || g.Key.Tenant == tenant)).Select(g => g.Key.PageKey).Distinct()];

    /// <summary>Requests per tenant; requests without a tenant count under "".</summary>
    public IReadOnlyDictionary<string, int> RequestsByTenant =>
        _log.GroupBy(e => e.Tenant ?? "").ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Tokens the OAuth endpoint issued.</summary>
    public int TokensIssued => _log.Count(e => e.Path == StubAuth.TokenPath && e.Status == 200);

    /// <summary>The most requests (those <paramref name="which"/> selects, else all) that arrived in one <paramref name="window"/>.</summary>
    public WindowPeak MaxRequestsInAnyWindow(TimeSpan window, Func<StubRequest, bool>? which = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        var picked = _log.Where(which ?? (_ => true)).ToArray();
        var aligned = picked.GroupBy(e => e.Wall.UtcTicks / window.Ticks).Select(g => g.Count()).DefaultIfEmpty(0).Max();
        // Two pointers over arrival times: the most arrivals within [t, t + window) for any t.
        var times = picked.Select(e => e.At).Order().ToArray();
        var sliding = 0;
        for (int first = 0, last = 0; last < times.Length; last++)
        {
            while (times[last] - times[first] >= window)
                first++;
            sliding = Math.Max(sliding, last - first + 1);
        }
        return new WindowPeak(aligned, sliding);
    }

    private IEnumerable<IGrouping<(string? Tenant, string PageKey), StubRequest>> ServedPages() =>
        _log.Where(e => e.Served && e.PageKey is not null).GroupBy(e => (e.Tenant, e.PageKey!));

    /// <summary>
    /// Each time a response with <c>Retry-After</c> was followed by a request for the same page, by the same tenant,
    /// that arrived before the wait was over. Empty when every client waited.
    /// </summary>
    public IReadOnlyList<RetryAfterViolation> RetryAfterRespected()
    {
        var violations = new List<RetryAfterViolation>();
        foreach (var throttled in _log.Where(e => e.RetryNotBefore is not null))
        {
            // Arriving before the throttled response was sent, a request cannot be its retry.
            var sent = throttled.At + throttled.Duration;
            var next = _log.FirstOrDefault(e => e.Number > throttled.Number && e.At >= sent && e.RetryKey == throttled.RetryKey);
            if (next is not null && next.At < throttled.RetryNotBefore)
                violations.Add(new RetryAfterViolation(throttled, next, throttled.RetryNotBefore.Value - next.At));
        }
        return violations;
    }
}
