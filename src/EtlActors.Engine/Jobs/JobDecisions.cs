using EtlActors.Contracts.Jobs;
using EtlActors.Pipeline.Sources;
using static EtlActors.Contracts.Jobs.JobProtocol;
using static EtlActors.Engine.Jobs.JobEvents;

namespace EtlActors.Engine.Jobs;

/// <summary>What a supervisor does with a caller's command, decided from its state and phase alone.</summary>
public abstract record Decision
{
    /// <summary>Answer the caller now.</summary>
    public sealed record Reply(object Message) : Decision;

    /// <summary>Keep the command until the stop or completion under way is persisted, then handle it.</summary>
    public sealed record Defer : Decision;

    /// <summary>Run <paramref name="Spec"/> now, or queue it for a slot of its tenant; the caller hears when it runs or waits.</summary>
    public sealed record Admit(JobSpec Spec, bool Queue, bool WantsAccepted) : Decision;

    /// <summary>The job waits for a slot: the caller hears with the others once the registry has answered.</summary>
    public sealed record Wait(bool WantsAccepted) : Decision;

    /// <summary>Stop the run: shut intake, let in-flight batches load, persist the stop, then answer.</summary>
    public sealed record StopRun(StopKind Kind) : Decision;

    /// <summary>No stream runs: persist the stop now and answer.</summary>
    public sealed record StopNow(StopKind Kind) : Decision;
}

/// <summary>How a run's stream ended, and what follows.</summary>
public abstract record RunOutcome
{
    /// <summary>Every record is loaded: finalise the sink, count, persist completion.</summary>
    public sealed record Finish : RunOutcome;

    /// <summary>A requested pause or cancel ends the run.</summary>
    public sealed record Stop(StopKind Kind) : RunOutcome;

    /// <summary>Restart from the checkpoint after <paramref name="Delay"/>.</summary>
    public sealed record Retry(TimeSpan Delay, string Reason, int Attempt) : RunOutcome;

    /// <summary>Persist the job as failed with <paramref name="Reason"/>.</summary>
    public sealed record Fail(string Reason) : RunOutcome;
}

/// <summary>
/// The job lifecycle's rules: accept, queue, start, pause, cancel, retry or fail, error budget, checkpoints,
/// hand-off and what each caller hears. Pure, so every rule is tested without an actor system;
/// <see cref="JobSupervisor"/> only carries them out.
/// </summary>
public static class JobDecisions
{
    /// <summary>
    /// A submission. An idle job runs <paramref name="spec"/> (or queues for a slot) unless its source is refused by
    /// this node's <paramref name="sources"/> root (null: any path), in which case the caller hears why and
    /// nothing is persisted. A job already running or waiting keeps the spec it has.
    /// </summary>
    public static Decision OnStart(JobSupervisorState state, JobPhase phase, JobRun? run, JobSpec spec, bool limited, SourceRoot? sources = null) => phase switch
    {
        JobPhase.Idle when Refusal(sources, spec) is { } refusal => new Decision.Reply(new JobRejected(state.JobId, state.State, refusal)),
        JobPhase.Idle => new Decision.Admit(spec, limited, WantsAccepted: true),
        JobPhase.Queued => new Decision.Wait(WantsAccepted: true),
        JobPhase.Running or JobPhase.Retrying => new Decision.Reply(new JobAccepted(state.JobId, run?.FromOffset ?? state.Checkpoint)),
        _ => new Decision.Defer(),
    };

    /// <summary>A resume of a paused or failed job runs its spec again, unless this node's <paramref name="sources"/> root refuses its source.</summary>
    public static Decision OnResume(JobSupervisorState state, JobPhase phase, JobStatus status, bool limited, SourceRoot? sources = null) => phase switch
    {
        JobPhase.Idle when state.Spec is not null && state.State is JobState.Paused or JobState.Failed =>
            Refusal(sources, state.Spec) is { } refusal
                ? new Decision.Reply(new JobRejected(state.JobId, state.State, refusal))
                : new Decision.Admit(state.Spec, limited, WantsAccepted: false),
        JobPhase.Idle => Reject(state, state.State == JobState.Completed
            ? $"job '{state.JobId}' has completed; nothing to resume (submit it again to load it once more)"
            : $"job '{state.JobId}' was cancelled; nothing to resume (submit it again to run it from its checkpoint)"),
        JobPhase.Queued => new Decision.Wait(WantsAccepted: false),
        JobPhase.Running or JobPhase.Retrying => new Decision.Reply(status),
        _ => new Decision.Defer(),
    };

    public static Decision OnPause(JobSupervisorState state, JobPhase phase, JobStatus status) => phase switch
    {
        JobPhase.Idle when state.State == JobState.Paused && state.Spec is not null => new Decision.Reply(status),
        JobPhase.Idle => Reject(state, $"job '{state.JobId}' has {Ended(state.State)}; nothing to pause"),
        JobPhase.Queued or JobPhase.Retrying => new Decision.StopNow(StopKind.Pause),
        JobPhase.Running or JobPhase.Stopping => new Decision.StopRun(StopKind.Pause),
        _ => new Decision.Defer(),
    };

