using EtlActors.IntegrationTests.Support;
using EtlActors.Testing;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Cli;

/// <summary>`etl run` as a separate process on the sample export, checked in the database it loaded. Runs once per sink.</summary>
public abstract class EtlRunEndToEndTests : IAsyncLifetime
{
    protected readonly TempFolder Dir = new();
    private readonly SampleExport _sample = SampleExport.Count(RepoPaths.SampleJson);
    private string _sink = "";
    private Tables _tables = null!;

    protected abstract Task<(string Sink, Tables Tables)> CreateSinkAsync();

    public async Task InitializeAsync() => (_sink, _tables) = await CreateSinkAsync();

    private Task<ProcessResult> RunAsync(string export, params string[] extra) =>
        EtlProcess.RunAsync(Dir.Path, ["run", export, "--sink", _sink, "--tenant", "acme", .. extra]);

    [Fact]
    public async Task The_sample_loads_every_record_with_its_summary()
    {
        var result = await RunAsync(RepoPaths.Sample);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"  conversations  {_sample.Conversations:N0}\n", result.Stdout);
        Assert.Contains($"  messages       {_sample.Messages:N0}\n", result.Stdout);
        Assert.Contains($"  participants   {_sample.Participants:N0}\n", result.Stdout);
        Assert.Contains("  quarantined    0\n", result.Stdout);
        Assert.DoesNotContain("password", result.Stdout + result.Stderr, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(_sample.Conversations, await _tables.CountAsync("conversations", "tenant_id = 'acme' AND source = 'skype'"));
        Assert.Equal(_sample.Messages, await _tables.CountAsync("messages", "tenant_id = 'acme'"));
        Assert.Equal(_sample.Participants, await _tables.CountAsync("participants", "tenant_id = 'acme'"));
        Assert.Equal(_sample.Messages + _sample.Conversations, await _tables.CountAsync("raw_records", "tenant_id = 'acme'"));
        Assert.Equal(0, await _tables.CountAsync("quarantine"));
    }

