using EtlActors.Client;
using EtlActors.Contracts.Jobs;
using EtlActors.IntegrationTests.CrashSafety;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Cluster;

/// <summary>
/// The job registry (job list, tenant slots) is a singleton on the oldest node: killing that node must
/// lose neither a waiting job nor the tenant's limit.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RegistryFailoverTests(ClusterFixture fixture)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task A_waiting_job_runs_after_the_registrys_node_is_killed_and_only_once_its_tenant_has_a_free_slot()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("registry_failover_journal");
        var bigSink = await fixture.Server.CreateDatabaseAsync("registry_failover_big");
        var smallSink = await fixture.Server.CreateDatabaseAsync("registry_failover_small");
        await using var cluster = await LocalCluster.StartAsync(3, journal, new Dictionary<string, string>
        {
            ["Etl__MaxConcurrentJobsPerTenant"] = "1",
            ["Etl__RegistryReconcileInterval"] = "00:00:05",
        });
        await using var client = cluster.Client();
        JobId first = new("registry-first"), waiting = new("registry-waiting");

        Assert.Equal(JobState.Running, (await client.SubmitAsync(first, new JobSpec("skype", fixture.Export, bigSink.Url, "umbrella"))).State);
        Assert.Equal(JobState.Pending, (await client.SubmitAsync(waiting, new JobSpec("skype", fixture.SmallExport, smallSink.Url, "umbrella"))).State);
        await cluster.WaitForJobAsync(client, first, s => s.Checkpoint >= ClusterFixture.Messages / 10, JobTimeout, "10% loaded");

        // The seed started first, so it is the oldest node and hosts the registry singleton.
        var oldest = cluster.Nodes[0];
        oldest.Process.Kill();

        var firstDone = await cluster.WaitForJobAsync(client, first, s => s.State == JobState.Completed, JobTimeout, "completed");
        var waitingDone = await cluster.WaitForJobAsync(client, waiting, s => s.State == JobState.Completed, JobTimeout, "completed after the first");

        Assert.True(waitingDone.StartedAt >= firstDone.FinishedAt,
            $"the waiting job started at {waitingDone.StartedAt:O}, before its tenant's slot was free at {firstDone.FinishedAt:O}\n{cluster.Logs()}");
        Assert.Equal(fixture.Baseline, await TableFingerprint.ReadAsync(bigSink.ConnectionString));
        Assert.Equal(fixture.SmallBaseline, await TableFingerprint.ReadAsync(smallSink.ConnectionString));
        var listed = await client.ListAsync(new JobFilter(TenantId: "umbrella"));
        Assert.Equal([(waiting, JobState.Completed), (first, JobState.Completed)], listed.Select(j => (j.JobId, j.State)));
    }
}
