using System.Data.Common;
using EtlActors.Pipeline.Load;
using EtlActors.Pipeline.Records;
using EtlActors.Testing;
using Npgsql;
using static EtlActors.Pipeline.Tests.Load.SampleRows;

namespace EtlActors.Pipeline.Tests.Load;

public class PostgresSinkTests : SinkContractTests
{
    private TestDatabase? _database;

    protected virtual string Schema => "etl";

    protected TestDatabase Database => _database ?? throw new InvalidOperationException("not initialised");

    private DatabaseAddress Address => DatabaseAddress.Parse(Schema == "etl" ? Database.Url : Database.Url + "?schema=" + Schema);

    private PostgresSink PostgresSink => (PostgresSink)Sink;

    protected override async Task<DatabaseAddress> CreateAddressAsync()
    {
        var server = await PostgresServer.SharedAsync();
        _database = await server.CreateDatabaseAsync("sink_tests");
        return Address;
    }

    protected override DbConnection OpenConnection()
    {
        var connection = new NpgsqlConnection(Database.ConnectionString);
        connection.Open();
        return connection;
    }

    protected override string Table(string name) => $"{Schema}.{name}";

    protected override DateTimeOffset? ReadTime(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    [Fact]
    public async Task Tables_use_the_documented_column_types()
    {
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT table_name || '.' || column_name || ' ' || data_type FROM information_schema.columns
            WHERE table_schema = @schema AND column_name IN ('properties', 'payload', 'sent_at', 'member_count', 'revision')
            ORDER BY 1
            """;
        command.Parameters.Add(new NpgsqlParameter("schema", Schema));
        var columns = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                columns.Add(reader.GetString(0));
        }

        Assert.Equal(
        [
            "conversations.member_count integer", "conversations.properties json", "messages.properties json",
            "messages.revision bigint", "messages.sent_at timestamp with time zone", "quarantine.payload text",
            "raw_records.payload json",
        ], columns);
    }

    [Fact]
    public async Task A_replay_by_the_same_job_whose_values_lose_rewrites_no_row()
    {
        await LoadAsync(Batch(participants: [Participant("p", "Alice", At(10))], messages: [Message("c", "m", revision: 5)]));
        var before = await RowVersionsAsync();

        await LoadAsync(Batch(participants: [Participant("p", "Older", At(5))], messages: [Message("c", "m", revision: 4)]));

        Assert.Equal(before, await RowVersionsAsync());
    }

    // xmin changes whenever PostgreSQL writes a new version of the row.
    private async Task<(string Participant, string Message)> RowVersionsAsync()
    {
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT (SELECT xmin::text FROM {Table("participants")}), (SELECT xmin::text FROM {Table("messages")})";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.GetString(1));
    }

    [Fact]
    public async Task New_rows_are_copied_straight_in_and_a_batch_meeting_rows_already_there_is_upserted_instead()
    {
        await LoadAsync(Batch(messages: [Message("c", "1")], raw: [Raw("c/1")]));
        Assert.Equal(LoadPath.Direct, PostgresSink.LastPath);

        // The row already there comes last, so the failed COPY had written the new rows before it: they must not stay twice.
        await LoadAsync(Batch(
            messages: [Message("c", "2"), Message("c", "1", revision: 2, text: "edited")],
            raw: [Raw("c/2"), Raw("c/1", """{"id":"edited"}""")]));
        Assert.Equal(LoadPath.Collided, PostgresSink.LastPath);
        await LoadAsync(Batch(messages: [Message("c", "3")], raw: [Raw("c/3")]));
        Assert.Equal(LoadPath.Staged, PostgresSink.LastPath);
        await LoadAsync(Batch(messages: [Message("c", "4")], raw: [Raw("c/4")]));
        Assert.Equal(LoadPath.Direct, PostgresSink.LastPath);

        var stored = await ReadAllAsync();
        Assert.Equal(["1:edited", "2:hello", "3:hello", "4:hello"], stored.Messages.Select(m => $"{m.MessageId}:{m.ContentText}"));
        Assert.Equal(["c/1", "c/2", "c/3", "c/4"], stored.RawRecords.Select(r => r.RecordKey));
        Assert.Equal("""{"id":"edited"}""", stored.RawRecords[0].Payload);
    }

    [Fact]
    public async Task Two_jobs_copying_the_same_new_rows_at_once_in_opposite_orders_both_commit_and_leave_each_row_once()
    {
        var ids = Enumerable.Range(0, 3000).Select(i => $"m{i:D5}").ToList();
        LoadBatch JobBatch(string job, IEnumerable<string> order) => Batch(
            messages: [.. order.Select(id => Message("c", id, text: job, job: job))],
            raw: [.. order.Select(id => Raw("c/" + id, job: job))],
            job: job);
        await using var other = SinkFactory.Create(Address);
        await other.EnsureSchemaAsync(default);

        // Each COPY holds the keys it has written until its transaction ends, so the two meet in the middle and
        // PostgreSQL breaks the deadlock by failing one of them: that one rolls back its savepoint and upserts.
        await Task.WhenAll(
            Task.Run(() => LoadAsync(JobBatch("job-1", ids))),
            Task.Run(() => other.LoadAsync(JobBatch("job-2", Enumerable.Reverse(ids)), default)));

        var stored = await ReadAllAsync();
        Assert.Equal(ids, stored.Messages.Select(m => m.MessageId));
        Assert.Equal(ids.Count, stored.RawRecords.Count);
        var winner = Assert.Single(stored.Messages.Select(m => m.JobId).Distinct());
        Assert.All(stored.Messages, m => Assert.Equal(winner, m.ContentText));
    }

    [Fact]
    public void The_description_names_user_host_port_and_database()
    {
        var url = new Uri(Database.Url);
        var expected = $"postgresql://postgres@127.0.0.1:{url.Port}/{Database.Name}" + (Schema == "etl" ? "" : "?schema=" + Schema);
        Assert.Equal(expected, Sink.Description);
    }

    [Fact]
    public async Task The_sink_reconnects_after_its_connection_is_killed()
    {
        await LoadAsync(Batch(messages: [Message("c", "1")]));
        await using (var admin = OpenConnection())
        {
            await using var kill = admin.CreateCommand();
            kill.CommandText = "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity WHERE application_name = 'etl-actors' AND datname = current_database()";
            Assert.Equal(1L, await kill.ExecuteScalarAsync());
        }

        // The first use notices the dead connection and fails; the caller's retry goes through.
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => LoadAsync(Batch(messages: [Message("c", "2")])));
        await LoadAsync(Batch(messages: [Message("c", "2")]));

        Assert.Equal(new SinkTotals(0, 0, 2, 0), await Sink.GetTotalsAsync(Tenant, Source, Job, default));
    }
}

/// <summary>The same behaviour with the tables in a schema of the user's choosing.</summary>
public sealed class PostgresSinkCustomSchemaTests : PostgresSinkTests
{
    protected override string Schema => "chat_archive";

    [Fact]
    public async Task Nothing_is_created_in_the_default_schema()
    {
        await LoadAsync(Full());

        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'etl'";
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }
}
