namespace EtlActors.Pipeline.Load;

/// <summary>
/// The job_id of a conversation, participant or message names the last job that loaded the row,
/// so that a job's summary counts exactly what it loaded. A row whose stored values beat the loaded
/// ones (a participant's older name, a message's lower revision) keeps its values but still moves
/// to the loading job; a replay by the same job whose values lose writes nothing, as before.
/// </summary>
internal static class JobColumn
{
    /// <summary>What a message upsert replaces when the loaded revision wins: every column but the key and job_id.</summary>
    public static readonly string[] MessageValues =
    [
        "sender_id", "sender_name", "sent_at", "message_type", "content_text", "content_raw",
        "edited_at", "deleted_at", "properties", "revision", "thread_id",
    ];

    /// <summary>
    /// The SET list of an upsert: each of <paramref name="columns"/> takes the loaded value where
    /// <paramref name="wins"/> holds and keeps <paramref name="target"/>'s otherwise; job_id always moves.
    /// Both databases evaluate every SET expression against the row as it was.
    /// </summary>
    public static string Assignments(string wins, string target, params string[] columns) =>
        string.Join(",\n    ", columns.Select(c => $"{c} = CASE WHEN {wins} THEN excluded.{c} ELSE {target}.{c} END"))
        + ",\n    job_id = excluded.job_id";

    /// <summary>The upsert's WHERE: the loaded values win or another job (or none, before migration) last loaded the row.</summary>
    public static string Condition(string wins, string target, string isDistinctFrom) =>
        $"({wins}) OR {target}.job_id {isDistinctFrom} excluded.job_id";
}
