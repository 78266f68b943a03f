namespace EtlActors.Contracts.Jobs;

/// <summary>
/// The messages a caller exchanges with the engine's job manager (<c>/user/jobs</c> on every node).
/// Commands about one job carry its id; the cluster routes them to that job's supervisor. A client sends each inside
/// <see cref="Security.SecurityProtocol.Authenticated"/> with its API key, and any of them may be answered with
/// <see cref="Security.SecurityProtocol.NotAllowed"/> when the key's role or tenants do not allow it.
/// </summary>
public static class JobProtocol
{
    /// <summary>
    /// Starts a job, or resumes it from its last checkpoint when the id is known and not completed
    /// (a completed job runs again from the start; loading is idempotent). A job whose tenant already
    /// runs as many jobs as the cluster allows waits as <see cref="JobState.Pending"/>.
    /// Replied to with <see cref="JobAccepted"/>, or with <see cref="JobRejected"/> when the node that would run
    /// it refuses its source (outside that node's sources root); a refused job is not created.
    /// </summary>
    /// <param name="JobId">The job.</param>
    /// <param name="Spec">What it loads and where to.</param>
    public sealed record StartJob(JobId JobId, JobSpec Spec) : IWithJobId;

    /// <summary>The job is running, or queued behind its tenant's other jobs.</summary>
    /// <param name="JobId">The job.</param>
    /// <param name="ResumedFromOffset">The checkpoint it resumes from: the number of source records already loaded; 0 for a fresh start.</param>
    /// <param name="State"><see cref="JobState.Running"/>, or <see cref="JobState.Pending"/> while its tenant is at its limit of concurrent jobs.</param>
    public sealed record JobAccepted(JobId JobId, long ResumedFromOffset, JobState State = JobState.Running) : IWithJobId;

    /// <summary>Asks for a job's status; replied to with <see cref="JobStatus"/> (with no spec for an id never submitted).</summary>
    /// <param name="JobId">The job.</param>
    public sealed record GetJob(JobId JobId) : IWithJobId;

    /// <summary>
    /// Stops a running or pending job's intake, lets in-flight batches finish and persists a checkpoint;
    /// the job becomes <see cref="JobState.Paused"/>, gives up its tenant slot, and runs again on
    /// <see cref="ResumeJob"/>. Replied to with the <see cref="JobStatus"/> once paused, or with
    /// <see cref="JobRejected"/> for a job that has ended or was never submitted.
    /// </summary>
    /// <param name="JobId">The job.</param>
    public sealed record PauseJob(JobId JobId) : IWithJobId;

    /// <summary>
    /// Runs a paused or failed job again from its checkpoint (queued as <see cref="JobState.Pending"/>
    /// when its tenant is at its limit). Replied to with the <see cref="JobStatus"/> after the decision,
    /// or with <see cref="JobRejected"/> for a job that completed, was cancelled, or was never submitted, or
    /// whose source the node refuses (outside its sources root).
    /// A running or pending job is left as it is and its status returned.
    /// </summary>
    /// <param name="JobId">The job.</param>
    public sealed record ResumeJob(JobId JobId) : IWithJobId;

    /// <summary>
    /// Stops a job for good: a running job's in-flight batches finish and are checkpointed, and rows
    /// already loaded stay. The job becomes <see cref="JobState.Cancelled"/>; submitting it again starts
    /// a new run from its checkpoint. Replied to with the <see cref="JobStatus"/> once cancelled, or with
    /// <see cref="JobRejected"/> for a job that completed, was already cancelled, or was never submitted.
    /// </summary>
    /// <param name="JobId">The job.</param>
    public sealed record CancelJob(JobId JobId) : IWithJobId;

    /// <summary>A command the job cannot take in its state, and why, in words a user can act on.</summary>
    /// <param name="JobId">The job.</param>
    /// <param name="State">Its state when the command arrived.</param>
    /// <param name="Reason">Why, e.g. "job x has completed; nothing to resume".</param>
    public sealed record JobRejected(JobId JobId, JobState State, string Reason) : IWithJobId;

    /// <summary>
    /// Lists the cluster's jobs, newest first; replied to with <see cref="JobList"/>. The statuses of
    /// running jobs are at most a few seconds old.
    /// </summary>
    /// <param name="State">Only jobs in this state; null for all.</param>
    /// <param name="TenantId">Only this tenant's jobs; null for all.</param>
    public sealed record ListJobs(JobState? State = null, string? TenantId = null);

