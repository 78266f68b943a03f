using System.Globalization;
using EtlActors.Cli;
using EtlActors.IntegrationTests.Support;
using EtlActors.Pipeline.Connectors;
using EtlActors.Testing;
using EtlActors.Testing.Slack;

namespace EtlActors.IntegrationTests.Connectors;

/// <summary>A Slack export, as the zip Slack gives and as its unpacked folder, through `etl run` into each database.</summary>
public abstract class SlackRunTests : IAsyncLifetime
{
    protected readonly TempFolder Dir = new();
    private string _sink = "";
    private Tables _tables = null!;

    protected abstract Task<(string Sink, Tables Tables)> CreateSinkAsync();

    public async Task InitializeAsync() => (_sink, _tables) = await CreateSinkAsync();

    [Fact]
    public async Task A_Slack_zip_loads_exact_rows_and_its_unpacked_folder_loads_the_same_again()
    {
        var zip = SlackSampleExport.WriteZip(Dir.File("slack-export.zip"));

        var exit = await EtlCommandLine.InvokeAsync(["run", zip, "--sink", _sink, "--tenant", "acme", "--job-id", "slack-1", "--batch-size", "5"], SourceConnectors.Builtin());

        Assert.Equal(0, exit);
        await AssertSampleRowsAsync("slack-1");
        var dump = await DumpAsync();

        // The unpacked folder is the same export: detected as Slack, the same rows, now the second job's.
        var folder = SlackSampleExport.WriteFolder(Dir.File("slack-export"));
        Assert.Equal(0, await EtlCommandLine.InvokeAsync(["run", folder, "--sink", _sink, "--tenant", "acme", "--job-id", "slack-2"], SourceConnectors.Builtin()));
        await AssertSampleRowsAsync("slack-2");
        Assert.Equal(dump, await DumpAsync());
    }

    private async Task AssertSampleRowsAsync(string job)
    {
        const string Slack = "tenant_id = 'acme' AND source = 'slack'";
        Assert.Equal(SlackSampleExport.Messages, await _tables.CountAsync("messages", $"{Slack} AND job_id = '{job}'"));
        Assert.Equal(SlackSampleExport.Conversations, await _tables.CountAsync("conversations", $"{Slack} AND job_id = '{job}'"));
        Assert.Equal(SlackSampleExport.Participants, await _tables.CountAsync("participants", $"{Slack} AND job_id = '{job}'"));
        Assert.Equal(4 + SlackSampleExport.Conversations + SlackSampleExport.Messages, await _tables.CountAsync("raw_records", Slack));
        Assert.Equal(0, await _tables.CountAsync("quarantine"));

        var expected = SlackSampleExport.ExpectedMessages
            .OrderBy(m => m.Conversation, StringComparer.Ordinal).ThenBy(m => m.Ts, StringComparer.Ordinal)
            .Select(m => string.Join(" | ", m.Conversation, m.Ts, m.Sender ?? "∅", m.Name ?? "∅", m.Type, m.Text, m.Thread ?? "∅"));
        Assert.Equal(expected, await _tables.DumpAsync("messages", "conversation_id, message_id",
            "tenant_id", "source", "sent_at", "content_raw", "edited_at", "deleted_at", "properties", "revision", "job_id"));
        Assert.Equal(
            [
                "C01 | channel | general | Company news | 3 | 16",
                "C02 | channel | random | ∅ | 1 | 1",
                "D01 | direct | Alice A, Bob Brown | ∅ | 2 | 1",
                "G01 | private_channel | secret-plans | Shh | 2 | 1",
                "G02 | group | mpdm-alice--bob--carol-1 | ∅ | 3 | 1",
                "old-project | channel | old-project | ∅ | ∅ | 1",
            ],
            await _tables.DumpAsync("conversations", "conversation_id",
                "tenant_id", "source", "first_message_at", "last_message_at", "properties", "job_id"));
        var edited = await _tables.RowAsync("messages", "message_id = '1704067600.000500'");
        Assert.Equal(new DateTime(2024, 1, 1, 0, 8, 20, DateTimeKind.Utc), ToUtc(edited!["edited_at"]));
        var files = Convert.ToString(await _tables.ScalarAsync("SELECT properties FROM {t}messages WHERE message_id = '1704067500.000400'"), CultureInfo.InvariantCulture);
        Assert.Contains("?t=REDACTED", files, StringComparison.Ordinal);
        Assert.DoesNotContain(SlackSampleExport.Token, files, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<string>> DumpAsync() =>
    [
        .. await _tables.DumpAsync("messages", "conversation_id, message_id", "job_id"),
        .. await _tables.DumpAsync("conversations", "conversation_id", "job_id"),
        .. await _tables.DumpAsync("participants", "participant_id", "job_id"),
    ];

    private static DateTime ToUtc(object? value) => value switch
    {
        DateTime d => d.ToUniversalTime(),
        string s => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
        _ => throw new InvalidOperationException($"not a time: {value}"),
    };

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Dir.Dispose();
    }
}

public sealed class SlackRunIntoSqliteTests : SlackRunTests
{
    protected override Task<(string Sink, Tables Tables)> CreateSinkAsync()
    {
        var file = Dir.File("etl.db");
        return Task.FromResult(($"sqlite:{file}", Tables.Sqlite(file)));
    }
}

public sealed class SlackRunIntoPostgresTests : SlackRunTests
{
    protected override async Task<(string Sink, Tables Tables)> CreateSinkAsync()
    {
        var server = await PostgresServer.SharedAsync();
        var db = await server.CreateDatabaseAsync("slack");
        return (db.Url, Tables.Postgres(db.ConnectionString));
    }
}
