using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Http;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Http;

/// <summary>
/// The example configs in samples/sources, run as shipped by `etl run` against a stub of their API (the base URL and
/// credentials from the environment, as a user would give them): each loads every record the stub serves.
/// </summary>
public sealed class SampleSourcesTests : IDisposable
{
    private readonly TempFolder _dir = new();

    private static string Sample(string name) => Path.Combine(RepoPaths.Root, "samples", "sources", name);

    private async Task<ProcessResult> RunAsync(string sample, Dictionary<string, string> environment) =>
        await EtlProcess.RunAsync(_dir.Path, environment, "run", Sample(sample), "--sink", $"sqlite:{_dir.File("etl.db")}", "--tenant", "acme");

    [Fact]
    public async Task Gong_calls_load_into_their_table_through_a_post_with_a_cursor_in_the_body()
    {
        await using var api = await StubApi.StartAsync(new StubApiOptions { Records = 450, PageSize = 100, BasicUser = "key-id", BasicPassword = "key-secret" });

        var result = await RunAsync("gong-calls.yaml", new()
        {
            ["GONG_BASE_URL"] = api.BaseUrl, ["GONG_ACCESS_KEY"] = "key-id", ["GONG_ACCESS_KEY_SECRET"] = "key-secret",
        });

        Assert.True(result.ExitCode == 0, result.ToString());
        await using var tables = Tables.Sqlite(_dir.File("etl.db"));
        Assert.Equal(450, await tables.CountAsync("gong_calls", "source = 'gong'"));
        Assert.Equal(api.Records[0].Text, await tables.ScalarAsync($"SELECT title FROM gong_calls WHERE call_id = '{api.Records[0].Id}'"));
        Assert.All(api.Log, r => Assert.Equal("POST", r.Method));
        Assert.Equal(5, api.Log.Count);
    }

    [Fact]
    public async Task Hubspot_contacts_load_into_their_table_with_the_after_cursor()
    {
        await using var api = await StubApi.StartAsync(new StubApiOptions { Records = 230, PageSize = 100, ExpectedToken = "pat-na1-xyz" });

        var result = await RunAsync("hubspot-contacts.yaml", new() { ["HUBSPOT_BASE_URL"] = api.BaseUrl, ["HUBSPOT_TOKEN"] = "pat-na1-xyz" });

        Assert.True(result.ExitCode == 0, result.ToString());
        await using var tables = Tables.Sqlite(_dir.File("etl.db"));
        Assert.Equal(230, await tables.CountAsync("contacts", "source = 'hubspot'"));
        var first = api.Records[0];
        Assert.Equal(first.Email, await tables.ScalarAsync($"SELECT email FROM contacts WHERE id = '{first.Id}'"));
        Assert.Equal(3, api.Log.Count);
    }

    [Fact]
    public async Task Slack_history_loads_one_channels_messages_with_their_threads()
    {
        await using var api = await StubApi.StartAsync(new StubApiOptions { Records = 500, Conversations = 2, ExpectedToken = "xoxb-test" });

        var result = await RunAsync("slack-history.yaml", new()
        {
            ["SLACK_BASE_URL"] = api.BaseUrl, ["SLACK_TOKEN"] = "xoxb-test", ["SLACK_CHANNEL"] = "C2",
        });

        Assert.True(result.ExitCode == 0, result.ToString());
        await using var tables = Tables.Sqlite(_dir.File("etl.db"));
        var channel = api.Records.Where(r => r.Conversation == "C2").ToList();
        Assert.Equal(channel.Count, await tables.CountAsync("messages", "source = 'slack' AND conversation_id = 'C2'"));
        Assert.Equal(channel.Count, await tables.CountAsync("messages"));
        var replies = channel.Where(r => r.ThreadTs is not null).ToList();
        Assert.NotEmpty(replies);
        Assert.Equal(replies.Count, await tables.CountAsync("messages", "thread_id IS NOT NULL"));
        Assert.Equal(replies[0].ThreadTs, await tables.ScalarAsync($"SELECT thread_id FROM messages WHERE message_id = '{replies[0].Ts}'"));
        Assert.DoesNotContain("xoxb-test", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
