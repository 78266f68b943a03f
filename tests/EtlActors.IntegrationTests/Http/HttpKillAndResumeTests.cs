using EtlActors.IntegrationTests.CrashSafety;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Http;
using EtlActors.Testing;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Http;

/// <summary>
/// `etl run` of an HTTP source killed with SIGKILL three times mid-pull, then run to the end with the same command:
/// the tables hold exactly the API's records, and the API served again at most the one page in flight per kill.
/// </summary>
public sealed class HttpKillAndResumeTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const int Records = 6_000;
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(3);
    private readonly TempFolder _dir = new();
    private StubApi _api = null!;

    public async Task InitializeAsync() =>
        _api = await StubApi.StartAsync(new StubApiOptions { Records = Records, PageSize = 50, Conversations = 9, Seed = 8, ExpectedToken = "kill-token" });

    [Fact]
    public async Task A_pull_killed_three_times_resumes_each_time_at_its_last_page_and_ends_with_exact_rows()
    {
        var config = _dir.File("items.yaml");
        await File.WriteAllTextAsync(config, """
            base_url: ${ITEMS_URL}
            auth: { type: bearer, token: "${ITEMS_TOKEN}" }
            resources:
              - name: items
                path: /items
                query: { limit: 50 }
                records: items
                paginate: { type: cursor, cursor: next_cursor, into: { query: cursor } }
                mapping:
                  into: messages
                  columns: { conversation_id: conversation, message_id: id, sender_id: authorId, sender_name: author, content_text: text }
            """);
        // Slow pages, so that each kill lands mid-pull: 120 pages of at least 100 ms.
        _api.Faults.Add(StubFault.Slow(TimeSpan.FromMilliseconds(100)) with { Times = int.MaxValue });
        var server = await PostgresServer.SharedAsync();
        var db = await server.CreateDatabaseAsync("http_killed");
        var environment = new Dictionary<string, string> { ["ITEMS_URL"] = _api.BaseUrl, ["ITEMS_TOKEN"] = "kill-token" };
        string[] command = ["run", config, "--sink", db.Url, "--tenant", "acme", "--job-id", "http-kill"];

        foreach (var share in new[] { 0.2, 0.5, 0.8 })
        {
            using var run = RunningProcess.StartEtl(_dir.Path, environment, command);
            await TableFingerprint.WaitUntilLoadedAsync(db.ConnectionString, Within, (long)(Records * share));
            run.Kill();
            var died = await run.WaitForExitAsync(Within);
            Assert.True(died.ExitCode == 137, $"expected death by SIGKILL\n{died}");
        }
        var resumed = await EtlProcess.RunAsync(_dir.Path, environment, command);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Matches(@"Resuming job http-kill from checkpoint at record [1-9]\d*", resumed.Stdout);
        var stats = _api.Stats;
        output.WriteLine($"{stats.RequestsServed} requests served, {stats.PagesRefetched} pages fetched again after 3 kills: {string.Join(", ", stats.RefetchedPages())}");
        Assert.True(stats.PagesRefetched <= 3, $"{stats.PagesRefetched} pages fetched again: {string.Join(", ", stats.RefetchedPages())}");
        await using var tables = Tables.Postgres(db.ConnectionString);
        var expected = _api.Records.OrderBy(r => r.Id).Select(r => $"{r.Conversation}|{r.Id}|{r.Author}|{r.Text}").ToList();
        var loaded = await tables.RowsAsync(
            "SELECT conversation_id || '|' || message_id || '|' || sender_name || '|' || content_text FROM etl.messages ORDER BY message_id::bigint");
        Assert.Equal(expected, loaded);
        Assert.Equal(Records, await tables.CountAsync("raw_records"));
        Assert.Equal(9, await tables.CountAsync("conversations"));
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _dir.Dispose();
    }
}
