using EtlActors.Engine.RateLimits;
using static EtlActors.Engine.RateLimits.RequestBudgetState;

namespace EtlActors.Engine.Tests.RateLimits;

/// <summary>
/// Drives <see cref="RequestBudgetState"/> on a simulated clock as the coordinator would: requests arrive, granted ones
/// are released after their hold time, and the clock jumps to whatever is next (an arrival, a release, the state's
/// wake-up). Readers are closed loops: each asks, holds its permit, releases, thinks, and asks again.
/// </summary>
internal sealed class RequestBudgetSimulation(RequestBudgetSettings settings, DateTimeOffset start, int seed = 7)
{
    private readonly PriorityQueue<Request, DateTimeOffset> _arrivals = new();
    private readonly PriorityQueue<Request, DateTimeOffset> _releases = new();
    private readonly Random _random = new(seed);
    private DateTimeOffset? _wakeAt;

    public RequestBudgetState State { get; private set; } = Empty(settings);
    public DateTimeOffset Now { get; private set; } = start;
    public List<(DateTimeOffset At, Request Request)> Grants { get; } = [];
    public List<Request> Reclaimed { get; } = [];
    public int MaxOutstanding { get; private set; }

    /// <summary>How long a granted request holds its permit: up to this, at random.</summary>
    public TimeSpan MaxHold { get; init; } = TimeSpan.FromMilliseconds(400);

    /// <summary>How long a reader waits after a response before its next request; up to this, at random.</summary>
    public TimeSpan MaxThink { get; init; } = TimeSpan.Zero;

    /// <summary>Starts <paramref name="readers"/> closed-loop readers of <paramref name="tenant"/> under one budget.</summary>
    public void Readers(string tenant, int readers, double rps, int concurrent, string host = "api.example.com:443")
    {
        for (var i = 0; i < readers; i++)
            _arrivals.Enqueue(new Request(Guid.NewGuid(), host, tenant, rps, concurrent), Now + Random(MaxThink));
    }

    public void Apply(Decision decision)
    {
        State = decision.State;
        _wakeAt = decision.WakeAt;
        Reclaimed.AddRange(decision.Reclaimed);
        foreach (var granted in decision.Granted)
        {
            Grants.Add((Now, granted));
            _releases.Enqueue(granted, Now + Random(MaxHold));
        }
        MaxOutstanding = Math.Max(MaxOutstanding, State.Hosts.Values.Select(h => h.Outstanding.Count).DefaultIfEmpty().Max());
    }

    /// <summary>Runs until <paramref name="duration"/> has passed on the simulated clock.</summary>
    public void Run(TimeSpan duration)
    {
        var end = Now + duration;
        for (var steps = 0; ; steps++)
        {
            Assert.True(steps < 10_000_000, "the simulation does not advance: the state keeps waking up without granting");
            var next = Earliest(_wakeAt, Peek(_arrivals), Peek(_releases));
            if (next is null || next > end)
                break;
            if (next > Now)
                Now = next.Value;
            while (_releases.TryPeek(out var done, out var at) && at <= Now)
            {
                _releases.Dequeue();
                Apply(State.Release(done.RequestId, Now));
                // The reader thinks, then asks for its next request under the same budget.
                _arrivals.Enqueue(done with { RequestId = Guid.NewGuid() }, Now + Random(MaxThink));
            }
            while (_arrivals.TryPeek(out var request, out var at) && at <= Now)
            {
                _arrivals.Dequeue();
                Apply(State.Acquire(request, Now));
            }
            if (_wakeAt <= Now)
                Apply(State.Tick(Now));
        }
    }

    private TimeSpan Random(TimeSpan max) => max * _random.NextDouble();

    private static DateTimeOffset? Peek(PriorityQueue<Request, DateTimeOffset> queue) => queue.TryPeek(out _, out var at) ? at : null;

    private static DateTimeOffset? Earliest(params DateTimeOffset?[] times) => times.Where(t => t is not null).Min();
}
