using System.Text.RegularExpressions;
using EtlActors.Contracts.Jobs;
using EtlActors.IntegrationTests.Cluster;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Cli;

/// <summary>`etl submit` as a user types it, against a real node: what it says about the source and the job it starts.</summary>
[Collection(ClusterCommandsCollection.Name)]
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

    [Fact]
    public async Task A_folder_of_three_sources_is_submitted_over_one_connection_a_line_per_job_and_each_loads_its_rows()
    {
        var folder = Directory.CreateDirectory(_dir.File("sources")).FullName;
        (string Path, int Messages, int Conversations)[] exports = [.. Enumerable.Range(0, 3).Select(i => (Path.Combine(folder, $"export-{i}.tar"), 1_000 + 500 * i, 5 + i))];
        foreach (var (path, messages, conversations) in exports)
            SyntheticSkypeExport.Write(path, new SyntheticExportOptions(messages, conversations, Seed: 20 + messages));
        var sink = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync("cli_submit_folder_sink");
        await using var cluster = await CliCluster.StartAsync("cli_submit_folder_journal");
        await using var client = cluster.Client();

        var result = await Etl(cluster, "submit", folder, "--sink", sink.Url, "--tenant", "acme");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Stderr.Trim());
        var lines = result.Stdout.TrimEnd().Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal("3 sources: 3 submitted, 0 refused", lines[3]);
        for (var i = 0; i < exports.Length; i++)
        {
            var (path, messages, conversations) = exports[i];
            var line = Regex.Match(lines[i], $"^(skype-[0-9a-f]{{12}})  (Running|Pending)   {Regex.Escape(path)}$");
            Assert.True(line.Success, lines[i]);
            var done = await cluster.WaitForJobAsync(client, new(line.Groups[1].Value), s => s.State == JobState.Completed, Within, "completed");
            Assert.Equal(path, done.Spec!.SourcePath);
            Assert.Equal(messages + conversations, done.Checkpoint);
            Assert.Equal(messages, done.Totals!.Messages);
            Assert.Equal(0, done.Quarantined);
        }

        // Several sources named one by one, one of them refused: the others still go, and the exit code says one failed.
        var notes = _dir.File("notes.csv");
        await File.WriteAllTextAsync(notes, "a,b\n1,2\n");
        var mixed = await Etl(cluster, "submit", exports[0].Path, notes, "--sink", sink.Url, "--tenant", "acme");

        Assert.True(mixed.ExitCode == 1, mixed.ToString());
        Assert.Equal(
            [
                $"{Regex.Match(lines[0], "^skype-[0-9a-f]{12}").Value}  Running   {exports[0].Path} (had completed; loading it again from the start (rows already loaded are updated, not doubled))",
                $"-                   Refused   {notes}: --mapping: a files source is read by a mapping: give --mapping <file.yaml>",
                "2 sources: 1 submitted, 1 refused",
            ],
            mixed.Stdout.TrimEnd().Split('\n'));
    }
}
