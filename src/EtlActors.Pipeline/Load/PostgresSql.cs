namespace EtlActors.Pipeline.Load;

/// <summary>The PostgreSQL statements of one schema. The schema is a validated plain identifier.</summary>
internal sealed class PostgresSql(string schema)
{
    // Keys compare byte-wise (COLLATE "C"): ids are opaque, and a locale-aware key index costs
    // several times more to maintain on every upsert.
    private const string Key = "text COLLATE \"C\" NOT NULL";

    public string CreateSchema { get; } = $"""
        CREATE SCHEMA IF NOT EXISTS {schema};
        CREATE TABLE IF NOT EXISTS {schema}.conversations (
            tenant_id {Key}, source {Key}, conversation_id {Key},
            kind text NOT NULL, display_name text, topic text, member_count int,
            message_count bigint NOT NULL DEFAULT 0, first_message_at timestamptz, last_message_at timestamptz,
            properties json, job_id text,
            PRIMARY KEY (tenant_id, source, conversation_id));
        CREATE TABLE IF NOT EXISTS {schema}.participants (
            tenant_id {Key}, source {Key}, participant_id {Key},
            display_name text, name_seen_at timestamptz, job_id text,
            PRIMARY KEY (tenant_id, source, participant_id));
        CREATE TABLE IF NOT EXISTS {schema}.messages (
            tenant_id {Key}, source {Key}, conversation_id {Key}, message_id {Key},
            sender_id text, sender_name text, sent_at timestamptz, message_type text NOT NULL,
            content_text text NOT NULL, content_raw text, edited_at timestamptz, deleted_at timestamptz,
            properties json, revision bigint NOT NULL, job_id text NOT NULL, thread_id text,
            PRIMARY KEY (tenant_id, source, conversation_id, message_id));
        CREATE TABLE IF NOT EXISTS {schema}.raw_records (
            tenant_id {Key}, source {Key}, record_key {Key},
            payload json NOT NULL, job_id text NOT NULL, extracted_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, source, record_key));
        CREATE TABLE IF NOT EXISTS {schema}.quarantine (
            job_id {Key}, record_offset bigint NOT NULL, error_code text NOT NULL, message text NOT NULL,
            payload text, quarantined_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (job_id, record_offset));
        {AddJobColumn(schema, "conversations", JobColumnBackfill.Conversations(schema + "."))}
        {AddJobColumn(schema, "participants", JobColumnBackfill.ParticipantsPostgres(schema + "."))}
        {AddColumn(schema, "messages", "thread_id", "text", "")}
        """;

    /// <summary>The messages table, for a direct COPY.</summary>
    public string Messages { get; } = $"{schema}.messages";

    /// <summary>The raw records table, for a direct COPY.</summary>
    public string RawRecords { get; } = $"{schema}.raw_records";

    /// <summary>Concurrent CREATE … IF NOT EXISTS can still collide in the catalog; sinks starting together take turns.</summary>
    public string LockSchema { get; } = $"SELECT pg_advisory_xact_lock(hashtext('etl-actors schema {schema}'))";

    // Staging tables live as long as the connection; COMMIT empties them. Keys sort as in the target.
    public const string CreateStaging = """
        CREATE TEMP TABLE IF NOT EXISTS etl_stage_conversations (
            tenant_id text COLLATE "C", source text COLLATE "C", conversation_id text COLLATE "C",
            kind text, display_name text, topic text, member_count int, properties json) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE IF NOT EXISTS etl_stage_participants (
            tenant_id text COLLATE "C", source text COLLATE "C", participant_id text COLLATE "C",
            display_name text, name_seen_at timestamptz) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE IF NOT EXISTS etl_stage_messages (
            tenant_id text COLLATE "C", source text COLLATE "C", conversation_id text COLLATE "C", message_id text COLLATE "C",
            sender_id text, sender_name text, sent_at timestamptz, message_type text, content_text text, content_raw text,
            edited_at timestamptz, deleted_at timestamptz, properties json, revision bigint, job_id text, thread_id text) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE IF NOT EXISTS etl_stage_raw_records (
            tenant_id text COLLATE "C", source text COLLATE "C", record_key text COLLATE "C",
            payload json, job_id text, extracted_at timestamptz) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE IF NOT EXISTS etl_stage_quarantine (
            job_id text COLLATE "C", record_offset bigint, error_code text, message text, payload text) ON COMMIT DELETE ROWS;
        """;

    public const string ConversationColumns = "tenant_id, source, conversation_id, kind, display_name, topic, member_count, properties";
    public const string ParticipantColumns = "tenant_id, source, participant_id, display_name, name_seen_at";
    public const string MessageColumns = "tenant_id, source, conversation_id, message_id, sender_id, sender_name, sent_at, message_type, "
        + "content_text, content_raw, edited_at, deleted_at, properties, revision, job_id, thread_id";
    public const string RawRecordColumns = "tenant_id, source, record_key, payload, job_id, extracted_at";
    public const string QuarantineColumns = "job_id, record_offset, error_code, message, payload";

