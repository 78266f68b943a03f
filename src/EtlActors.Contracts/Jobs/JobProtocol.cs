namespace EtlActors.Contracts.Jobs;

/// <summary>The messages a caller exchanges with the engine's job manager.</summary>
public static class JobProtocol
{
    /// <summary>
    /// Starts a job, or resumes it from its last checkpoint when the id is known and not completed
    /// (a completed job runs again from the start; loading is idempotent). Replied to with <see cref="JobAccepted"/>.
    /// </summary>
    public sealed record StartJob(JobId JobId, JobSpec Spec) : IWithJobId;

    /// <summary>The job is running.</summary>
    /// <param name="JobId">The job.</param>
    /// <param name="ResumedFromOffset">The checkpoint it resumes from: the number of source records already loaded; 0 for a fresh start.</param>
    public sealed record JobAccepted(JobId JobId, long ResumedFromOffset) : IWithJobId;

    /// <summary>Asks for a job's status; replied to with <see cref="JobStatus"/>.</summary>
    public sealed record GetJob(JobId JobId) : IWithJobId;

    /// <summary>
    /// Stops a running job's intake, lets in-flight batches finish and persists a checkpoint; the job
    /// becomes <see cref="JobState.Paused"/> and resumes when started again. Replied to with the
    /// <see cref="JobStatus"/> at the time of the request.
    /// </summary>
    public sealed record PauseJob(JobId JobId) : IWithJobId;
}

/// <summary>A job's state as last known.</summary>
/// <param name="JobId">The job.</param>
/// <param name="State">Its state.</param>
/// <param name="Spec">What it loads; null for an id never submitted.</param>
/// <param name="Checkpoint">Records below this source offset are loaded (the resume point).</param>
/// <param name="Processed">Source records loaded or quarantined so far, this run included.</param>
/// <param name="Quarantined">Records sent to quarantine so far.</param>
/// <param name="Error">Why it failed, for a failed job; never holds a secret.</param>
/// <param name="StartedAt">When its current run started (UTC).</param>
/// <param name="FinishedAt">When it ended (UTC), once it has.</param>
/// <param name="Totals">Row counts, once completed.</param>
/// <param name="Node">The node whose supervisor answered, as host:port; null from an engine that does not say.</param>
public sealed record JobStatus(
    JobId JobId,
    JobState State,
    JobSpec? Spec,
    long Checkpoint,
    long Processed,
    long Quarantined,
    string? Error,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    JobTotals? Totals,
    string? Node = null) : IWithJobId
{
    /// <summary>Whether the job has stopped for good or until resubmitted (Completed, Failed, Cancelled, Paused).</summary>
    public bool IsFinished => State is JobState.Completed or JobState.Failed or JobState.Cancelled or JobState.Paused;
}
