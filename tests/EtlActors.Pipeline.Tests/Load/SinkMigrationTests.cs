using System.Data.Common;
using EtlActors.Pipeline.Load;
using EtlActors.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;
using static EtlActors.Pipeline.Tests.Load.SampleRows;

namespace EtlActors.Pipeline.Tests.Load;

/// <summary>
/// A database made by the release before conversations and participants had job_id, with rows in
/// it, opened by the current sink: it gets the column on first use, keeps its rows and goes on loading.
/// </summary>
public abstract class SinkMigrationTests : IAsyncLifetime
{
    private DatabaseAddress? _address;

    protected DatabaseAddress Address => _address ?? throw new InvalidOperationException("not initialised");

    /// <summary>An address of a fresh, empty target.</summary>
    protected abstract Task<DatabaseAddress> CreateAddressAsync();

    protected abstract DbConnection OpenConnection();

    protected abstract string Table(string name);

    protected abstract DateTimeOffset? ReadTime(DbDataReader reader, int ordinal);

    /// <summary>The earlier release's CREATE TABLE statements, verbatim.</summary>
    protected abstract string EarlierSchema { get; }

    /// <summary>A query of one table's column names in order; the table is the only parameter, <c>@table</c>.</summary>
    protected abstract string ColumnsQuery { get; }

