using EtlActors.Contracts.Jobs;
using EtlActors.IntegrationTests.CrashSafety;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Cluster;

/// <summary>A job whose node is killed or leaves finishes on another node with exactly the rows of an uninterrupted run.</summary>
[Collection(ClusterCollection.Name)]
public sealed class NodeLossTests(ClusterFixture fixture)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task A_job_whose_node_is_killed_completes_on_another_node_with_exact_rows()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("failover_journal");
        var sink = await fixture.Server.CreateDatabaseAsync("failover_sink");
        await using var cluster = await LocalCluster.StartAsync(3, journal);
        var id = new JobId("failover");

        var submitted = await EtlProcess.RunAsync(Path.GetTempPath(),
            ["submit", fixture.Export, "--sink", sink.Url, "--tenant", "acme", "--job-id", id.Value, .. cluster.ClusterArgs]);
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        Assert.Equal("failover", submitted.Stdout.Trim());

        await using var client = cluster.Client();
        var running = await cluster.WaitForJobAsync(client, id, s => s.State == JobState.Running && s.Checkpoint >= ClusterFixture.Messages / 5, JobTimeout, "20% loaded");
        var victim = cluster.NodeAt(running.Node!);
        victim.Process.Kill();

        var moved = await cluster.WaitForJobAsync(client, id, s => s.Node != victim.Address, JobTimeout, "moved off the killed node");
        // The successor reports the work per phase up to the last checkpoint, not zeros.
        var shown = await EtlProcess.RunAsync(Path.GetTempPath(), ["jobs", "show", id.Value, "--json", .. cluster.ClusterArgs]);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        using (var json = System.Text.Json.JsonDocument.Parse(shown.Stdout))
        {
            var phases = json.RootElement.GetProperty("phases");
            Assert.True(phases.GetProperty("load").GetProperty("records").GetInt64() >= running.Checkpoint, shown.Stdout);
            Assert.True(phases.GetProperty("extract").GetProperty("records").GetInt64() >= running.Checkpoint, shown.Stdout);
            Assert.True(phases.GetProperty("transform").GetProperty("busySeconds").GetDouble() > 0, shown.Stdout);
            Assert.True(phases.GetProperty("load").GetProperty("recordsPerSecond").GetDouble() > 0, shown.Stdout);
        }
        var done = await cluster.WaitForJobAsync(client, id, s => s.State == JobState.Completed, JobTimeout, "completed");

        Assert.NotEqual(victim.Address, done.Node);
        Assert.Contains(moved.Node, cluster.Nodes.Select(n => n.Address));
        Assert.Equal(fixture.Baseline, await TableFingerprint.ReadAsync(sink.ConnectionString));
        Assert.Equal(ClusterFixture.Messages, done.Totals!.Messages);
        Assert.True(done.Phases!.Load.Records >= done.Checkpoint, $"{done.Phases}"); // loaded again after the kill: at least every record
    }

    [Fact]
    public async Task A_node_told_to_stop_leaves_cleanly_and_its_job_resumes_elsewhere_from_a_checkpoint()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("leave_journal");
        var sink = await fixture.Server.CreateDatabaseAsync("leave_sink");
        await using var cluster = await LocalCluster.StartAsync(3, journal);
        var id = new JobId("leave");
        await using var client = cluster.Client();
        await client.SubmitAsync(id, new JobSpec("skype", fixture.Export, sink.Url, "acme"));

        var running = await cluster.WaitForJobAsync(client, id, s => s.State == JobState.Running && s.Checkpoint >= ClusterFixture.Messages / 5, JobTimeout, "20% loaded");
        var leaving = cluster.NodeAt(running.Node!);
        leaving.Process.Signal("TERM");

        var exit = await leaving.Process.WaitForExitAsync(TimeSpan.FromSeconds(90));
        Assert.True(exit.ExitCode == 0, exit.ToString());
        Assert.Contains("left the cluster", exit.Stdout);
        Assert.Contains($"job leave: handing over at record", exit.Stdout);

        var done = await cluster.WaitForJobAsync(client, id, s => s.State == JobState.Completed, JobTimeout, "completed");
        var successor = cluster.NodeAt(done.Node!);
        Assert.NotEqual(leaving.Address, successor.Address);
        // The successor resumed at a checkpoint at least as far as the one seen before the signal, not at record 0.
        var resumed = await successor.Process.WaitForLineAsync(l => l.Contains("job leave resuming at record", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        var from = long.Parse(resumed[(resumed.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(from >= running.Checkpoint, $"resumed at {from}, below the checkpoint {running.Checkpoint} seen before SIGTERM\n{cluster.Logs()}");
        Assert.Equal(fixture.Baseline, await TableFingerprint.ReadAsync(sink.ConnectionString));
    }
}
