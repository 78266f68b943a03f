using System.Text.Json;
using EtlActors.Contracts.Jobs;
using EtlActors.IntegrationTests.Cluster;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Processes;
using EtlActors.Testing.Security;

namespace EtlActors.IntegrationTests.Observability;

/// <summary>
/// A node's log as an operator's collector and alerting see it (issue 15, acceptance 5): a job's lines carry its id,
/// tenant and node as properties; no secret appears; normal use (clients coming and going) logs nothing above
/// Information; and an admin, only an admin, changes a node's level while it runs.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class NodeLogTests(ClusterFixture fixture) : IDisposable
{
    private const string Job = "nodelogs-job";
    private const string Password = "sink-pw-5e1f";

    private readonly TempFolder _dir = new();

    private async Task<ProcessResult> Etl(LocalCluster cluster, params string[] args) => await Etl(cluster, null, args);

    private async Task<ProcessResult> Etl(LocalCluster cluster, TestKey? key, params string[] args) =>
        await EtlProcess.RunAsync(_dir.Path, key?.ClientEnvironment, [.. args, .. cluster.ClusterArgs]);

    [Fact]
    public async Task A_jobs_json_lines_carry_its_id_and_tenant_and_twenty_commands_leave_no_warning_or_error()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("nodelogs_journal");
        var sink = await fixture.Server.CreateDatabaseAsync("nodelogs_sink");
        await using var cluster = await LocalCluster.StartAsync(1, journal.Url, new LocalClusterOptions
        {
            Settings = new Dictionary<string, string> { ["Etl__Logging__Format"] = "json" },
        });
        var node = cluster.Seed.Process;
        // The server trusts loopback, so the password is not checked; it is here to be kept out of the log.
        var sinkWithPassword = sink.Url.Replace("@", ":" + Password + "@", StringComparison.Ordinal);
        string[] submit = ["submit", fixture.SmallExport, "--sink", sinkWithPassword, "--tenant", "acme", "--job-id", Job];

        var submitted = await Etl(cluster, submit);
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        await using (var client = cluster.Client())
            await cluster.WaitForJobAsync(client, new JobId(Job), s => s.State == JobState.Completed, TimeSpan.FromMinutes(3), "completed");

        // What operators run all day; the submit of the finished job loads it once more.
        string[][] commands =
        [
            ["jobs", "list"], ["jobs", "list", "--json"], ["jobs", "show", Job], ["jobs", "show", Job, "--json"],
            ["jobs", "list", "--tenant", "acme"], ["jobs", "list", "--state", "Completed"], ["cluster", "show"], ["cluster", "show", "--json"],
            ["cluster", "shards"], ["cluster", "shards", "--json"], ["jobs", "show", "no-such-job"], ["jobs", "list", "--state", "Running"],
            ["jobs", "list"], ["cluster", "show"], ["jobs", "show", Job], ["jobs", "list", "--json"],
            ["cluster", "show", "--json"], ["jobs", "show", Job, "--json"], ["jobs", "list", "--tenant", "acme"], submit,
        ];
        foreach (var command in commands)
        {
            var result = await Etl(cluster, command);
            // An unknown job is the user's mistake: exit 1 and an error line for them, nothing for the node to worry about.
            var mistake = command.Contains("no-such-job");
            Assert.True(result.ExitCode == (mistake ? 1 : 0), $"{string.Join(' ', command)}: {result}");
        }
        await using (var client = cluster.Client())
            await cluster.WaitForJobAsync(client, new JobId(Job), s => s.State == JobState.Completed, TimeSpan.FromMinutes(3), "completed again");
        await QuietAsync(node);

        var lines = node.Output().Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var afterUp = lines.SkipWhile(l => !Message(l).Contains("cluster member up", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(afterUp);

        var aboutTheJob = lines.Where(l => l.GetRawText().Contains(Job, StringComparison.Ordinal)).ToList();
        // The supervisor's own lines (starting, completed) and the gate's, besides the loaders' below.
        Assert.Contains(aboutTheJob, l => Property(l, "ActorPath")?.EndsWith("/" + Job, StringComparison.Ordinal) == true);
        Assert.Contains(aboutTheJob, l => Property(l, "ActorPath") == "akka://etl/user/jobs");
        Assert.All(aboutTheJob, l =>
        {
            Assert.True(Property(l, "JobId") == Job, l.GetRawText());
            Assert.True(Property(l, "TenantId") == "acme", l.GetRawText());
        });
        // A loader's lines name no job in their message, yet carry it.
        Assert.Contains(lines, l => Property(l, "ActorPath")?.Contains("/loader-", StringComparison.Ordinal) == true && Property(l, "JobId") == Job);
        Assert.All(lines, l => Assert.True(Property(l, "Node") == cluster.Seed.Address, l.GetRawText()));

        var loud = afterUp.Where(l => Property(l, "@l") is "Warning" or "Error" or "Fatal").Select(l => l.GetRawText()).ToList();
        Assert.True(loud.Count == 0, $"{loud.Count} line(s) above Information after the cluster was up:\n{string.Join('\n', loud)}");
        Assert.DoesNotContain(Password, node.Output());
        Assert.DoesNotContain(TestKeys.Admin.Key, node.Output());
    }

    [Fact]
    public async Task An_admin_sets_a_nodes_log_level_while_it_runs_and_no_one_else_may()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("nodelogs_level_journal");
        var operatorKey = new TestKey("ops-acme", "operator", "acme");
        await using var cluster = await LocalCluster.StartAsync(1, journal.Url, new LocalClusterOptions { ApiKeys = [operatorKey] });
        var node = cluster.Seed.Process;
        static bool IsDebug(string line) => line.Contains(" DBG] ", StringComparison.Ordinal);
        Assert.Null(node.LastLine(IsDebug));

        var refused = await Etl(cluster, operatorKey, "cluster", "log-level", "Debug");
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Equal("error: not allowed: principal 'ops-acme' (operator of acme) may not change a node's log level; that needs the admin role", refused.Stderr.Trim());

        var debug = await Etl(cluster, "cluster", "log-level", "Debug");
        Assert.True(debug.ExitCode == 0, debug.ToString());
        // "was Information": the refused command changed nothing.
        Assert.Equal($"akka.ssl.tcp://etl@{cluster.Seed.Address} logs Debug and above (was Information)", debug.Stdout.Trim());
        var debugFrom = (await node.WaitForLineAtAsync(l => l.Contains("set to Debug (was Information) by principal 'test-admin'", StringComparison.Ordinal), TimeSpan.FromSeconds(10))).At;
        // Any client's connection is logged at Debug (Akka.Remote's "Associated …").
        Assert.Equal(0, (await Etl(cluster, "cluster", "show")).ExitCode);
        await node.WaitForLineAtAsync(IsDebug, TimeSpan.FromSeconds(30), after: debugFrom);

        var back = await Etl(cluster, "cluster", "log-level", "info", "--json");
        Assert.True(back.ExitCode == 0, back.ToString());
        using (var answer = JsonDocument.Parse(back.Stdout))
        {
            Assert.Equal("Information", answer.RootElement.GetProperty("level").GetString());
            Assert.Equal("Debug", answer.RootElement.GetProperty("previous").GetString());
        }
        var infoFrom = (await node.WaitForLineAtAsync(l => l.Contains("set to Information (was Debug)", StringComparison.Ordinal), TimeSpan.FromSeconds(10))).At;
        // Another client, then a marker: the marker's line comes after everything that client's connection logged.
        Assert.Equal(0, (await Etl(cluster, "cluster", "show")).ExitCode);
        Assert.Equal(0, (await Etl(cluster, "cluster", "log-level", "Information")).ExitCode);
        var marker = (await node.WaitForLineAtAsync(l => l.Contains("set to Information (was Information)", StringComparison.Ordinal), TimeSpan.FromSeconds(10))).At;
        Assert.True(node.FirstLineAt(IsDebug, after: infoFrom) is not { } late || late > marker, node.Tail());

        Assert.NotNull(node.LastLine(l => l.Contains("cluster admin: refused SetLogLevel from principal 'ops-acme' (operator of acme)", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Waits until the node has written nothing new for a second (at most 30 s): the last client's disconnect reaches the
    /// node's log a moment after that client exits, and a line that never comes has no event to wait for.
    /// </summary>
    private static async Task QuietAsync(RunningProcess node)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var last = node.Output().Length;
        using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await ticks.WaitForNextTickAsync() && DateTime.UtcNow < deadline)
        {
            var now = node.Output().Length;
            if (now == last)
                return;
            last = now;
        }
    }

    private static string Message(JsonElement line) => Property(line, "@m") ?? "";

    private static string? Property(JsonElement line, string name) =>
        line.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public void Dispose() => _dir.Dispose();
}
