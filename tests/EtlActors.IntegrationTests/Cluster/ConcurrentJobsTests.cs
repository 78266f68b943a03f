using EtlActors.Contracts.Jobs;
using EtlActors.IntegrationTests.CrashSafety;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Cluster;

[Collection(ClusterCollection.Name)]
public sealed class ConcurrentJobsTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Ten_jobs_of_ten_tenants_complete_with_exact_rows_and_run_on_more_than_one_node()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("concurrent_journal");
        await using var cluster = await LocalCluster.StartAsync(3, journal);
        await using var client = cluster.Client();
        var jobs = new List<(JobId Id, Testing.TestDatabase Sink)>();
        for (var i = 0; i < 10; i++)
        {
            var sink = await fixture.Server.CreateDatabaseAsync($"tenant{i}");
            var id = new JobId($"tenant{i}-job");
            await client.SubmitAsync(id, new JobSpec("skype", fixture.SmallExport, sink.Url, $"tenant{i}"));
            jobs.Add((id, sink));
        }

        var finished = await Task.WhenAll(jobs.Select(j =>
            cluster.WaitForJobAsync(client, j.Id, s => s.State == JobState.Completed, TimeSpan.FromMinutes(6), "completed")));

        foreach (var (id, sink) in jobs)
            Assert.Equal(fixture.SmallBaseline, await TableFingerprint.ReadAsync(sink.ConnectionString));
        var nodes = finished.Select(s => s.Node).Distinct().ToList();
        Assert.True(nodes.Count > 1, $"all ten supervisors ran on {string.Join(", ", nodes)}");
        Assert.All(finished, s => Assert.Equal(ClusterFixture.SmallMessages, s.Totals!.Messages));
    }
}
