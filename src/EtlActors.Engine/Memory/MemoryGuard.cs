using Akka.Event;

namespace EtlActors.Engine.Memory;

/// <summary>
/// Keeps a node under its memory limit (<see cref="MemoryLimits"/>). Above <see cref="ThrottleAbove"/> of it, in use as
/// the kernel counts it (the resident set, which is what a container's limit kills on), it throttles: every job's
/// intake takes smaller batches, one at a time (<see cref="ThrottledIntake"/>), it logs a warning (at most once a minute), and it has the
/// GC collect and hand free memory back to the OS. Below <see cref="ReleaseBelow"/> it lets go: the gap keeps it from
/// flapping on one line. Intake never stops outright, so a job whose batches alone are the memory still moves on.
/// </summary>
public sealed class MemoryGuard : IDisposable
{
    public const double ThrottleAbove = 0.85;
    public const double ReleaseBelow = 0.70;

    // A full, compacting collection costs a pause per heap size; more than one every few seconds would be the work.
    private static readonly TimeSpan CollectEvery = TimeSpan.FromSeconds(2);

    // A node that hovers at the line throttles every few seconds: one warning a minute says it, the rest are Debug.
    private static readonly TimeSpan WarnEvery = TimeSpan.FromMinutes(1);

    private readonly Func<long> _used;
    private readonly Lock _lock = new();
    private ILoggingAdapter? _log;
    private Timer? _timer;
    private volatile bool _throttling;
    private DateTime _lastCollect = DateTime.MinValue;
    private DateTime _warnedAt = DateTime.MinValue;
    private bool _loud;
    private long _peak;

    /// <param name="limitBytes">The node's limit.</param>
    /// <param name="used">The bytes in use now; this process's resident set when null.</param>
    public MemoryGuard(long limitBytes, Func<long>? used = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limitBytes);
        LimitBytes = limitBytes;
        _used = used ?? (() => Environment.WorkingSet);
    }

    public long LimitBytes { get; }

    /// <summary>Whether intake is slowed now.</summary>
    public bool Throttling => _throttling;

    /// <summary>How many times it started throttling.</summary>
    public int Episodes { get; private set; }

    /// <summary>The most it has seen in use.</summary>
    public long PeakBytes => Interlocked.Read(ref _peak);

    /// <summary>Samples now, then every <paramref name="every"/>, logging to <paramref name="log"/>.</summary>
    public void Start(ILoggingAdapter log, TimeSpan every)
    {
        _log = log;
        // The first sample on the caller's thread: a timer's first tick, even one due at once, runs on a pool thread
        // whenever it gets one, and could read the memory before a sample taken after Start and log after it.
        Check();
        _timer = new Timer(_ => Check(), null, every, every);
    }

    /// <summary>Samples now (a batch asks before it enters, so a spike between two ticks counts too); true while throttling.</summary>
    public bool Check()
    {
        var used = _used();
        var collect = false;
        lock (_lock)
        {
            if (used > _peak)
                Interlocked.Exchange(ref _peak, used);
            if (!_throttling && used > LimitBytes * ThrottleAbove)
            {
                _throttling = true;
                Episodes++;
                _loud = DateTime.UtcNow - _warnedAt >= WarnEvery;
                if (_loud)
                    _warnedAt = DateTime.UtcNow;
                _log?.Log(_loud ? LogLevel.WarningLevel : LogLevel.DebugLevel,
                    $"memory guard: {MiB(used)} MiB in use of the {MiB(LimitBytes)} MiB limit (over {Percent(ThrottleAbove)}%): jobs on this node take smaller batches, one at a time, until it falls below {Percent(ReleaseBelow)}%");
            }
            else if (_throttling && used < LimitBytes * ReleaseBelow)
            {
                _throttling = false;
                _log?.Log(_loud ? LogLevel.InfoLevel : LogLevel.DebugLevel,
                    $"memory guard: {MiB(used)} MiB in use of the {MiB(LimitBytes)} MiB limit (under {Percent(ReleaseBelow)}%): jobs take full batches again");
            }
            if (_throttling && DateTime.UtcNow - _lastCollect >= CollectEvery)
            {
                _lastCollect = DateTime.UtcNow;
                collect = true;
            }
        }
        // Aggressive: decommits what the heap no longer needs, so the resident set falls and not only the heap.
        if (collect)
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return _throttling;
    }

    public void Dispose() => _timer?.Dispose();

    private static long MiB(long bytes) => bytes / (1024 * 1024);

    private static int Percent(double share) => (int)Math.Round(share * 100);
}
