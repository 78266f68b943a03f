namespace EtlActors.Pipeline.Load;

/// <summary>The SQLite statements: PostgreSQL's tables and upserts, with text timestamps and json as text.</summary>
internal static class SqliteSql
{
    /// <summary>The upsert parameter holding the batch's job, bound once per batch.</summary>
    public const string JobParameter = "$job";

    public const string Pragmas = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";

    public const string CreateSchema = """
        CREATE TABLE IF NOT EXISTS conversations (
            tenant_id TEXT NOT NULL, source TEXT NOT NULL, conversation_id TEXT NOT NULL,
            kind TEXT NOT NULL, display_name TEXT, topic TEXT, member_count INTEGER,
            message_count INTEGER NOT NULL DEFAULT 0, first_message_at TEXT, last_message_at TEXT,
            properties TEXT, job_id TEXT,
            PRIMARY KEY (tenant_id, source, conversation_id));
        CREATE TABLE IF NOT EXISTS participants (
            tenant_id TEXT NOT NULL, source TEXT NOT NULL, participant_id TEXT NOT NULL,
            display_name TEXT, name_seen_at TEXT, job_id TEXT,
            PRIMARY KEY (tenant_id, source, participant_id));
        CREATE TABLE IF NOT EXISTS messages (
            tenant_id TEXT NOT NULL, source TEXT NOT NULL, conversation_id TEXT NOT NULL, message_id TEXT NOT NULL,
            sender_id TEXT, sender_name TEXT, sent_at TEXT, message_type TEXT NOT NULL,
            content_text TEXT NOT NULL, content_raw TEXT, edited_at TEXT, deleted_at TEXT,
            properties TEXT, revision INTEGER NOT NULL, job_id TEXT NOT NULL, thread_id TEXT,
            PRIMARY KEY (tenant_id, source, conversation_id, message_id));
        CREATE TABLE IF NOT EXISTS raw_records (
            tenant_id TEXT NOT NULL, source TEXT NOT NULL, record_key TEXT NOT NULL,
            payload TEXT NOT NULL, job_id TEXT NOT NULL, extracted_at TEXT NOT NULL,
            PRIMARY KEY (tenant_id, source, record_key));
        CREATE TABLE IF NOT EXISTS quarantine (
            job_id TEXT NOT NULL, record_offset INTEGER NOT NULL, error_code TEXT NOT NULL, message TEXT NOT NULL,
            payload TEXT, quarantined_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            PRIMARY KEY (job_id, record_offset));
        """;

    /// <summary>Columns added after their table's first release: databases made before get them on first use.</summary>
    public static readonly AddedColumn[] AddedColumns =
    [
        new("conversations", "job_id", "ALTER TABLE conversations ADD COLUMN job_id TEXT", JobColumnBackfill.Conversations("")),
        new("participants", "job_id", "ALTER TABLE participants ADD COLUMN job_id TEXT", JobColumnBackfill.ParticipantsSqlite),
        new("messages", "thread_id", "ALTER TABLE messages ADD COLUMN thread_id TEXT", null),
    ];

    public const string HasColumn = "SELECT count(*) FROM pragma_table_info($table) WHERE name = $column";

    // job_id names the last job that loaded the row (JobColumn); the batch's job is bound once as $job.
    public static string UpsertConversations { get; } = Upsert("conversations", PostgresSql.ConversationColumns, """
        ON CONFLICT (tenant_id, source, conversation_id) DO UPDATE SET
            kind = excluded.kind, display_name = excluded.display_name, topic = excluded.topic,
            member_count = excluded.member_count, properties = excluded.properties, job_id = excluded.job_id
        """, withJob: true);

    public static string UpsertParticipants { get; } = Upsert("participants", PostgresSql.ParticipantColumns, $"""
        ON CONFLICT (tenant_id, source, participant_id) DO UPDATE SET
            {JobColumn.Assignments(ParticipantRule.SqlCondition("participants"), "participants", "display_name", "name_seen_at")}
        WHERE {JobColumn.Condition(ParticipantRule.SqlCondition("participants"), "participants", "IS NOT")}
        """, withJob: true);

    public static string UpsertMessages { get; } = Upsert("messages", PostgresSql.MessageColumns, $"""
        ON CONFLICT (tenant_id, source, conversation_id, message_id) DO UPDATE SET
            {JobColumn.Assignments("excluded.revision >= messages.revision", "messages", JobColumn.MessageValues)}
        WHERE {JobColumn.Condition("excluded.revision >= messages.revision", "messages", "IS NOT")}
        """);

    // A replay of the same record by the same job changes nothing, extracted_at included.
    public static string UpsertRawRecords { get; } = Upsert("raw_records", PostgresSql.RawRecordColumns, """
        ON CONFLICT (tenant_id, source, record_key) DO UPDATE SET
            payload = excluded.payload, job_id = excluded.job_id, extracted_at = excluded.extracted_at
        WHERE raw_records.payload IS NOT excluded.payload OR raw_records.job_id IS NOT excluded.job_id
        """);

    public static string UpsertQuarantine { get; } = Upsert("quarantine", PostgresSql.QuarantineColumns, """
        ON CONFLICT (job_id, record_offset) DO UPDATE SET
            error_code = excluded.error_code, message = excluded.message, payload = excluded.payload
        """);

    public const string Finalize = """
        UPDATE conversations
        SET (message_count, first_message_at, last_message_at) =
            (SELECT count(*), min(m.sent_at), max(m.sent_at) FROM messages AS m
             WHERE m.tenant_id = conversations.tenant_id AND m.source = conversations.source
               AND m.conversation_id = conversations.conversation_id)
        WHERE tenant_id = $tenant AND source = $source
        """;

    public const string Totals = """
        SELECT (SELECT count(*) FROM conversations WHERE tenant_id = $tenant AND source = $source AND job_id = $job),
               (SELECT count(*) FROM participants WHERE tenant_id = $tenant AND source = $source AND job_id = $job),
               (SELECT count(*) FROM messages WHERE tenant_id = $tenant AND source = $source AND job_id = $job),
               (SELECT count(*) FROM quarantine WHERE job_id = $job)
        """;

    /// <summary>Parameters are $p0, $p1, … in column order, then <c>$job</c> for job_id when <paramref name="withJob"/>.</summary>
    private static string Upsert(string table, string columns, string onConflict, bool withJob = false)
    {
        var count = columns.Split(',').Length;
        var values = string.Join(", ", Enumerable.Range(0, count).Select(i => "$p" + i));
        return withJob
            ? $"INSERT INTO {table} ({columns}, job_id) VALUES ({values}, {JobParameter})\n{onConflict}"
            : $"INSERT INTO {table} ({columns}) VALUES ({values})\n{onConflict}";
    }
}

/// <summary>A column <paramref name="Table"/> gained after its first release, how to add it, and how to fill it for existing rows.</summary>
internal sealed record AddedColumn(string Table, string Column, string Add, string? Backfill);