    [Fact]
    public async Task An_unpacked_export_folder_loads_what_its_tar_does()
    {
        var result = await RunAsync(Path.GetDirectoryName(RepoPaths.SampleJson)!); // samples/skype: messages.json alone

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"  messages       {_sample.Messages:N0}\n", result.Stdout);
        Assert.Equal(_sample.Conversations, await _tables.CountAsync("conversations", "tenant_id = 'acme' AND source = 'skype'"));
        Assert.Equal(_sample.Messages, await _tables.CountAsync("messages", "tenant_id = 'acme' AND source = 'skype'"));
        Assert.Equal(_sample.Participants, await _tables.CountAsync("participants", "tenant_id = 'acme'"));
    }

    [Fact]
    public async Task The_sample_is_normalised_by_the_data_contract()
    {
        var result = await RunAsync(RepoPaths.Sample);
        Assert.True(result.ExitCode == 0, result.ToString());

        // Each kind of conversation, with its aggregates computed from its messages.
        foreach (var kind in new[] { "direct", "group", "bot" })
            Assert.True(await _tables.CountAsync("conversations", $"kind = '{kind}'") >= 1, $"no {kind} conversation");
        Assert.Equal(0, await _tables.CountAsync("conversations c",
            "c.message_count <> (SELECT count(*) FROM {t}messages m WHERE m.conversation_id = c.conversation_id AND m.tenant_id = c.tenant_id)"));
        Assert.Equal(0, await _tables.CountAsync("conversations", "message_count > 0 AND (first_message_at IS NULL OR last_message_at < first_message_at)"));

        // content_text: no markup or entities left, files by name, calls described, deletions emptied.
        Assert.Equal(0, await _tables.CountAsync("messages", "content_text LIKE '%<b>%' OR content_text LIKE '%&amp;%' OR content_text LIKE '%</ss>%' OR content_text LIKE '%<a href%'"));
        Assert.Equal("report.pdf", await _tables.ScalarAsync("SELECT content_text FROM {t}messages WHERE message_type = 'RichText/UriObject' ORDER BY sent_at LIMIT 1"));
        Assert.Equal(0, await _tables.CountAsync("messages",
            "message_type = 'Event/Call' AND NOT (content_text = 'Call started' OR content_text = 'Missed call' OR content_text LIKE 'Call ended (%')"));
        Assert.True(await _tables.CountAsync("messages", "message_type = 'Event/Call'") >= 2);
        Assert.True(await _tables.CountAsync("messages", "deleted_at IS NOT NULL") >= 1);
        Assert.Equal(0, await _tables.CountAsync("messages", "deleted_at IS NOT NULL AND content_text <> ''"));
        Assert.True(await _tables.CountAsync("messages", "edited_at IS NOT NULL AND content_text <> ''") >= 1);
        Assert.True(await _tables.CountAsync("messages", "message_type LIKE 'ThreadActivity/%' AND content_text <> ''") >= 2);
        // Senders always carry their "8:"-style prefix, even where the export left it out.
        Assert.Equal(0, await _tables.CountAsync("messages", "sender_id NOT LIKE '%:%'"));
        // Raw records keep the source text: every message's raw payload names its id.
        Assert.Equal(0, await _tables.CountAsync("messages m",
            "NOT EXISTS (SELECT 1 FROM {t}raw_records r WHERE r.record_key = 'message/' || m.conversation_id || '/' || m.message_id)"));
    }

    [Fact]
    public async Task Running_the_same_command_twice_leaves_the_same_rows()
    {
        var first = await RunAsync(RepoPaths.Sample);
        Assert.True(first.ExitCode == 0, first.ToString());
        var before = await DumpAllAsync();

        var second = await RunAsync(RepoPaths.Sample);
        Assert.True(second.ExitCode == 0, second.ToString());

        Assert.Equal(before, await DumpAllAsync());
    }

    [Fact]
    public async Task Bad_records_are_quarantined_with_their_reasons_while_good_ones_load()
    {
        var export = Dir.File("messages.json");
        await File.WriteAllTextAsync(export, """
            {"userId":"8:live:me","exportDate":"2024-03-01T10:00","conversations":[
             {"id":"8:live:bob","displayName":"Bob","properties":null,"threadProperties":null,"MessageList":[
              {"id":"3","originalarrivaltime":"2024-03-01T09:03:00.000Z","messagetype":"Text","content":"third","conversationid":"8:live:bob","from":"8:live:me"},
              {"originalarrivaltime":"2024-03-01T09:02:30.000Z","messagetype":"Text","content":"no id","conversationid":"8:live:bob","from":"8:live:bob"},
              {"id":"2","originalarrivaltime":"2024-03-01T09:02:00.000Z","messagetype":"RichText","content":"<b>second</b>","conversationid":"8:live:bob","from":"live:bob"},
              {"id":"x","originalarrivaltime":"2024-03-01T09:01:30.000Z","messagetype":"Text","content":"no conversation","from":"8:live:bob"},
              {"id":"1","originalarrivaltime":"2024-03-01T09:01:00Z","messagetype":"Text","content":"first","conversationid":"8:live:bob","from":"8:live:me"}
             ]}
            ]}
            """);

        var result = await RunAsync(export, "--job-id", "bad-records");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("  messages       3\n", result.Stdout);
        Assert.Contains("  quarantined    2\n", result.Stdout);
        Assert.Equal(["first", "second", "third"], (await _tables.DumpAsync("messages", "sent_at")).Select(r => r.Split(" | ")[8]));
        var quarantine = await _tables.DumpAsync("quarantine", "record_offset", "quarantined_at", "payload");
        Assert.Equal(
            ["bad-records | 1 | missing_message_id | message has no 'id'", "bad-records | 3 | missing_conversation_id | message x has no 'conversationid'"],
            quarantine);
    }

    [Fact]
    public async Task A_jobs_summary_counts_its_own_rows_in_a_database_that_holds_another_jobs_rows()
    {
        var other = Dir.File("other.tar");
        SyntheticSkypeExport.Write(other, new SyntheticExportOptions(Messages: 3_000, Conversations: 5, Seed: 11));
        var first = await RunAsync(other, "--job-id", "other-job");
        Assert.True(first.ExitCode == 0, first.ToString());

        var result = await RunAsync(RepoPaths.Sample, "--job-id", "sample-job");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"  conversations  {_sample.Conversations:N0}\n", result.Stdout);
        Assert.Contains($"  participants   {_sample.Participants:N0}\n", result.Stdout);
        Assert.Contains($"  messages       {_sample.Messages:N0}\n", result.Stdout);
        Assert.Equal(3_000 + _sample.Messages, await _tables.CountAsync("messages", "tenant_id = 'acme'"));
    }

    [Fact]
    public async Task Two_runs_at_once_on_one_database_both_load_exactly_and_quietly()
    {
        var big = Dir.File("big.tar");
        SyntheticSkypeExport.Write(big, new SyntheticExportOptions(Messages: 20_000, Conversations: 8, Seed: 12));
        string[] Args(string export, string tenant) => ["run", export, "--sink", _sink, "--tenant", tenant];

        using var one = RunningProcess.StartEtl(Dir.Path, null, Args(big, "one"));
        using var two = RunningProcess.StartEtl(Dir.Path, null, Args(RepoPaths.Sample, "two"));
        var (first, second) = (await one.WaitForExitAsync(TimeSpan.FromMinutes(3)), await two.WaitForExitAsync(TimeSpan.FromMinutes(3)));

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        foreach (var output in new[] { first.Stdout + first.Stderr, second.Stdout + second.Stderr })
        {
            // No error line, and none of what two runs sharing a journal used to print (their registries'
            // failed persists). On a starved machine sharding may still warn that its coordinator is slow to answer.
            Assert.False(output.Contains("[ERR]", StringComparison.Ordinal) || output.Contains("error", StringComparison.OrdinalIgnoreCase)
                || output.Contains("persist", StringComparison.OrdinalIgnoreCase), output);
        }
        Assert.Contains("  messages       20,000\n", first.Stdout);
        Assert.Contains($"  messages       {_sample.Messages:N0}\n", second.Stdout);
        Assert.Equal(20_000, await _tables.CountAsync("messages", "tenant_id = 'one'"));
        Assert.Equal(_sample.Messages, await _tables.CountAsync("messages", "tenant_id = 'two'"));
    }

    private async Task<string> DumpAllAsync()
    {
        var parts = new[]
        {
            await _tables.DumpAsync("conversations", "conversation_id"),
            await _tables.DumpAsync("participants", "participant_id"),
            await _tables.DumpAsync("messages", "conversation_id, message_id"),
            await _tables.DumpAsync("raw_records", "record_key"),
            await _tables.DumpAsync("quarantine", "job_id, record_offset", "quarantined_at"),
        };
        return string.Join("\n", parts.SelectMany(p => p));
    }

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Dir.Dispose();
    }
}

public sealed class EtlRunIntoSqliteTests : EtlRunEndToEndTests
{
    protected override Task<(string Sink, Tables Tables)> CreateSinkAsync()
    {
        var file = Dir.File("etl.db");
        return Task.FromResult(($"sqlite:{file}", Tables.Sqlite(file)));
    }
}

public sealed class EtlRunIntoPostgresTests : EtlRunEndToEndTests
{
    protected override async Task<(string Sink, Tables Tables)> CreateSinkAsync()
    {
        var server = await PostgresServer.SharedAsync();
        var db = await server.CreateDatabaseAsync("etlrun");
        return (db.Url, Tables.Postgres(db.ConnectionString));
    }
}
