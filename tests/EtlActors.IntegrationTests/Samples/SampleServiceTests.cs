using System.Text.RegularExpressions;
using EtlActors.IntegrationTests.Cluster;
using EtlActors.IntegrationTests.CrashSafety;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Samples;

/// <summary>samples/EtlActors.Samples.JobWatcher, run as a user runs it, against a real local cluster.</summary>
[Collection(ClusterCommandsCollection.Name)]
public sealed class SampleServiceTests(ClusterFixture fixture)
{
    private static readonly string SampleDll = FindSampleDll();

    [Fact]
    public async Task Submits_a_job_logs_its_progress_and_exits_0_when_it_completes_with_exact_rows()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("sample_journal");
        var sink = await fixture.Server.CreateDatabaseAsync("sample_sink");
        await using var cluster = await LocalCluster.StartAsync(1, journal);
        using var dir = new TempFolder();

        // Settings three ways, as the sample's README says: arguments, environment, appsettings.json.
        using var sample = RunningProcess.StartDll(SampleDll, dir.Path,
            new Dictionary<string, string> { ["Job__Tenant"] = "initech", ["Job__Id"] = "sample-job" },
            "--EtlClient:Contacts:0", cluster.Contacts[0],
            "--EtlClient:WatchInterval", "00:00:00.200",
            "--Job:Source", fixture.SmallExport,
            "--Job:Sink", sink.Url);
        var result = await sample.WaitForExitAsync(TimeSpan.FromMinutes(3));

        Assert.True(result.ExitCode == 0, $"{result}\n{cluster.Logs()}");
        var records = ClusterFixture.SmallMessages + 40;
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains($"submitted job sample-job: {fixture.SmallExport} to {sink.Url} for tenant initech (Running)", StringComparison.Ordinal));
        // At least one observation while it runs, then the last one, each naming the node.
        Assert.Contains(lines, l => Regex.IsMatch(l, $@"job sample-job Running: \d+ records processed, (\d+|-) records/s, 0 quarantined, node {Regex.Escape(cluster.Contacts[0])}$"));
        Assert.Contains(lines, l => l.EndsWith($"job sample-job Completed: {records} records processed, - records/s, 0 quarantined, node {cluster.Contacts[0]}", StringComparison.Ordinal));
        Assert.EndsWith(
            $"job sample-job Completed: {records} records, {fixture.SmallBaseline.Messages} messages, {fixture.SmallBaseline.Conversations} conversations, {fixture.SmallBaseline.Participants} participants, 0 quarantined",
            lines[^1]);
        Assert.Equal("", result.Stderr);

        Assert.Equal(fixture.SmallBaseline, await TableFingerprint.ReadAsync(sink.ConnectionString));
        await using var tables = Tables.Postgres(sink.ConnectionString);
        Assert.Equal(fixture.SmallBaseline.Messages, await tables.CountAsync("messages", "tenant_id = 'initech' AND job_id = 'sample-job'"));
    }

    [Fact]
    public async Task A_job_that_fails_ends_the_sample_with_exit_1_and_the_jobs_error()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("sample_failed_journal");
        await using var cluster = await LocalCluster.StartAsync(1, journal);
        using var dir = new TempFolder();
        var missing = dir.File("not-there.tar");

        using var sample = RunningProcess.StartDll(SampleDll, dir.Path, null,
            "--EtlClient:Contacts:0", cluster.Contacts[0], "--Job:Source", missing, "--Job:Id", "sample-failing");
        var result = await sample.WaitForExitAsync(TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 1, $"{result}\n{cluster.Logs()}");
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith($"job sample-failing Failed: {missing}: file not found on node {cluster.Contacts[0]} (a job's source must be readable from every node: mount the sources volume at the same path on each)", lines[^1]);
    }

    [Fact]
    public async Task Pointed_at_an_unreachable_cluster_it_exits_1_with_the_clients_message()
    {
        var port = FreePorts.One();
        using var dir = new TempFolder();

        using var sample = RunningProcess.StartDll(SampleDll, dir.Path, null,
            "--EtlClient:Contacts:0", $"127.0.0.1:{port}", "--Job:Source", RepoPaths.Sample);
        var result = await sample.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"cannot reach the cluster at 127.0.0.1:{port}: nothing listens there (connection refused; is a node running on that port?)", result.Stdout);
    }

    [Fact]
    public async Task Without_a_source_it_exits_2_and_says_which_setting_is_missing()
    {
        using var dir = new TempFolder();

        using var sample = RunningProcess.StartDll(SampleDll, dir.Path, null, "--EtlClient:Contacts:0", "127.0.0.1:9");
        var result = await sample.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("bad configuration: Job:Source is not set: give the export's path, e.g. --Job:Source /data/sources/export.tar", result.Stdout);
    }

    private static string FindSampleDll()
    {
        // Built by the solution (and by this project's reference) in the same configuration as these tests.
        var dll = Path.Combine(RepoPaths.Root, "samples", "EtlActors.Samples.JobWatcher", "bin", Binaries.Configuration, "net10.0", "etl-job-watcher.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"the JobWatcher sample is not built: {dll}");
    }
}
