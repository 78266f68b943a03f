using System.Text.Json;
using EtlActors.Contracts.Jobs;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Cli;

/// <summary>`etl submit` as a user types it, against a real node: what it says about the source and the job it starts.</summary>
[Collection(CliClusterCollection.Name)]
public sealed class SubmitTests : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(3);
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Task<ProcessResult> Etl(LocalCluster cluster, params string[] args) =>
        EtlProcess.RunAsync(Path.GetTempPath(), [.. args, .. cluster.ClusterArgs]);

    [Fact]
    public async Task A_source_missing_here_is_submitted_with_a_one_line_warning()
    {
        await using var cluster = await CliCluster.StartAsync("cli_submit_missing_journal");
        var missing = _dir.File("only-on-the-nodes.tar");

        var result = await Etl(cluster, "submit", missing, "--tenant", "acme");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches("^skype-[0-9a-f]{12}$", result.Stdout.Trim());
        Assert.Equal($"warning: {missing} does not exist here; submitting it anyway, as the nodes may see it (e.g. on a shared volume)", result.Stderr.Trim());
        await using var client = cluster.Client();
        var failed = await cluster.WaitForJobAsync(client, new(result.Stdout.Trim()), s => s.State == JobState.Failed, Within, "failed");
        Assert.StartsWith($"{missing}: file not found on node", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submitting_a_completed_job_again_says_it_loads_it_again_under_the_same_id()
    {
        var export = _dir.File("small.tar");
        SyntheticSkypeExport.Write(export, new SyntheticExportOptions(2_000, 10, Seed: 3));
        var sink = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("cli_submit_again_sink");
        await using var cluster = await CliCluster.StartAsync("cli_submit_again_journal");
        await using var client = cluster.Client();

        var first = await Etl(cluster, "submit", export, "--sink", sink.Url, "--tenant", "acme");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("", first.Stderr.Trim());
        var id = new JobId(first.Stdout.Trim());
        await cluster.WaitForJobAsync(client, id, s => s.State == JobState.Completed, Within, "completed");

        var again = await Etl(cluster, "submit", export, "--sink", sink.Url, "--tenant", "acme");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(id.Value, again.Stdout.Trim());
        Assert.Equal($"job {id} had completed; loading it again from the start (rows already loaded are updated, not doubled)", again.Stderr.Trim());
        await cluster.WaitForJobAsync(client, id, s => s.State == JobState.Completed, Within, "completed again");
        await using var tables = Tables.Postgres(sink.ConnectionString);
        Assert.Equal(2_000, await tables.CountAsync("messages"));
    }
}