    public static Decision OnCancel(JobSupervisorState state, JobPhase phase) => phase switch
    {
        JobPhase.Idle when state.Spec is not null && state.State is JobState.Paused or JobState.Failed => new Decision.StopNow(StopKind.Cancel),
        JobPhase.Idle => Reject(state, state.State == JobState.Cancelled
            ? $"job '{state.JobId}' is already cancelled"
            : $"job '{state.JobId}' has {Ended(state.State)}; nothing to cancel"),
        JobPhase.Queued or JobPhase.Retrying => new Decision.StopNow(StopKind.Cancel),
        JobPhase.Running or JobPhase.Stopping => new Decision.StopRun(StopKind.Cancel),
        _ => new Decision.Defer(),
    };

    /// <summary>The stream read and loaded its last batch (or stopped taking records).</summary>
    public static RunOutcome OnStreamCompleted(JobRun run) =>
        run.Stop is { } stop ? new RunOutcome.Stop(stop)
        : run.BudgetSpent is { } spent ? new RunOutcome.Fail(spent)
        : new RunOutcome.Finish();

    /// <summary>
    /// The stream failed. A requested stop still ends as asked; a failure restarting cannot cure (bad input,
    /// bad configuration) fails the job at once; others are retried with backoff until the budget is spent.
    /// </summary>
    public static RunOutcome OnRunFailed(JobRun run, string reason, bool permanent, RetryPolicy retry, double random)
    {
        if (run.Stop is { } stop)
            return new RunOutcome.Stop(stop);
        if (!permanent && retry.Allows(run.FailuresInARow))
            return new RunOutcome.Retry(retry.Delay(run.FailuresInARow + 1, random), reason, run.FailuresInARow + 1);
        return new RunOutcome.Fail(run.FailuresInARow >= retry.MaxRetries && !permanent
            ? $"{reason} (gave up after {run.FailuresInARow} restarts)"
            : reason);
    }

    /// <summary>
    /// A checkpoint is persisted once this many records are loaded past the last one, and after every page of a paged
    /// source (its reader fetches the next page only then, so a killed job fetches again at most one page).
    /// </summary>
    public static bool CheckpointDue(JobSupervisorState state, JobRun run, int interval) =>
        run.Processed - state.Checkpoint >= interval || (run.Position is { EndsPage: true } && run.Processed > state.Checkpoint);

    /// <summary>The events of a pause or cancel: the loaded prefix as a checkpoint (when it moved), then the stop.</summary>
    public static IReadOnlyList<object> StopEvents(JobSupervisorState state, JobRun? run, StopKind kind, DateTimeOffset now)
    {
        object stop = kind == StopKind.Cancel ? new JobCancelled(now) : new JobPaused(now);
        return run is not null && run.Processed > state.Checkpoint
            ? [Checkpoint(run, now), stop]
            : [stop];
    }

    /// <summary>
    /// The events of a hand-off (the shard moves): the loaded prefix as a checkpoint, so the next node resumes
    /// there; the job stays Running. Batches in flight are loaded again, idempotently, on the next node.
    /// </summary>
    public static IReadOnlyList<object> HandOffEvents(JobSupervisorState state, JobRun? run, DateTimeOffset now) =>
        run is not null && run.Processed > state.Checkpoint ? [Checkpoint(run, now)] : [];

    /// <summary>The events of a completed run: its last checkpoint, then the totals.</summary>
    public static IReadOnlyList<object> CompletionEvents(JobRun run, JobTotals totals, DateTimeOffset now) =>
        [Checkpoint(run, now), new JobCompleted(totals, now)];

    /// <summary>The run's loaded prefix, with the connector's position there, as a checkpoint.</summary>
    public static CheckpointAdvanced Checkpoint(JobRun run, DateTimeOffset now) =>
        new(run.Processed, run.Quarantined, now, run.Position?.Token, run.Phases);

    /// <summary>What a caller waiting on a start or resume hears: <see cref="JobAccepted"/> for a start, else the status.</summary>
    public static object Answer(bool wantsAccepted, JobSupervisorState state, JobStatus status) =>
        wantsAccepted ? new JobAccepted(state.JobId, state.ResumeOffset, status.State) : status;

    /// <summary>
    /// The status a caller sees; a run's progress ahead of its checkpoint counts, and <paramref name="readFraction"/>
    /// (how much of the source its stream has read) while it runs.
    /// </summary>
    public static JobStatus Status(
        JobSupervisorState state, JobRun? run, string node, DateTimeOffset now, IReadOnlyList<string> recentErrors, int maxRetries,
        double? readFraction = null)
    {
        var running = state.State == JobState.Running && run is not null;
        var status = state.ToStatus(run?.Processed ?? state.Checkpoint, run?.Quarantined ?? state.Quarantined) with
        {
            Node = node,
            RecordsPerSecond = running ? run!.Rate(now) : null,
            ReadFraction = running ? readFraction : null,
            RecentErrors = recentErrors.Count == 0 ? null : recentErrors.ToList(),
            Phases = run?.Phases ?? state.Phases,
        };
        return run?.RetryReason is null || status.State != JobState.Running
            ? status
            : status with { Error = $"retrying after: {run.RetryReason} (attempt {run.FailuresInARow} of {maxRetries})" };
    }

    private static string? Refusal(SourceRoot? sources, JobSpec spec) => sources?.Admit(spec.SourcePath).Refusal;

    private static Decision.Reply Reject(JobSupervisorState state, string reason) =>
        new(new JobRejected(state.JobId, state.State, state.Spec is null ? $"no job '{state.JobId}' in this cluster" : reason));

    private static string Ended(JobState state) => state switch
    {
        JobState.Completed => "completed",
        JobState.Failed => "failed",
        JobState.Cancelled => "been cancelled",
        _ => state.ToString().ToLowerInvariant(),
    };
}
