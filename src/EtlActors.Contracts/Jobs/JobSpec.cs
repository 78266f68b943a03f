namespace EtlActors.Contracts.Jobs;

/// <summary>
/// What a job loads and where to.
/// </summary>
/// <param name="SourceKind">The source's kind, naming the connector that reads it: <c>skype</c>, <c>slack</c>, <c>files</c> (NDJSON or CSV read by <paramref name="Mapping"/>), or one a host registers.</param>
/// <param name="SourcePath">
/// Path of the source, readable by the node that runs the job: a Skype export (a <c>.tar</c> holding
/// <c>messages.json</c>, or the bare JSON), a Slack export (its <c>.zip</c> or unpacked folder), an NDJSON or CSV file.
/// A node with a sources root reads only under it (a relative path is taken from the root) and refuses anything else,
/// including a <c>..</c> or a symbolic link leading out.
/// </param>
/// <param name="Sink">
/// <c>sqlite:&lt;file&gt;</c> or <c>postgresql://user@host:port/database</c>. Never holds a password:
/// the engine takes it from its configuration, so it is never persisted or shown.
/// </param>
/// <param name="TenantId">The tenant the rows belong to (every row carries it).</param>
/// <param name="Mapping">
/// The text of the YAML mapping a <c>files</c> source is read by (checked by whoever submits the job), carried with
/// the job so that every node can read and normalise the source without a copy of the mapping file; null for kinds
/// that need none. Added after the first release: jobs persisted before read it as null.
/// </param>
public sealed record JobSpec(string SourceKind, string SourcePath, string Sink, string TenantId, string? Mapping = null);

/// <summary>
/// Where a job is in its life. <c>Pending → Running → Completed | Failed | Cancelled</c>, and
/// <c>Paused</c> (stopped with its checkpoint kept, resumable).
/// </summary>
public enum JobState
{
    /// <summary>Accepted, not yet running.</summary>
    Pending,
    /// <summary>Extracting, transforming and loading.</summary>
    Running,
    /// <summary>Stopped with its checkpoint kept; submitting it again resumes it.</summary>
    Paused,
    /// <summary>Every record is loaded or quarantined.</summary>
    Completed,
    /// <summary>Stopped by an error; <see cref="JobStatus.Error"/> says which. Submitting it again resumes from the checkpoint.</summary>
    Failed,
    /// <summary>Stopped at a user's request.</summary>
    Cancelled,
}

/// <summary>Row counts a finished job reports: the rows this job loaded (their <c>job_id</c> is its id), and its own quarantine.</summary>
/// <param name="Conversations">Conversation rows this job loaded last.</param>
/// <param name="Participants">Participant rows this job loaded last.</param>
/// <param name="Messages">Message rows this job loaded last.</param>
/// <param name="Quarantined">Records of this job in quarantine.</param>
/// <param name="Table">The table a mapping named, for a job that loads one (else null).</param>
/// <param name="TableRows">Rows of <paramref name="Table"/> this job loaded last.</param>
public sealed record JobTotals(long Conversations, long Participants, long Messages, long Quarantined, string? Table = null, long TableRows = 0);