    public async Task InitializeAsync()
    {
        _address = await CreateAddressAsync();
        await using var connection = OpenConnection();
        await ExecuteAsync(connection, EarlierSchema);
        await ExecuteAsync(connection, $$$"""
            INSERT INTO {{{Table("conversations")}}} (tenant_id, source, conversation_id, kind, display_name, topic, member_count, message_count, properties) VALUES
                ('acme', 'skype', 'old-group', 'group', 'Old team', 'Old topic', 3, 2, '{"threadProperties":{"membercount":"3"}}'),
                ('acme', 'skype', '8:old', 'direct', NULL, NULL, NULL, 1, NULL);
            INSERT INTO {{{Table("participants")}}} (tenant_id, source, participant_id, display_name, name_seen_at) VALUES
                ('acme', 'skype', '8:alice', 'Alice', '2024-03-05T10:25:30.123Z'),
                ('acme', 'skype', '8:old', 'Old friend', NULL);
            INSERT INTO {{{Table("messages")}}} (tenant_id, source, conversation_id, message_id, sender_id, sender_name, sent_at, message_type,
                                             content_text, content_raw, edited_at, deleted_at, properties, revision, job_id) VALUES
                ('acme', 'skype', 'old-group', 'm1', '8:alice', 'Alice', '2024-03-05T10:15:30.123Z', 'RichText', 'hello', '<b>hello</b>', NULL, NULL, NULL, 1, 'job-0'),
                ('acme', 'skype', 'old-group', 'm2', '8:alice', 'Alice', '2024-03-05T10:16:30.123Z', 'RichText', 'again', '<b>again</b>', NULL, NULL, NULL, 1, 'job-0'),
                ('acme', 'skype', '8:old', 'm3', '8:old', 'Old friend', '2024-03-05T10:17:30.123Z', 'Event/Call', '', NULL, NULL, NULL, NULL, 1, 'job-0');
            INSERT INTO {{{Table("raw_records")}}} (tenant_id, source, record_key, payload, job_id, extracted_at) VALUES
                ('acme', 'skype', 'message/old-group/m1', '{"id":"m1"}', 'job-0', '2024-03-05T10:15:30.123Z');
            INSERT INTO {{{Table("quarantine")}}} (job_id, record_offset, error_code, message, payload, quarantined_at) VALUES
                ('job-0', 4, 'bad_record', 'not a message', '{"broken"', '2024-03-05T10:15:30.123Z');
            """);
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Opening_an_earlier_database_adds_job_id_and_keeps_every_row()
    {
        var before = await ReadAllAsync();
        Assert.DoesNotContain("job_id", await ColumnsAsync("conversations"));

        await using (var sink = SinkFactory.Create(Address))
        {
            await sink.EnsureSchemaAsync(default);
            await sink.EnsureSchemaAsync(default);
        }
        // A restarted process opens it again.
        await using (var sink = SinkFactory.Create(Address))
            await sink.EnsureSchemaAsync(default);

        Assert.Equal("job_id", (await ColumnsAsync("conversations"))[^1]);
        Assert.Equal("job_id", (await ColumnsAsync("participants"))[^1]);
        Assert.Equal("thread_id", (await ColumnsAsync("messages"))[^1]); // Slack's threads came after
        Assert.DoesNotContain("thread_id", (await ColumnsAsync("messages")).SkipLast(1));
        Assert.Single(await ColumnsAsync("conversations"), "job_id");
        Assert.Equivalent(before, await ReadAllAsync(), strict: true);
        // The earlier release's rows are given the job that loaded them: a job spanning the upgrade counts them.
        Assert.All((await JobIdsAsync("conversations", "conversation_id")).Values, j => Assert.Equal("job-0", j));
        Assert.All((await JobIdsAsync("participants", "participant_id")).Values, j => Assert.Equal("job-0", j));
    }

    [Fact]
    public async Task An_upgraded_database_loads_further_batches_and_counts_each_jobs_rows()
    {
        await using (var sink = SinkFactory.Create(Address))
        {
            await sink.EnsureSchemaAsync(default);
            // Rows of the earlier release take the job of their messages.
            Assert.Equal(new SinkTotals(2, 2, 3, 1), await sink.GetTotalsAsync(Tenant, Source, "job-0", default));

            var batch = Batch(
                conversations: [Conversation("old-group", name: "Renamed"), Conversation("new")],
                participants: [Participant("8:alice", "Alicia (older)", At(0)), Participant("8:new", "Newcomer", At(1))],
                messages: [Message("old-group", "m1"), Message("new", "n1")],
                raw: [Raw("message/old-group/m1")],
                quarantined: [Quarantined(3)]);
            await sink.LoadAsync(batch, default);
            await sink.LoadAsync(batch, default);
            await sink.FinalizeAsync(Tenant, Source, default);

            Assert.Equal(new SinkTotals(2, 2, 2, 1), await sink.GetTotalsAsync(Tenant, Source, Job, default));
            Assert.Equal(new SinkTotals(1, 1, 2, 1), await sink.GetTotalsAsync(Tenant, Source, "job-0", default));
        }

        var stored = await ReadAllAsync();
        Assert.Equal("Alice", stored.Participants.Single(p => p.ParticipantId == "8:alice").DisplayName);
        Assert.Equal(("Renamed", 2L), stored.Conversations.Where(c => c.Row.ConversationId == "old-group").Select(c => (c.Row.DisplayName, c.MessageCount)).Single());
        Assert.Equal(new Dictionary<string, string?> { ["old-group"] = Job, ["new"] = Job, ["8:old"] = "job-0" }, await JobIdsAsync("conversations", "conversation_id"));
        Assert.Equal(new Dictionary<string, string?> { ["8:alice"] = Job, ["8:new"] = Job, ["8:old"] = "job-0" }, await JobIdsAsync("participants", "participant_id"));

        // The next release start finds the column there and loads on.
        await using (var sink = SinkFactory.Create(Address))
        {
            await sink.EnsureSchemaAsync(default);
            await sink.LoadAsync(Batch(conversations: [Conversation("8:old", kind: "direct")], participants: [Participant("8:old", null, null)], job: "job-2"), default);
            Assert.Equal(new SinkTotals(1, 1, 0, 0), await sink.GetTotalsAsync(Tenant, Source, "job-2", default));
        }
        Assert.Equal("Old friend", (await ReadAllAsync()).Participants.Single(p => p.ParticipantId == "8:old").DisplayName);
    }

    private async Task<StoredRows> ReadAllAsync()
    {
        await using var connection = OpenConnection();
        return await StoredRows.ReadAsync(connection, Table, ReadTime);
    }

    private async Task<IReadOnlyList<string>> ColumnsAsync(string table)
    {
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = ColumnsQuery;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "table";
        parameter.Value = table;
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync();
        var columns = new List<string>();
        while (await reader.ReadAsync())
            columns.Add(reader.GetString(0));
        return columns;
    }

    private async Task<Dictionary<string, string?>> JobIdsAsync(string table, string keyColumn)
    {
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {keyColumn}, job_id FROM {Table(table)}";
        await using var reader = await command.ExecuteReaderAsync();
        var jobs = new Dictionary<string, string?>();
        while (await reader.ReadAsync())
            jobs.Add(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
        return jobs;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}

public class PostgresSinkMigrationTests : SinkMigrationTests
{
    private TestDatabase? _database;

    protected virtual string Schema => "etl";

    protected override async Task<DatabaseAddress> CreateAddressAsync()
    {
        var server = await PostgresServer.SharedAsync();
        _database = await server.CreateDatabaseAsync("sink_migration");
        return DatabaseAddress.Parse(Schema == "etl" ? _database.Url : _database.Url + "?schema=" + Schema);
    }

    protected override DbConnection OpenConnection()
    {
        var connection = new NpgsqlConnection(_database!.ConnectionString);
        connection.Open();
        return connection;
    }

    protected override string Table(string name) => $"{Schema}.{name}";

    protected override DateTimeOffset? ReadTime(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    protected override string ColumnsQuery =>
        $"SELECT column_name::text FROM information_schema.columns WHERE table_schema = '{Schema}' AND table_name = @table ORDER BY ordinal_position";

    protected override string EarlierSchema => $"""
        CREATE SCHEMA IF NOT EXISTS {Schema};
        CREATE TABLE IF NOT EXISTS {Schema}.conversations (
            tenant_id text COLLATE "C" NOT NULL, source text COLLATE "C" NOT NULL, conversation_id text COLLATE "C" NOT NULL,
            kind text NOT NULL, display_name text, topic text, member_count int,
            message_count bigint NOT NULL DEFAULT 0, first_message_at timestamptz, last_message_at timestamptz,
            properties json,
            PRIMARY KEY (tenant_id, source, conversation_id));
        CREATE TABLE IF NOT EXISTS {Schema}.participants (
            tenant_id text COLLATE "C" NOT NULL, source text COLLATE "C" NOT NULL, participant_id text COLLATE "C" NOT NULL,
            display_name text, name_seen_at timestamptz,
            PRIMARY KEY (tenant_id, source, participant_id));
        CREATE TABLE IF NOT EXISTS {Schema}.messages (
            tenant_id text COLLATE "C" NOT NULL, source text COLLATE "C" NOT NULL, conversation_id text COLLATE "C" NOT NULL, message_id text COLLATE "C" NOT NULL,
            sender_id text, sender_name text, sent_at timestamptz, message_type text NOT NULL,
            content_text text NOT NULL, content_raw text, edited_at timestamptz, deleted_at timestamptz,
            properties json, revision bigint NOT NULL, job_id text NOT NULL,
            PRIMARY KEY (tenant_id, source, conversation_id, message_id));
        CREATE TABLE IF NOT EXISTS {Schema}.raw_records (
            tenant_id text COLLATE "C" NOT NULL, source text COLLATE "C" NOT NULL, record_key text COLLATE "C" NOT NULL,
            payload json NOT NULL, job_id text NOT NULL, extracted_at timestamptz NOT NULL,
            PRIMARY KEY (tenant_id, source, record_key));
        CREATE TABLE IF NOT EXISTS {Schema}.quarantine (
            job_id text COLLATE "C" NOT NULL, record_offset bigint NOT NULL, error_code text NOT NULL, message text NOT NULL,
            payload text, quarantined_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (job_id, record_offset));
        """;
}

/// <summary>The same upgrade with the tables in a schema of the user's choosing.</summary>
public sealed class PostgresSinkCustomSchemaMigrationTests : PostgresSinkMigrationTests
{
    protected override string Schema => "chat_archive";
}

public sealed class SqliteSinkMigrationTests : SinkMigrationTests
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "etl-sqlite-migration-" + Guid.NewGuid().ToString("N")[..12]);

    private string DatabaseFile => Path.Combine(_folder, "etl.db");

    protected override Task<DatabaseAddress> CreateAddressAsync()
    {
        Directory.CreateDirectory(_folder);
        return Task.FromResult(DatabaseAddress.Parse("sqlite:" + DatabaseFile));
    }

    protected override DbConnection OpenConnection()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabaseFile, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    protected override string Table(string name) => name;

    protected override DateTimeOffset? ReadTime(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.ParseExact(reader.GetString(ordinal), "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", null, System.Globalization.DateTimeStyles.AssumeUniversal);

    protected override string ColumnsQuery => "SELECT name FROM pragma_table_info(@table) ORDER BY cid";

    protected override string EarlierSchema => """
        CREATE TABLE IF NOT EXISTS conversations (
            tenant_id TEXT NOT NULL, source TEXT NOT NULL, conversation_id TEXT NOT NULL,
            kind TEXT NOT NULL, display_name TEXT, topic TEXT, member_count INTEGER,
            message_count INTEGER NOT NULL DEFAULT 0, first_message_at TEXT, last_message_at TEXT,
            properties TEXT,
            PRIMARY KEY (tenant_id, source, conversation_id));
        CREATE TABLE IF NOT EXISTS participants (
            tenant_id TEXT NOT NULL, source TEXT NOT NULL, participant_id TEXT NOT NULL,
            display_name TEXT, name_seen_at TEXT,
            PRIMARY KEY (tenant_id, source, participant_id));
        CREATE TABLE IF NOT EXISTS messages (
            tenant_id TEXT NOT NULL, source TEXT NOT NULL, conversation_id TEXT NOT NULL, message_id TEXT NOT NULL,
            sender_id TEXT, sender_name TEXT, sent_at TEXT, message_type TEXT NOT NULL,
            content_text TEXT NOT NULL, content_raw TEXT, edited_at TEXT, deleted_at TEXT,
            properties TEXT, revision INTEGER NOT NULL, job_id TEXT NOT NULL,
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

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
