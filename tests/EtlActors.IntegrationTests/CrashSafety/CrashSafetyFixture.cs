using EtlActors.IntegrationTests.Support;
using EtlActors.Testing;
using Npgsql;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.CrashSafety;

[CollectionDefinition(Name)]
public sealed class CrashSafetyCollection : ICollectionFixture<CrashSafetyFixture>
{
    // Runs these classes one after another: each drives whole etl processes on 100k records.
    public const string Name = "crash safety";
}

/// <summary>
/// One generated export of 100k messages, and the tables an uninterrupted run leaves in PostgreSQL:
/// every interrupted run must end with exactly these.
/// </summary>
public sealed class CrashSafetyFixture : IAsyncLifetime
{
    public const int Messages = 100_000;
    public const int Conversations = 120;
    private readonly TempFolder _dir = new();

    public string Export => _dir.File("export.tar");
    public long Records => Messages + Conversations;
    public TableFingerprint Baseline { get; private set; } = null!;
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        SyntheticSkypeExport.Write(Export, new SyntheticExportOptions(Messages, Conversations, Seed: 7));
        Server = await PostgresServer.SharedAsync();
        var db = await Server.CreateDatabaseAsync("baseline");
        var result = await EtlProcess.RunAsync(_dir.Path, "run", Export, "--sink", db.Url, "--tenant", "acme", "--job-id", "baseline");
        Assert.True(result.ExitCode == 0, result.ToString());
        Baseline = await TableFingerprint.ReadAsync(db.ConnectionString);
        Assert.Equal(Messages, Baseline.Messages);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>What "the same tables" means: counts per table, no duplicate keys, and checksums over the contents users query.</summary>
public sealed record TableFingerprint(
    long Conversations, long Participants, long Messages, long RawRecords, long DuplicateKeys,
    string MessagesChecksum, string ConversationsChecksum, string ParticipantsChecksum, string RawRecordsChecksum)
{
    public static async Task<TableFingerprint> ReadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM etl.conversations),
                   (SELECT count(*) FROM etl.participants),
                   (SELECT count(*) FROM etl.messages),
                   (SELECT count(*) FROM etl.raw_records),
                   (SELECT count(*) FROM (SELECT 1 FROM etl.messages GROUP BY tenant_id, source, conversation_id, message_id HAVING count(*) > 1) d),
                   (SELECT md5(string_agg(conversation_id || '/' || message_id || '/' || content_text || '/' || coalesce(thread_id, '') || '/' || coalesce(sender_name, ''), E'\n' ORDER BY conversation_id, message_id)) FROM etl.messages),
                   (SELECT md5(string_agg(conversation_id || '/' || kind || '/' || message_count || '/' || coalesce(first_message_at::text, '') || '/' || coalesce(last_message_at::text, ''), E'\n' ORDER BY conversation_id)) FROM etl.conversations),
                   (SELECT md5(string_agg(participant_id || '/' || coalesce(display_name, ''), E'\n' ORDER BY participant_id)) FROM etl.participants),
                   (SELECT md5(string_agg(record_key || '/' || md5(payload::text), E'\n' ORDER BY record_key)) FROM etl.raw_records)
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new TableFingerprint(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
            reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetString(8));
    }

    /// <summary>Waits, by counting raw records, until at least <paramref name="records"/> are loaded.</summary>
    public static async Task WaitUntilLoadedAsync(string connectionString, TimeSpan within, long records)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        using var deadline = new CancellationTokenSource(within);
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        while (await CountLoadedAsync(connection) < records)
            await ticks.WaitForNextTickAsync(deadline.Token);
    }

    private static async Task<long> CountLoadedAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM etl.raw_records", connection);
        try
        {
            return (long)(await command.ExecuteScalarAsync())!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0; // the schema is not there yet
        }
    }
}
