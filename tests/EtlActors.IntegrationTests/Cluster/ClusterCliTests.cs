using System.Diagnostics;
using System.Text.Json;
using EtlActors.IntegrationTests.Support;
using EtlActors.Contracts.Jobs;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Cluster;

/// <summary>`etl submit` and `etl jobs show` against a running node, as a user types them.</summary>
[Collection(ClusterCommandsCollection.Name)]
public sealed class ClusterCliTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Submit_prints_the_job_id_and_show_reports_it_as_json_and_as_text()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("cli_journal");
        var sink = await fixture.Server.CreateDatabaseAsync("cli_sink");
        await using var cluster = await LocalCluster.StartAsync(1, journal);

        var submitted = await EtlProcess.RunAsync(Path.GetTempPath(), ["submit", fixture.SmallExport, "--sink", sink.Url, "--tenant", "globex", .. cluster.ClusterArgs]);
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        var id = submitted.Stdout.Trim();
        Assert.Matches("^skype-[0-9a-f]{12}$", id);

        await using var client = cluster.Client();
        await cluster.WaitForJobAsync(client, new(id), s => s.IsFinished, TimeSpan.FromMinutes(3), "finished");
        var shown = await EtlProcess.RunAsync(Path.GetTempPath(), ["jobs", "show", id, "--json", .. cluster.ClusterArgs]);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        using var json = JsonDocument.Parse(shown.Stdout);
        var job = json.RootElement;
        Assert.Equal(id, job.GetProperty("id").GetString());
        Assert.Equal("Completed", job.GetProperty("state").GetString());
        Assert.Equal("globex", job.GetProperty("tenant").GetString());
        Assert.Equal(cluster.Contacts[0], job.GetProperty("node").GetString());
        Assert.Equal(ClusterFixture.SmallMessages + 40, job.GetProperty("offset").GetInt64());
        Assert.Equal(ClusterFixture.SmallMessages + 40, job.GetProperty("loaded").GetInt64());
        Assert.Equal(0, job.GetProperty("quarantined").GetInt64());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("error").ValueKind);

        var text = await EtlProcess.RunAsync(Path.GetTempPath(), ["jobs", "show", id, .. cluster.ClusterArgs]);
        Assert.Contains("state        Completed", text.Stdout);
        Assert.DoesNotContain("password", text.Stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_source_a_node_cannot_read_fails_the_job_with_a_message_naming_the_node()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("cli_unreadable_journal");
        await using var cluster = await LocalCluster.StartAsync(1, journal);
        await using var client = cluster.Client();

        await client.SubmitAsync(new JobId("unreadable"), new JobSpec("skype", "/data/sources/not-mounted-here.tar", "", "acme"));
        var failed = await cluster.WaitForJobAsync(client, new("unreadable"), s => s.State == Contracts.Jobs.JobState.Failed, TimeSpan.FromMinutes(1), "failed");

        Assert.Equal(
            $"/data/sources/not-mounted-here.tar: file not found on node {cluster.Contacts[0]} (a job's source must be readable from every node: mount the sources volume at the same path on each)",
            failed.Error);
    }

    [Fact]
    public async Task Show_for_an_unknown_job_says_so()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("cli_unknown_journal");
        await using var cluster = await LocalCluster.StartAsync(1, journal);

        var shown = await EtlProcess.RunAsync(Path.GetTempPath(), ["jobs", "show", "never-submitted", .. cluster.ClusterArgs]);

        Assert.Equal(1, shown.ExitCode);
        Assert.Equal("error: no job 'never-submitted' in this cluster", shown.Stderr.Trim());
    }

    [Fact]
    public async Task An_unreachable_cluster_gets_a_clear_message_within_seconds()
    {
        var clock = Stopwatch.StartNew();
        var shown = await EtlProcess.RunAsync(Path.GetTempPath(), "jobs", "show", "any", "--cluster", "127.0.0.1:9");

        Assert.Equal(1, shown.ExitCode);
        Assert.Equal("error: cannot reach the cluster at 127.0.0.1:9: nothing listens there (connection refused; is a node running on that port?)", shown.Stderr.Trim());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Submit_without_a_cluster_says_how_to_give_one()
    {
        var result = await EtlProcess.RunAsync(Path.GetTempPath(), new Dictionary<string, string> { ["ETL_CLUSTER"] = "" }, "submit", fixture.SmallExport);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: no cluster given: use --cluster host:port or set ETL_CLUSTER", result.Stderr.Trim());
    }
}
