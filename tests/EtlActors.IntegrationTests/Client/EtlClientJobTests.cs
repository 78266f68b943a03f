using EtlActors.Client;
using EtlActors.Contracts.Jobs;
using EtlActors.IntegrationTests.Cluster;
using EtlActors.IntegrationTests.CrashSafety;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Processes;
using EtlActors.Testing.Security;

namespace EtlActors.IntegrationTests.Client;

/// <summary>Each job method of EtlClient against a real node process, as a .NET service would call it.</summary>
[Collection(ClusterCommandsCollection.Name)]
public sealed class EtlClientJobTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Submit_get_list_pause_resume_cancel_and_watch_do_what_they_say()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("client_journal");
        var sink = await fixture.Server.CreateDatabaseAsync("client_sink");
        var other = await fixture.Server.CreateDatabaseAsync("client_other");
        await using var cluster = await LocalCluster.StartAsync(1, journal);
        await using var client = EtlClient.Connect(DevCertificates.Shared.ForClient(new EtlClientOptions { Contacts = [.. cluster.Contacts], WatchInterval = TimeSpan.FromMilliseconds(300) }));

        // SubmitAsync(spec): the default id, derived from the spec.
        var spec = new JobSpec("skype", fixture.SmallExport, sink.Url, "acme");
        var accepted = await client.SubmitAsync(spec);
        Assert.Equal(JobId.DefaultFor(spec), accepted.JobId);
        Assert.Equal(JobState.Running, accepted.State);
        Assert.Equal(0, accepted.ResumedFromOffset);

        // WatchAsync follows it to the end: progress never goes back, and the last one is final.
        var seen = new List<JobProgress>();
        await foreach (var progress in client.WatchAsync(accepted.JobId))
            seen.Add(progress);
        Assert.Equal(JobState.Completed, seen[^1].State);
        Assert.True(seen[^1].IsFinal);
        Assert.All(seen.Zip(seen.Skip(1)), pair => Assert.True(pair.Item2.Processed >= pair.Item1.Processed));
        Assert.All(seen[..^1], p => Assert.False(p.IsFinal));
        Assert.Equal(fixture.SmallBaseline, await TableFingerprint.ReadAsync(sink.ConnectionString));

        // GetAsync: the completed job, and an id never submitted.
        var done = await client.GetAsync(accepted.JobId);
        Assert.Equal(JobState.Completed, done.State);
        Assert.Equal(ClusterFixture.SmallMessages, done.Totals!.Messages);
        Assert.False((await client.GetAsync(new JobId("never-submitted"))).Exists);

        // SubmitAsync(id, spec), then PauseAsync, ResumeAsync and CancelAsync on a longer job.
        var big = new JobId("client-big");
        await client.SubmitAsync(big, new JobSpec("skype", fixture.Export, other.Url, "globex"));
        await cluster.WaitForJobAsync(client, big, s => s.Checkpoint > 0, Within, "checkpointed");
        var paused = await client.PauseAsync(big);
        Assert.Equal(JobState.Paused, paused.State);
        Assert.True(paused.Checkpoint > 0);
        var resumed = await client.ResumeAsync(big);
        Assert.Equal(JobState.Running, resumed.State);
        Assert.True(resumed.Checkpoint >= paused.Checkpoint);

        // ListAsync: everything, by state, by tenant.
        await cluster.WaitForJobAsync(client, big, s => s.State == JobState.Running, Within, "running");
        Assert.Equal([big, accepted.JobId], (await client.ListAsync()).Select(j => j.JobId));
        Assert.Equal([accepted.JobId], (await client.ListAsync(new JobFilter(State: JobState.Completed))).Select(j => j.JobId));
        Assert.Equal([big], (await client.ListAsync(new JobFilter(TenantId: "globex"))).Select(j => j.JobId));
        Assert.Empty(await client.ListAsync(new JobFilter(JobState.Failed, "acme")));
        await Assert.ThrowsAsync<ArgumentException>(() => client.ListAsync(new JobFilter(TenantId: "acme'; drop table x")));

        var cancelled = await client.CancelAsync(big);
        Assert.Equal(JobState.Cancelled, cancelled.State);
        Assert.Equal(JobState.Cancelled, (await client.GetAsync(big)).State);
        var rejected = await Assert.ThrowsAsync<EtlJobRejectedException>(() => client.ResumeAsync(big));
        Assert.Equal("job 'client-big' was cancelled; nothing to resume (submit it again to run it from its checkpoint)", rejected.Message);
        Assert.Equal(JobState.Cancelled, rejected.Rejection.State);
        var unknown = await Assert.ThrowsAsync<EtlJobRejectedException>(async () =>
        {
            await foreach (var _ in client.WatchAsync(new JobId("never-submitted")))
            {
            }
        });
        Assert.Equal("no job 'never-submitted' in this cluster", unknown.Message);
    }

    [Fact]
    public async Task The_cluster_methods_report_members_and_shards_and_refuse_an_unknown_address()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("client_admin_journal");
        var sink = await fixture.Server.CreateDatabaseAsync("client_admin_sink");
        await using var cluster = await LocalCluster.StartAsync(1, journal);
        await using var client = cluster.Client();
        var job = new JobId("client-admin-job");
        await client.SubmitAsync(job, new JobSpec("skype", fixture.SmallExport, sink.Url, "acme"));

        var state = await client.GetClusterAsync();
        var member = Assert.Single(state.Members);
        Assert.Equal($"akka.ssl.tcp://etl@{cluster.Contacts[0]}", member.Address);
        Assert.Equal("Up", member.Status);
        Assert.True(member.Reachable);
        Assert.Equal(RepoVersion.Current, member.Version);
        Assert.Equal(member.Address, state.Leader);

        var shards = await client.GetShardsAsync();
        Assert.Equal(["jobs", "transformers"], shards.Regions.Select(r => r.Name));
        var jobs = shards.Regions[0].Nodes.Single();
        Assert.Contains(jobs.Shards, s => s.EntityIds is { } ids && ids.Contains(job.Value));

        var leave = await Assert.ThrowsAsync<EtlClusterCommandRejectedException>(() => client.LeaveAsync("127.0.0.1:1"));
        Assert.StartsWith("no member at '127.0.0.1:1' in this cluster", leave.Message);
        var down = await Assert.ThrowsAsync<EtlClusterCommandRejectedException>(() => client.DownAsync("akka.tcp://etl@127.0.0.1:1"));
        Assert.StartsWith("no member at 'akka.tcp://etl@127.0.0.1:1' in this cluster", down.Message);
        await cluster.WaitForJobAsync(client, job, s => s.IsFinished, Within, "finished");
    }
}
