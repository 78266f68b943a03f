using System.Collections.Concurrent;

namespace EtlActors.Engine.Telemetry;

/// <summary>
/// The jobs running on this node, as their supervisors last told: what the scrape-time gauges (rate, checkpoint age
/// and lag) are computed from. A supervisor starts one with its run and stops it when the run ends or moves.
/// </summary>
internal static class RunningJobs
{
    private static readonly ConcurrentDictionary<RunningJob, byte> Jobs = new();

    public static IEnumerable<RunningJob> All => Jobs.Keys;

    public static RunningJob Start(string tenantId, string sourceKind, long fromOffset, DateTimeOffset startedAt, long checkpoint, DateTimeOffset checkpointAt)
    {
        var job = new RunningJob(tenantId, sourceKind, fromOffset, startedAt, checkpoint, checkpointAt);
        Jobs[job] = 0;
        return job;
    }

    public static void Stop(RunningJob? job)
    {
        if (job is not null)
            Jobs.TryRemove(job, out _);
    }
}

/// <summary>One running job's progress: written by its supervisor, read by a scrape on another thread.</summary>
internal sealed class RunningJob(string tenantId, string sourceKind, long fromOffset, DateTimeOffset startedAt, long checkpoint, DateTimeOffset checkpointAt)
{
    private long _processed = checkpoint;
    private long _checkpoint = checkpoint;
    private long _checkpointAtTicks = checkpointAt.UtcTicks;

    public string TenantId { get; } = tenantId;
    public string SourceKind { get; } = sourceKind;

    public void Loaded(long processed) => Interlocked.Exchange(ref _processed, processed);

    public void Checkpointed(long checkpoint, DateTimeOffset at)
    {
        Interlocked.Exchange(ref _checkpoint, checkpoint);
        Interlocked.Exchange(ref _checkpointAtTicks, at.UtcTicks);
    }

    public long CheckpointLag => Math.Max(0, Interlocked.Read(ref _processed) - Interlocked.Read(ref _checkpoint));

    public double CheckpointAge(DateTimeOffset now) => Math.Max(0, (now.UtcTicks - Interlocked.Read(ref _checkpointAtTicks)) / (double)TimeSpan.TicksPerSecond);

    public double Rate(DateTimeOffset now)
    {
        var seconds = (now - startedAt).TotalSeconds;
        return seconds <= 0 ? 0 : (Interlocked.Read(ref _processed) - fromOffset) / seconds;
    }
}
