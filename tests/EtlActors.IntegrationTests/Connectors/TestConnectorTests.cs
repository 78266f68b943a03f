using EtlActors.Cli;
using EtlActors.IntegrationTests.Support;
using EtlActors.Pipeline.Connectors;
using EtlActors.Testing;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Connectors;

/// <summary>A connector the test defines runs end to end through `etl run` (in this process, with it registered in one line).</summary>
public abstract class TestConnectorTests : IAsyncLifetime
{
    protected readonly TempFolder Dir = new();
    private string _sink = "";
    private Tables _tables = null!;

    protected abstract Task<(string Sink, Tables Tables)> CreateSinkAsync();

    public async Task InitializeAsync() => (_sink, _tables) = await CreateSinkAsync();

    [Fact]
    public async Task A_test_defined_connector_loads_exact_rows_and_is_detected_from_content()
    {
        var file = Dir.File("chat.txt");
        var lines = Enumerable.Range(0, 250).Select(i => $"room-{i % 4}|user-{i % 7}|message {i}");
        await File.WriteAllLinesAsync(file, [LinesConnector.Header, .. lines, "not a message"]);
        var connectors = SourceConnectors.Builtin().Add(new LinesConnector()); // the one registration line

        var exit = await EtlCommandLine.InvokeAsync(["run", file, "--sink", _sink, "--tenant", "lines-co", "--job-id", "lines-1", "--batch-size", "40"], connectors);

        Assert.Equal(0, exit);
        Assert.Equal(250, await _tables.CountAsync("messages", "tenant_id = 'lines-co' AND source = 'lines' AND job_id = 'lines-1'"));
        Assert.Equal(4, await _tables.CountAsync("conversations", "tenant_id = 'lines-co' AND source = 'lines'"));
        Assert.Equal(7, await _tables.CountAsync("participants", "tenant_id = 'lines-co' AND source = 'lines'"));
        Assert.Equal(250, await _tables.CountAsync("raw_records", "tenant_id = 'lines-co' AND source = 'lines'"));
        Assert.Equal("message 249", await _tables.ScalarAsync("SELECT content_text FROM {t}messages WHERE message_id = 'line-249'"));
        Assert.Equal(63L, Convert.ToInt64(await _tables.ScalarAsync("SELECT message_count FROM {t}conversations WHERE conversation_id = 'room-0'"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["lines-1 | 250 | lines_shape | expected conversation|sender|text"], await _tables.DumpAsync("quarantine", "record_offset", "quarantined_at", "payload"));
    }

    [Fact]
    public async Task An_unknown_source_kind_is_refused_with_the_known_ones()
    {
        var result = await EtlProcess.RunAsync(Dir.Path, "run", RepoPaths.Sample, "--sink", _sink, "--source", "teams");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--source: unknown source kind 'teams' (known: skype, slack, files, http)", result.Stderr, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Dir.Dispose();
    }
}

public sealed class TestConnectorIntoSqliteTests : TestConnectorTests
{
    protected override Task<(string Sink, Tables Tables)> CreateSinkAsync()
    {
        var file = Dir.File("etl.db");
        return Task.FromResult(($"sqlite:{file}", Tables.Sqlite(file)));
    }
}

public sealed class TestConnectorIntoPostgresTests : TestConnectorTests
{
    protected override async Task<(string Sink, Tables Tables)> CreateSinkAsync()
    {
        var server = await PostgresServer.SharedAsync();
        var db = await server.CreateDatabaseAsync("lines");
        return (db.Url, Tables.Postgres(db.ConnectionString));
    }
}
