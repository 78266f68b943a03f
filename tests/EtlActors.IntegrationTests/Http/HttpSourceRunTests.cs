using System.Text;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Http;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Http;

/// <summary>
/// `etl run` of an HTTP source config against the stub API on loopback: 10,000 records over 100 pages through
/// 429s (Retry-After in seconds and as a date), a 500, a 503, a response slower than the timeout and a dropped
/// connection; then an incremental second run. The token is given only in the environment and must not show up
/// in any output, log line or database.
/// </summary>
public sealed class HttpSourceRunTests : IAsyncLifetime
{
    private const string Token = "tok-7f3a9c-SECRET-e21b";
    private readonly TempFolder _dir = new();
    private StubApi _api = null!;

    public async Task InitializeAsync() =>
        _api = await StubApi.StartAsync(new StubApiOptions { Records = 10_000, PageSize = 100, Conversations = 7, Seed = 5, ExpectedToken = Token });

    private string Config => _dir.File("items.yaml");

    private Dictionary<string, string> Environment => new() { ["ITEMS_URL"] = _api.BaseUrl, ["ITEMS_TOKEN"] = Token };

    private string Database => _dir.File("etl.db");

    private string[] Run => ["run", Config, "--sink", $"sqlite:{Database}", "--tenant", "acme", "--verbose"];

    private async Task WriteConfigAsync() => await File.WriteAllTextAsync(Config, """
        base_url: ${ITEMS_URL}
        auth: { type: bearer, token: "${ITEMS_TOKEN}" }
        timeout: 2s
        max_retries: 4
        resources:
          - name: items
            path: /items
            query: { limit: 100 }
            records: items
            paginate: { type: cursor, cursor: next_cursor, into: { query: cursor } }
            incremental: { field: updatedAt, param: { query: updated_since }, type: timestamp }
            mapping:
              into: messages
              source: items-api
              columns:
                conversation_id: conversation
                message_id: id
                sender_id: authorId
                sender_name: author
                content_text: text
                sent_at: { from: createdAt, type: timestamp }
                revision: { from: version, type: int }
        """);

    [Fact]
    public async Task A_paged_api_with_throttling_and_failures_loads_exact_rows_and_a_second_run_fetches_only_what_changed()
    {
        await WriteConfigAsync();
        _api.Faults.Add(StubFault.TooManyRequests(TimeSpan.FromSeconds(1)) with { OnPage = 10 });
        _api.Faults.Add(StubFault.TooManyRequestsUntilDate(TimeSpan.FromSeconds(2)) with { OnPage = 30 });
        _api.Faults.Add(StubFault.ServerError() with { OnPage = 50 });
        _api.Faults.Add(StubFault.Unavailable(TimeSpan.FromSeconds(1)) with { OnPage = 60 });
        _api.Faults.Add(StubFault.Slow(TimeSpan.FromSeconds(3)) with { OnPage = 70 }); // longer than the 2 s timeout
        _api.Faults.Add(StubFault.Drop() with { OnPage = 80 });
        _api.Faults.Add(StubFault.Truncate() with { OnPage = 90 });

        var first = await EtlProcess.RunAsync(_dir.Path, Environment, Run);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(0, _api.Faults.Remaining);
        var stats = _api.Stats;
        Assert.Empty(stats.RetryAfterRespected());
        Assert.Equal(2, _api.Log.Count(r => r.Status == 429));
        Assert.Equal((10_000, 0), (stats.RecordsServed, stats.PagesRefetched));
        await AssertRowsAsync();
        var firstRequests = _api.Log.Count;

        // Changes after the first run: three updated records and twenty new ones.
        var updated = _api.UpdateRecords(17, 4242, 9999);
        var added = _api.AddRecords(20);
        var second = await EtlProcess.RunAsync(_dir.Path, Environment, Run);

        Assert.True(second.ExitCode == 0, second.ToString());
        var secondRun = _api.Log.Skip(firstRequests).ToList();
        // updated_since is inclusive: besides the 23 changed records, the one at the last run's watermark comes again.
        Assert.Equal(24, secondRun.Sum(r => r.RecordsServed));
        Assert.Single(secondRun);
        await AssertRowsAsync();
        await using var tables = Tables.Sqlite(Database);
        Assert.Equal(10_020, await tables.CountAsync("messages"));
        Assert.Equal(2L, await tables.ScalarAsync($"SELECT revision FROM messages WHERE message_id = '{updated[1].Id}'"));
        Assert.Equal(added[^1].Text, await tables.ScalarAsync($"SELECT content_text FROM messages WHERE message_id = '{added[^1].Id}'"));

        // The token was given only in the environment: no output line, log line or database holds it.
        foreach (var output in new[] { first.Stdout, first.Stderr, second.Stdout, second.Stderr })
            Assert.DoesNotContain(Token, output, StringComparison.Ordinal);
        foreach (var file in Directory.GetFiles(_dir.Path, "*.db*"))
            Assert.False(Contains(file, Token), $"{file} holds the token");
    }

    [Fact]
    public async Task A_refused_token_fails_the_job_with_the_status_and_url_and_no_secret()
    {
        await WriteConfigAsync();
        var environment = Environment;
        environment["ITEMS_TOKEN"] = "wrong-" + Token;

        var result = await EtlProcess.RunAsync(_dir.Path, environment, Run);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.True(result.Stderr.Contains($"{Config}: items: GET {_api.BaseUrl}/items?limit=100: 401 Unauthorized", StringComparison.Ordinal), result.ToString());
        Assert.DoesNotContain(Token, result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Single(_api.Log); // not retried: a refused credential will not get better
    }

    [Fact]
    public async Task A_variable_missing_from_the_environment_is_named_with_its_line_before_anything_runs()
    {
        await WriteConfigAsync();

        var result = await EtlProcess.RunAsync(_dir.Path, new Dictionary<string, string> { ["ITEMS_URL"] = _api.BaseUrl }, Run);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Matches(@"error: .*items\.yaml:2:\d+: .*ITEMS_TOKEN", result.Stderr);
        Assert.Empty(_api.Log);
    }

    private async Task AssertRowsAsync()
    {
        await using var tables = Tables.Sqlite(Database);
        var expected = _api.Records.OrderBy(r => r.Id).Select(r => $"{r.Conversation}|{r.Id}|{r.AuthorId}|{r.Text}|{r.Version}").ToList();
        var loaded = await tables.RowsAsync(
            "SELECT conversation_id || '|' || message_id || '|' || sender_id || '|' || content_text || '|' || revision FROM messages WHERE source = 'items-api' ORDER BY CAST(message_id AS INTEGER)");
        Assert.Equal(expected, loaded);
        Assert.Equal(expected.Count, await tables.CountAsync("raw_records", "source = 'items-api'"));
        Assert.Equal(0, await tables.CountAsync("quarantine"));
    }

    private static bool Contains(string file, string text)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.GetBuffer().AsSpan(0, (int)copy.Length).IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _dir.Dispose();
    }
}
