using System.Diagnostics;

namespace EtlActors.Testing.Http;

/// <summary>One request the stub API received, logged as its answer goes out (or when it is dropped).</summary>
/// <param name="Number">1-based, in order of arrival.</param>
/// <param name="At">Arrival on the stub's monotonic clock (time since it started).</param>
/// <param name="Wall">Arrival as wall-clock time (the start's wall time plus <paramref name="At"/>, so the two agree).</param>
/// <param name="Duration">From arrival to its answer going out (its body, when it has one, is sent just after).</param>
/// <param name="PathAndQuery">As requested, e.g. <c>/items?cursor=…&amp;limit=10</c>.</param>
/// <param name="Body">The request body, or null for none.</param>
/// <param name="Tenant">From the tenant header, else the token's tenant, else null.</param>
/// <param name="Status">The status sent; 0 when no response was sent (dropped, or the client went away first).</param>
/// <param name="RecordsServed">Records in a complete 200 page; 0 otherwise.</param>
/// <param name="PageKey">The page asked for (endpoint, position, filter, size), or null for a request that asks for no page.</param>
/// <param name="Page">1-based number of that page in a walk of the filtered records.</param>
/// <param name="Fault">The scripted fault that hit it, if one did.</param>
/// <param name="RetryAfter">The <c>Retry-After</c> sent, as a wait.</param>
/// <param name="RetryNotBefore">On the monotonic clock: a retry of the same page before this ignores the <c>Retry-After</c>.</param>
public sealed record StubRequest(
    int Number,
    TimeSpan At,
    DateTimeOffset Wall,
    TimeSpan Duration,
    string Method,
    string PathAndQuery,
    string? Body,
    string? Tenant,
    int Status,
    int RecordsServed,
    string? PageKey,
    int? Page,
    StubFaultKind? Fault,
    TimeSpan? RetryAfter,
    TimeSpan? RetryNotBefore)
{
    /// <summary>The path without the query.</summary>
    public string Path => PathAndQuery.Split('?', 2)[0];

    /// <summary>A complete 200 response.</summary>
    public bool Served => Status == 200 && Fault != StubFaultKind.Truncate;

    /// <summary>What identifies "the same request again" for Retry-After: the page, else the path and query.</summary>
    internal string RetryKey => $"{Tenant}|{PageKey ?? PathAndQuery}";
}

/// <summary>The stub's clock and its log of requests; safe to add to from concurrent requests.</summary>
internal sealed class StubRequestLog
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly DateTimeOffset _startWall = DateTimeOffset.UtcNow;
    private readonly object _gate = new();
    private readonly List<StubRequest> _entries = [];
    private int _numbers;

    public TimeSpan Now => _clock.Elapsed;

    public DateTimeOffset WallAt(TimeSpan at) => _startWall + at;

    public int NextNumber() => Interlocked.Increment(ref _numbers);

    public void Add(StubRequest entry)
    {
        lock (_gate)
            _entries.Add(entry);
    }

    /// <summary>The answered requests in order of arrival.</summary>
    public IReadOnlyList<StubRequest> Snapshot()
    {
        lock (_gate)
            return [.. _entries.OrderBy(e => e.Number)];
    }
}
