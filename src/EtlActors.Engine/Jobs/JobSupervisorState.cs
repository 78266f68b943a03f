using EtlActors.Contracts.Jobs;
using static EtlActors.Engine.Jobs.JobEvents;

namespace EtlActors.Engine.Jobs;

/// <summary>
/// A job's persisted state: rebuilt from its events on recovery, saved whole as a snapshot.
/// Pure, so the rules are tested without an actor system.
/// </summary>
public sealed record JobSupervisorState(
    JobId JobId,
    JobState State,
    JobSpec? Spec,
    long Checkpoint,
    long Quarantined,
    string? Error,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    JobTotals? Totals,
    SourceFingerprint? Source = null,
    DateTimeOffset? LastCheckpointAt = null,
    string? Position = null,
    JobPhases? Phases = null)
{
    public static JobSupervisorState Initial(JobId jobId) =>
        new(jobId, JobState.Pending, null, 0, 0, null, null, null, null);

    /// <summary>Where the next run starts: a completed job runs again from the start (loading is idempotent).</summary>
    public long ResumeOffset => State == JobState.Completed ? 0 : Checkpoint;

    /// <summary>
    /// Where the next run on <paramref name="source"/> starts. A source that changed since the checkpoint
    /// starts again from the first record: its offsets may point at other records now, and skipping
    /// them would lose rows, while loading again is idempotent.
    /// </summary>
    public long ResumeOffsetFor(SourceFingerprint? source) =>
        Source is not null && source is not null && Source != source ? 0 : ResumeOffset;

    /// <summary>
    /// The connector's position the next run from <paramref name="offset"/> starts at: the checkpoint's, also for a
    /// completed job run again from 0 (an incremental source goes on from its watermark); none for a changed source.
    /// </summary>
    public string? PositionFor(long offset) => offset == ResumeOffset ? Position : null;

    public JobSupervisorState Apply(object evt) => evt switch
    {
        JobStarted e => this with
        {
            State = JobState.Running,
            Spec = e.Spec,
            Checkpoint = e.FromOffset,
            Quarantined = e.FromOffset == 0 ? 0 : Quarantined,
            Error = null,
            StartedAt = e.At,
            FinishedAt = null,
            Totals = null,
            Source = e.Source ?? Source,
            Position = e.FromPosition,
            Phases = e.FromOffset == 0 ? null : Phases, // the work of a new start counts from zero
        },
        CheckpointAdvanced e => this with
        {
            Checkpoint = Math.Max(Checkpoint, e.Checkpoint),
            Quarantined = e.Quarantined,
            LastCheckpointAt = e.At,
            Position = e.Checkpoint >= Checkpoint ? e.Position : Position,
            Phases = e.Phases ?? Phases,
        },
        // A completed job queued again loads from the start, so its old checkpoint no longer applies.
        JobQueued e => this with { State = JobState.Pending, Spec = e.Spec, Checkpoint = State == JobState.Completed ? 0 : Checkpoint, Error = null },
        JobCancelled e => this with { State = JobState.Cancelled, FinishedAt = e.At },
        JobCompleted e => this with { State = JobState.Completed, Totals = e.Totals, FinishedAt = e.At },
        JobFailed e => this with { State = JobState.Failed, Error = e.Reason, FinishedAt = e.At },
        JobPaused e => this with { State = JobState.Paused, FinishedAt = e.At },
        _ => throw new ArgumentException($"unknown job event {evt.GetType().Name}", nameof(evt)),
    };

    /// <summary>The status a caller sees; <paramref name="processed"/> and <paramref name="quarantined"/> include progress not yet checkpointed.</summary>
    public JobStatus ToStatus(long processed, long quarantined) =>
        new(JobId, State, Spec, Checkpoint, Math.Max(processed, Checkpoint), Math.Max(quarantined, Quarantined), Error, StartedAt, FinishedAt, Totals,
            LastCheckpointAt: LastCheckpointAt, Phases: Phases);
}
