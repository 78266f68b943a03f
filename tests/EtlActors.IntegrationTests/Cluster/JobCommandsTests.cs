using System.Text.Json;
using EtlActors.Contracts.Jobs;
using EtlActors.IntegrationTests.CrashSafety;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing;
using EtlActors.Testing.Http;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Cluster;

/// <summary>
/// `etl jobs list|watch|pause|resume|cancel` and the per-tenant limit, as a user types them, against a
/// real two-node cluster: each command's output (its --json parsed) is checked against the cluster's state.
/// </summary>
[Collection(ClusterCommandsCollection.Name)]
public sealed class JobCommandsTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(3);

    private static async Task<ProcessResult> Etl(LocalCluster cluster, params string[] args)
    {
        var result = await EtlProcess.RunAsync(Path.GetTempPath(), [.. args, .. cluster.ClusterArgs]);
        return result;
    }

    private static JsonElement Json(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.Clone();
    }

    private async Task<string> SubmitAsync(LocalCluster cluster, string export, TestDatabase sink, string tenant, string jobId, string expectedState = "Running")
    {
        var result = await Etl(cluster, "submit", export, "--sink", sink.Url, "--tenant", tenant, "--job-id", jobId, "--json");
        Assert.True(result.ExitCode == 0, result.ToString() + cluster.Logs()); // a slow answer is explained by the nodes' logs
        var submitted = Json(result);
        Assert.Equal(jobId, submitted.GetProperty("id").GetString());
        Assert.Equal(expectedState, submitted.GetProperty("state").GetString());
        return jobId;
    }

    [Fact]
    public async Task Pause_resume_list_and_watch_drive_a_job_to_exact_rows_on_two_nodes()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("jobs_cmd_journal");
        var sink = await fixture.Server.CreateDatabaseAsync("jobs_cmd_sink");
        await using var cluster = await LocalCluster.StartAsync(2, journal);
        await using var client = cluster.Client();
        var id = await SubmitAsync(cluster, fixture.Export, sink, "acme", "cmd-big");

        var running = await cluster.WaitForJobAsync(client, new(id), s => s.Checkpoint > 0, Within, "checkpointed");
        var shown = Json(await Etl(cluster, "jobs", "show", id, "--json"));
        Assert.Equal("Running", shown.GetProperty("state").GetString());
        Assert.True(shown.GetProperty("recordsPerSecond").GetDouble() > 0, shown.ToString());
        Assert.Equal(JsonValueKind.String, shown.GetProperty("lastCheckpointAt").ValueKind);
        Assert.Contains(shown.GetProperty("node").GetString(), cluster.Contacts);

        var paused = Json(await Etl(cluster, "jobs", "pause", id, "--json"));
        Assert.Equal("Paused", paused.GetProperty("state").GetString());
        var pausedAt = paused.GetProperty("offset").GetInt64();
        Assert.InRange(pausedAt, running.Checkpoint, ClusterFixture.Messages + 199);
        var status = await client.GetAsync(new(id));
        Assert.Equal(JobState.Paused, status.State);
        Assert.Equal(pausedAt, status.Checkpoint);

        // The list holds what `show --json` prints, for every job, and filters by state and tenant.
        var listed = Json(await Etl(cluster, "jobs", "list", "--json"));
        var job = Assert.Single(listed.EnumerateArray());
        Assert.Equal(id, job.GetProperty("id").GetString());
        Assert.Equal("Paused", job.GetProperty("state").GetString());
        Assert.Equal(pausedAt, job.GetProperty("offset").GetInt64());
        Assert.Equal("acme", job.GetProperty("tenant").GetString());
        Assert.Equal(
            Json(await Etl(cluster, "jobs", "show", id, "--json")).EnumerateObject().Select(p => p.Name),
            job.EnumerateObject().Select(p => p.Name));
        Assert.Single(Json(await Etl(cluster, "jobs", "list", "--state", "Paused", "--tenant", "acme", "--json")).EnumerateArray());
        Assert.Empty(Json(await Etl(cluster, "jobs", "list", "--state", "Running", "--json")).EnumerateArray());
        Assert.Empty(Json(await Etl(cluster, "jobs", "list", "--tenant", "globex", "--json")).EnumerateArray());
        var table = await Etl(cluster, "jobs", "list");
        Assert.Contains("STATE", table.Stdout);
        Assert.Contains(id, table.Stdout);
        Assert.Contains("Paused", table.Stdout);

        var resumed = await Etl(cluster, "jobs", "resume", id);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains($"job {id}: Running at checkpoint", resumed.Stdout);

        var watched = await Etl(cluster, "jobs", "watch", id);
        Assert.True(watched.ExitCode == 0, watched.ToString() + cluster.Logs());
        var lines = watched.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith($"{id}: Running on 127.0.0.1:", StringComparison.Ordinal));
        Assert.StartsWith($"{id}: Completed", lines[^1]);

        Assert.Equal(fixture.Baseline, await TableFingerprint.ReadAsync(sink.ConnectionString));
        var completed = Json(await Etl(cluster, "jobs", "show", id, "--json"));
        Assert.Equal("Completed", completed.GetProperty("state").GetString());
        Assert.Equal(ClusterFixture.Messages, completed.GetProperty("totals").GetProperty("messages").GetInt64());
    }

    [Fact]
    public async Task A_third_job_of_a_tenant_limited_to_two_stays_Pending_until_one_ends_and_cancel_ends_jobs()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("jobs_limit_journal");
        var sinks = new List<TestDatabase>();
        for (var i = 1; i <= 3; i++)
            sinks.Add(await fixture.Server.CreateDatabaseAsync($"jobs_limit_sink{i}"));
        // The two running jobs read a paged API at 2 requests a second: they still run when the cancels come, however
        // slowly the commands before them start (a 200k-record export could finish first on a busy machine).
        await using var api = await StubApi.StartAsync(new StubApiOptions { Records = 2_000, PageSize = 20 });
        using var dir = new TempFolder();
        var slow = dir.File("slow-api.yaml");
        await File.WriteAllTextAsync(slow, StubApiConfigs.Items(20, "rate_limit: { requests_per_second: 2 }"));
        await using var cluster = await LocalCluster.StartAsync(2, journal.Url, new LocalClusterOptions
        {
            Settings = new Dictionary<string, string> { ["Etl__MaxConcurrentJobsPerTenant"] = "2", ["API_URL"] = api.BaseUrl },
        });
        await using var client = cluster.Client();

        var first = await SubmitAsync(cluster, slow, sinks[0], "initech", "limit-1");
        var second = await SubmitAsync(cluster, slow, sinks[1], "initech", "limit-2");
        var third = await SubmitAsync(cluster, fixture.SmallExport, sinks[2], "initech", "limit-3", expectedState: "Pending");

        var shown = Json(await Etl(cluster, "jobs", "show", third, "--json"));
        Assert.Equal("Pending", shown.GetProperty("state").GetString());
        var pending = Json(await Etl(cluster, "jobs", "list", "--state", "Pending", "--tenant", "initech", "--json"));
        Assert.Equal([third], pending.EnumerateArray().Select(j => j.GetProperty("id").GetString()));
        var runningNow = Json(await Etl(cluster, "jobs", "list", "--state", "Running", "--tenant", "initech", "--json"));
        Assert.Equal([second, first], runningNow.EnumerateArray().Select(j => j.GetProperty("id").GetString()));

        // Both running jobs are cancelled at once.
        var (cancelFirst, cancelSecond) = (Etl(cluster, "jobs", "cancel", first, "--json"), Etl(cluster, "jobs", "cancel", second, "--json"));
        Assert.Equal("Cancelled", Json(await cancelFirst).GetProperty("state").GetString());
        Assert.Equal("Cancelled", Json(await cancelSecond).GetProperty("state").GetString());
        Assert.Equal("Cancelled", Json(await Etl(cluster, "jobs", "show", first, "--json")).GetProperty("state").GetString());

        // The cancelled job's slot goes to the waiting one, which runs to the end.
        var watch = await Etl(cluster, "jobs", "watch", third, "--json");
        Assert.True(watch.ExitCode == 0, watch.ToString() + cluster.Logs());
        var progress = watch.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("Completed", progress[^1].GetProperty("state").GetString());
        Assert.True(progress[^1].GetProperty("final").GetBoolean());
        Assert.Equal(fixture.SmallBaseline.Messages, (await TableFingerprint.ReadAsync(sinks[2].ConnectionString)).Messages);

        // The commands that no longer apply say why and exit 1.
        var resume = await Etl(cluster, "jobs", "resume", first);
        Assert.Equal(1, resume.ExitCode);
        Assert.Contains($"error: job '{first}' was cancelled; nothing to resume", resume.Stderr);
        var watchCancelled = await Etl(cluster, "jobs", "watch", second);
        Assert.Equal(4, watchCancelled.ExitCode);
        var pauseDone = await Etl(cluster, "jobs", "pause", third);
        Assert.Equal(1, pauseDone.ExitCode);
        Assert.Contains($"error: job '{third}' has completed; nothing to pause", pauseDone.Stderr);
        var unknown = await Etl(cluster, "jobs", "cancel", "no-such-job");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("error: no job 'no-such-job' in this cluster", unknown.Stderr);
    }

    [Fact]
    public async Task Job_commands_give_a_clear_message_within_seconds_when_no_node_answers()
    {
        var port = FreePorts.One();
        // All at once: each waits out its connect timeout, doing nothing.
        await Task.WhenAll(new[] { new[] { "jobs", "list" }, ["jobs", "watch", "x"], ["jobs", "cancel", "x"], ["jobs", "pause", "x"], ["jobs", "resume", "x"] }.Select(async args =>
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var result = await EtlProcess.RunAsync(Path.GetTempPath(), [.. args, "--cluster", $"127.0.0.1:{port}"]);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"error: cannot reach the cluster at 127.0.0.1:{port}: nothing listens there (connection refused; is a node running on that port?)", result.Stderr);
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"{string.Join(' ', args)} took {started.Elapsed}"); // a hang guard, not a benchmark
        }));
    }
}