    // Upserts go in key order: index pages are touched in sequence, and two loaders writing the same
    // keys lock them in the same order instead of deadlocking.
    // job_id names the last job that loaded the row, whether or not its values won (JobColumn). The
    // batch's job comes as $1, once, rather than as a column of every staged row.
    public string UpsertConversations { get; } = $"""
        INSERT INTO {schema}.conversations AS t ({ConversationColumns}, job_id)
        SELECT {ConversationColumns}, $1 FROM pg_temp.etl_stage_conversations ORDER BY tenant_id, source, conversation_id
        ON CONFLICT (tenant_id, source, conversation_id) DO UPDATE SET
            kind = excluded.kind, display_name = excluded.display_name, topic = excluded.topic,
            member_count = excluded.member_count, properties = excluded.properties, job_id = excluded.job_id
        """;

    public string UpsertParticipants { get; } = $"""
        INSERT INTO {schema}.participants AS t ({ParticipantColumns}, job_id)
        SELECT {ParticipantColumns}, $1 FROM pg_temp.etl_stage_participants ORDER BY tenant_id, source, participant_id
        ON CONFLICT (tenant_id, source, participant_id) DO UPDATE SET
            {JobColumn.Assignments(ParticipantRule.SqlCondition("t"), "t", "display_name", "name_seen_at")}
        WHERE {JobColumn.Condition(ParticipantRule.SqlCondition("t"), "t", "IS DISTINCT FROM")}
        """;

    public string UpsertMessages { get; } = $"""
        INSERT INTO {schema}.messages AS t ({MessageColumns})
        SELECT {MessageColumns} FROM pg_temp.etl_stage_messages ORDER BY tenant_id, source, conversation_id, message_id
        ON CONFLICT (tenant_id, source, conversation_id, message_id) DO UPDATE SET
            {JobColumn.Assignments("excluded.revision >= t.revision", "t", JobColumn.MessageValues)}
        WHERE {JobColumn.Condition("excluded.revision >= t.revision", "t", "IS DISTINCT FROM")}
        """;

    // A replay of the same record by the same job changes nothing, extracted_at included.
    public string UpsertRawRecords { get; } = $"""
        INSERT INTO {schema}.raw_records AS t ({RawRecordColumns})
        SELECT {RawRecordColumns} FROM pg_temp.etl_stage_raw_records ORDER BY tenant_id, source, record_key
        ON CONFLICT (tenant_id, source, record_key) DO UPDATE SET
            payload = excluded.payload, job_id = excluded.job_id, extracted_at = excluded.extracted_at
        WHERE t.payload::text IS DISTINCT FROM excluded.payload::text OR t.job_id IS DISTINCT FROM excluded.job_id
        """;

    public string UpsertQuarantine { get; } = $"""
        INSERT INTO {schema}.quarantine AS t ({QuarantineColumns})
        SELECT {QuarantineColumns} FROM pg_temp.etl_stage_quarantine ORDER BY job_id, record_offset
        ON CONFLICT (job_id, record_offset) DO UPDATE SET
            error_code = excluded.error_code, message = excluded.message, payload = excluded.payload
        """;

    // Conversations without messages get 0 and NULLs: count() and min() over no rows give exactly that.
    public string Finalize { get; } = $"""
        UPDATE {schema}.conversations AS c
        SET (message_count, first_message_at, last_message_at) =
            (SELECT count(*), min(m.sent_at), max(m.sent_at) FROM {schema}.messages AS m
             WHERE m.tenant_id = c.tenant_id AND m.source = c.source AND m.conversation_id = c.conversation_id)
        WHERE c.tenant_id = $1 AND c.source = $2
        """;

    // No index on job_id: this runs once, at the end of a job, right after Finalize has read every
    // message of the tenant anyway; an index would cost every load and a long first-use migration.
    public string Totals { get; } = $"""
        SELECT (SELECT count(*) FROM {schema}.conversations WHERE tenant_id = $1 AND source = $2 AND job_id = $3),
               (SELECT count(*) FROM {schema}.participants WHERE tenant_id = $1 AND source = $2 AND job_id = $3),
               (SELECT count(*) FROM {schema}.messages WHERE tenant_id = $1 AND source = $2 AND job_id = $3),
               (SELECT count(*) FROM {schema}.quarantine WHERE job_id = $3)
        """;

    // Databases made before conversations and participants had job_id get it on first use.
    private static string AddJobColumn(string schema, string table, string backfill) =>
        AddColumn(schema, table, "job_id", "text", backfill + ";");

    // Columns added after a table's first release. The catalog is read first: ALTER TABLE … ADD COLUMN
    // IF NOT EXISTS would still take an exclusive lock on every start.
    private static string AddColumn(string schema, string table, string column, string type, string backfill) => $"""
        DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                           WHERE table_schema = '{schema}' AND table_name = '{table}' AND column_name = '{column}') THEN
                ALTER TABLE {schema}.{table} ADD COLUMN {column} {type};
                {backfill}
            END IF;
        END $$;
        """;
}
