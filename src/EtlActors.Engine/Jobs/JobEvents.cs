using EtlActors.Contracts.Jobs;

namespace EtlActors.Engine.Jobs;

/// <summary>What a JobSupervisor persists. Each is bound to EtlSerializer with a stable manifest.</summary>
public static class JobEvents
{
    /// <summary>
    /// A run began (fresh, or resumed from <paramref name="FromOffset"/>) on the source as <paramref name="Source"/>
    /// describes it (null in events written before fingerprints existed, and for sources that are not files).
    /// <paramref name="FromPosition"/> is the connector's position it starts from (see <see cref="CheckpointAdvanced"/>).
    /// </summary>
    public sealed record JobStarted(JobId JobId, JobSpec Spec, long FromOffset, DateTimeOffset At, SourceFingerprint? Source = null, string? FromPosition = null);

    /// <summary>
    /// Every source record below <paramref name="Checkpoint"/> is loaded or quarantined. <paramref name="Position"/> is
    /// the connector's own position there (an HTTP source's page cursor and watermarks), or null when the ordinal
    /// suffices; added after the first release, so older events read as null. <paramref name="Phases"/> is the job's work
    /// per phase up to here (also added later: null in older events).
    /// </summary>
    public sealed record CheckpointAdvanced(long Checkpoint, long Quarantined, DateTimeOffset At, string? Position = null, JobPhases? Phases = null);

    public sealed record JobCompleted(JobTotals Totals, DateTimeOffset At);

    public sealed record JobFailed(string Reason, DateTimeOffset At);

    /// <summary>Waits for a slot of its tenant (see JobRegistry); runs on <paramref name="Spec"/> when granted.</summary>
    public sealed record JobQueued(JobSpec Spec, DateTimeOffset At);

    /// <summary>Stopped for good on request; every record below the last checkpoint is loaded.</summary>
    public sealed record JobCancelled(DateTimeOffset At);

    /// <summary>Stopped on request with every record below the last checkpoint loaded; starting it again resumes there.</summary>
    public sealed record JobPaused(DateTimeOffset At);
}
