namespace EtlActors.Testing.Http;

/// <summary>What a scripted fault does to the request it matches.</summary>
public enum StubFaultKind
{
    /// <summary>429 with <c>Retry-After</c> in seconds, or as an HTTP date (<see cref="StubFault.RetryAfterAsDate"/>).</summary>
    TooManyRequests = 1,
    /// <summary>500.</summary>
    ServerError = 2,
    /// <summary>503, with <c>Retry-After</c> in seconds when <see cref="StubFault.RetryAfter"/> is set.</summary>
    Unavailable = 3,
    /// <summary>Waits <see cref="StubFault.Delay"/>, then serves the page as usual (a client's timeout may fire first).</summary>
    Slow = 4,
    /// <summary>Drops the connection before any response (<c>HttpContext.Abort()</c>).</summary>
    Drop = 5,
    /// <summary>Sends 200 and half of the body, then drops the connection.</summary>
    Truncate = 6,
}

/// <summary>
/// A scripted fault: what happens, and which requests it hits. Every condition that is set must hold (none set: the
/// next request); it fires <see cref="Times"/> times, then is spent. Build one with the factories and narrow it
/// with <c>with</c>: <c>StubFault.ServerError() with { OnPage = 3, Times = 2 }</c>.
/// </summary>
public sealed record StubFault
{
    public StubFaultKind Kind { get; init; }

    /// <summary>A 429's or 503's <c>Retry-After</c>.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Send <c>Retry-After</c> as an HTTP date (whole seconds, rounded up) instead of seconds.</summary>
    public bool RetryAfterAsDate { get; init; }

    /// <summary>How long a <see cref="StubFaultKind.Slow"/> response waits.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Hits only the request with this number (1-based, as in <see cref="StubRequest.Number"/>; counts every request, the token endpoint's too).</summary>
    public int? OnRequest { get; init; }

    /// <summary>Hits only requests to this path (<c>/crm/v3/objects/contacts</c>), with any query.</summary>
    public string? OnPath { get; init; }

    /// <summary>Hits only requests for this page (1-based, counted in the walk of the filtered records, whatever the pagination style).</summary>
    public int? OnPage { get; init; }

    /// <summary>Hits only requests of this tenant.</summary>
    public string? OnTenant { get; init; }

    /// <summary>How many matching requests it hits.</summary>
    public int Times { get; init; } = 1;

    public static StubFault TooManyRequests(TimeSpan retryAfter) => new() { Kind = StubFaultKind.TooManyRequests, RetryAfter = retryAfter };

    public static StubFault TooManyRequestsUntilDate(TimeSpan retryAfter) =>
        new() { Kind = StubFaultKind.TooManyRequests, RetryAfter = retryAfter, RetryAfterAsDate = true };

    public static StubFault ServerError() => new() { Kind = StubFaultKind.ServerError };

    public static StubFault Unavailable(TimeSpan? retryAfter = null) => new() { Kind = StubFaultKind.Unavailable, RetryAfter = retryAfter };

    public static StubFault Slow(TimeSpan delay) => new() { Kind = StubFaultKind.Slow, Delay = delay };

    public static StubFault Drop() => new() { Kind = StubFaultKind.Drop };

    public static StubFault Truncate() => new() { Kind = StubFaultKind.Truncate };

    internal bool Matches(int number, string path, int? page, string? tenant) =>
        (OnRequest is null || OnRequest == number) &&
        (OnPath is null || string.Equals(OnPath, path, StringComparison.Ordinal)) &&
        (OnPage is null || OnPage == page) &&
        (OnTenant is null || OnTenant == tenant);
}

/// <summary>The faults a <see cref="StubApi"/> still has to serve; add to it at any time, also while a run is going.</summary>
public sealed class StubFaults
{
    private readonly object _gate = new();
    private readonly List<(StubFault Fault, int Left)> _pending = [];

    public void Add(StubFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(fault.Times, 1);
        lock (_gate)
            _pending.Add((fault, fault.Times));
    }

    public void Clear()
    {
        lock (_gate)
            _pending.Clear();
    }

    /// <summary>How many more requests the added faults will hit.</summary>
    public int Remaining
    {
        get
        {
            lock (_gate)
                return _pending.Sum(p => p.Left);
        }
    }

    /// <summary>The first fault, in the order added, that matches; it is used up by one.</summary>
    internal StubFault? Take(int number, string path, int? page, string? tenant)
    {
        lock (_gate)
        {
            for (var i = 0; i < _pending.Count; i++)
            {
                var (fault, left) = _pending[i];
                if (!fault.Matches(number, path, page, tenant))
                    continue;
                if (left == 1)
                    _pending.RemoveAt(i);
                else
                    _pending[i] = (fault, left - 1);
                return fault;
            }
            return null;
        }
    }
}