    /// <summary>The jobs a <see cref="ListJobs"/> matched.</summary>
    /// <param name="Jobs">Their statuses, newest first.</param>
    public sealed record JobList(IReadOnlyList<JobStatus> Jobs);
}

/// <summary>A job's state as last known.</summary>
/// <param name="JobId">The job.</param>
/// <param name="State">Its state.</param>
/// <param name="Spec">What it loads; null for an id never submitted.</param>
/// <param name="Checkpoint">Records below this source offset are loaded (the resume point).</param>
/// <param name="Processed">Source records loaded or quarantined so far, this run included.</param>
/// <param name="Quarantined">Records sent to quarantine so far.</param>
/// <param name="Error">Why it failed, for a failed job, or why it is retrying; never holds a secret.</param>
/// <param name="StartedAt">When its current run started (UTC).</param>
/// <param name="FinishedAt">When it ended (UTC), once it has.</param>
/// <param name="Totals">Row counts, once completed.</param>
/// <param name="Node">The node whose supervisor answered, as host:port; null from an engine that does not say.</param>
/// <param name="RecordsPerSecond">Source records per second over the current run; null when not running.</param>
/// <param name="LastCheckpointAt">When the last checkpoint was persisted (UTC).</param>
/// <param name="RecentErrors">The last few errors its runs hit (retried failures included), oldest first; never holds a secret.</param>
/// <param name="Phases">Its work per phase (extract, transform, load) since it last started from its first record; null before any.</param>
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
    string? Node = null,
    double? RecordsPerSecond = null,
    DateTimeOffset? LastCheckpointAt = null,
    IReadOnlyList<string>? RecentErrors = null,
    JobPhases? Phases = null) : IWithJobId
{
    /// <summary>Whether the job has stopped for good or until resumed (Completed, Failed, Cancelled, Paused).</summary>
    public bool IsFinished => State is JobState.Completed or JobState.Failed or JobState.Cancelled or JobState.Paused;

    /// <summary>Whether the job is a known one: an id never submitted has no spec.</summary>
    public bool Exists => Spec is not null;

    /// <summary>
    /// How much of its source the running job has read, from 0 to 1, when the source's size is known (a file or an
    /// export, not an HTTP API); null otherwise, and when not running. It runs a little ahead of
    /// <see cref="Processed"/>: by the records read and not yet loaded.
    /// </summary>
    public double? ReadFraction { get; init; }

    /// <summary>
    /// The time the rest of the source takes at the current rate: the records so far over <see cref="ReadFraction"/>
    /// estimate the source's size in records. Null unless running with a known size, some records and a rate.
    /// </summary>
    public TimeSpan? EstimatedTimeLeft()
    {
        if (State != JobState.Running || ReadFraction is not { } read || read <= 0 || Processed <= 0 || RecordsPerSecond is not { } rate || rate <= 0)
            return null;
        var left = Math.Max(0, Processed / read - Processed);
        return TimeSpan.FromSeconds(Math.Round(left / rate));
    }
}

/// <summary>One observation of a job while it is watched (see EtlClient.WatchAsync).</summary>
/// <param name="JobId">The job.</param>
/// <param name="State">Its state.</param>
/// <param name="Processed">Source records loaded or quarantined so far.</param>
/// <param name="Quarantined">Records sent to quarantine so far.</param>
/// <param name="Checkpoint">Records below this source offset are loaded (the resume point).</param>
/// <param name="RecordsPerSecond">Source records per second over the current run; null when not running.</param>
/// <param name="Node">The node running its supervisor, as host:port.</param>
/// <param name="Error">Why it failed or is retrying.</param>
/// <param name="At">When this was observed (UTC).</param>
/// <param name="Status">The full status it was taken from.</param>
public sealed record JobProgress(
    JobId JobId,
    JobState State,
    long Processed,
    long Quarantined,
    long Checkpoint,
    double? RecordsPerSecond,
    string? Node,
    string? Error,
    DateTimeOffset At,
    JobStatus Status) : IWithJobId
{
    /// <summary>The progress a status shows, observed now.</summary>
    public static JobProgress Of(JobStatus status) => new(
        status.JobId, status.State, status.Processed, status.Quarantined, status.Checkpoint,
        status.RecordsPerSecond, status.Node, status.Error, DateTimeOffset.UtcNow, status);

    /// <summary>Whether the job has stopped (completed, failed, cancelled or paused): a watch ends here.</summary>
    public bool IsFinal => Status.IsFinished;
}
