using EtlActors.Contracts.Jobs;
using EtlActors.Pipeline.Records;

namespace EtlActors.Engine.Jobs;

/// <summary>Where a supervisor is in its life; each phase is one behaviour of <see cref="JobSupervisor"/>.</summary>
public enum JobPhase
{
    /// <summary>No run: never started, or paused, failed, completed or cancelled.</summary>
    Idle,
    /// <summary>Waiting for a slot of its tenant from the job registry.</summary>
    Queued,
    /// <summary>Its stream runs.</summary>
    Running,
    /// <summary>Its last stream failed; a restart from the checkpoint is scheduled.</summary>
    Retrying,
    /// <summary>Intake is shut on a pause or cancel; in-flight batches finish before the stop is persisted.</summary>
    Stopping,
    /// <summary>Every record is read and loaded; the sink is finalising and counting.</summary>
    Finishing,
    /// <summary>Its shard moves: the loaded prefix is being checkpointed before the supervisor stops.</summary>
    HandingOver,
}

/// <summary>How a run ends on request.</summary>
public enum StopKind
{
    /// <summary>Resumable from its checkpoint.</summary>
    Pause,
    /// <summary>For good.</summary>
    Cancel,
}

/// <summary>
/// What one run of a job knows beyond the persisted state: where it started, how far it has loaded (ahead of
/// the last checkpoint), its failures in a row, and whether it is being stopped. Gone when the run ends.
/// </summary>
/// <param name="Number">Increases with every stream started, so messages of an earlier stream are told apart.</param>
/// <param name="FromOffset">Where the run (not a retry within it) started: its rate counts from here.</param>
/// <param name="Processed">Every record below this is loaded or quarantined (acknowledged in source order).</param>
/// <param name="Position">The connector's position at <paramref name="Processed"/>, when it has its own.</param>
/// <param name="Phases">The job's work per phase so far, this run's included; what its next checkpoint keeps.</param>
public sealed record JobRun(
    int Number,
    long FromOffset,
    DateTimeOffset StartedAt,
    long Processed,
    long Quarantined,
    int FailuresInARow = 0,
    string? RetryReason = null,
    StopKind? Stop = null,
    string? BudgetSpent = null,
    ReadPosition? Position = null,
    JobPhases? Phases = null)
{
    /// <summary>A run starting at <paramref name="from"/> with the job's quarantine count so far.</summary>
    public static JobRun Start(int number, long from, long quarantined, DateTimeOffset at) => new(number, from, at, from, quarantined);

    /// <summary>The same run's stream started again (after a failure) from the checkpoint and its position.</summary>
    public JobRun Restarted(int number, long checkpoint, long quarantined, string? position) =>
        this with
        {
            Number = number, Processed = checkpoint, Quarantined = quarantined, Stop = null, BudgetSpent = null,
            Position = position is null ? null : new ReadPosition(position, EndsPage: false),
        };

    /// <summary>A batch ending at <paramref name="lastOffset"/> (and <paramref name="position"/>) is loaded: progress, so the failures in a row start over.</summary>
    public JobRun Loaded(long lastOffset, long quarantined, ReadPosition? position = null) =>
        this with { Processed = lastOffset + 1, Quarantined = Quarantined + quarantined, FailuresInARow = 0, RetryReason = null, Position = position };

    /// <summary>A pause and a cancel together make a cancel.</summary>
    public JobRun Stopping(StopKind kind) => this with { Stop = Stop == StopKind.Cancel ? StopKind.Cancel : kind };

    /// <summary>Records per second since the run started, or null before any time has passed.</summary>
    public double? Rate(DateTimeOffset now)
    {
        var seconds = (now - StartedAt).TotalSeconds;
        return seconds <= 0 ? null : Math.Round((Processed - FromOffset) / seconds, 1);
    }
}
