namespace EtlActors.Pipeline.Load;

/// <summary>
/// Fills the job_id that conversations and participants gain on upgrade, so a job that began before the
/// upgrade still counts the rows it loaded then. Databases that old hold only Skype rows, whose raw
/// records are keyed <c>conversation/&lt;id&gt;</c> and whose participants are senders or direct chats:
/// a conversation takes its raw record's job (written in the same batch), else one of its messages';
/// a participant takes the job of its latest message, else of the direct chat named after it.
/// </summary>
internal static class JobColumnBackfill
{
    /// <param name="prefix">The schema and a dot on PostgreSQL, empty on SQLite.</param>
    public static string Conversations(string prefix) => $"""
        UPDATE {prefix}conversations SET job_id = COALESCE(
            (SELECT r.job_id FROM {prefix}raw_records AS r
             WHERE r.tenant_id = conversations.tenant_id AND r.source = conversations.source
               AND r.record_key = 'conversation/' || conversations.conversation_id),
            (SELECT m.job_id FROM {prefix}messages AS m
             WHERE m.tenant_id = conversations.tenant_id AND m.source = conversations.source
               AND m.conversation_id = conversations.conversation_id LIMIT 1))
        """;

    // Set-based: senders have no index, so a subquery per participant would scan the messages once each.
    public static string ParticipantsPostgres(string prefix) => $"""
        UPDATE {prefix}participants AS p SET job_id = s.job_id
        FROM (SELECT DISTINCT ON (tenant_id, source, sender_id) tenant_id, source, sender_id, job_id
              FROM {prefix}messages WHERE sender_id IS NOT NULL
              ORDER BY tenant_id, source, sender_id, sent_at DESC NULLS LAST) AS s
        WHERE s.tenant_id = p.tenant_id AND s.source = p.source AND s.sender_id = p.participant_id;
        {DirectChats(prefix)}
        """;

    // SQLite takes a bare column from the row that max() picked: the latest message's job.
    public static string ParticipantsSqlite { get; } = $"""
        UPDATE participants SET job_id = s.job_id
        FROM (SELECT tenant_id, source, sender_id, job_id, max(sent_at) FROM messages WHERE sender_id IS NOT NULL
              GROUP BY tenant_id, source, sender_id) AS s
        WHERE s.tenant_id = participants.tenant_id AND s.source = participants.source AND s.sender_id = participants.participant_id;
        {DirectChats("")}
        """;

    private static string DirectChats(string prefix) => $"""
        UPDATE {prefix}participants SET job_id = (
            SELECT r.job_id FROM {prefix}raw_records AS r
            WHERE r.tenant_id = participants.tenant_id AND r.source = participants.source
              AND r.record_key = 'conversation/' || participants.participant_id)
        WHERE job_id IS NULL
        """;
}
