using EtlActors.Client;
using EtlActors.Contracts.Jobs;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Cluster;

/// <summary>
/// A real `etl-node` with a sources root (Etl__SourcesRoot), driven by `etl submit` as a user types it: a path
/// outside the root, a `..` climbing out and a symbolic link leading out are each refused with one `error:` line
/// naming the path and the root, and nothing is created; a path inside (directly or through a link that stays
/// inside) runs. Layout: sources/ (the root) holding export.tar, latest.tar → export.tar, escape.tar →
/// ../outside/secret.tar and share → ../outside; outside/ holding secret.tar.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SourcesRootTests(ClusterFixture fixture) : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(3);
    private readonly TempFolder _dir = new();

    [Fact]
    public async Task A_node_refuses_sources_outside_its_root_and_runs_those_inside()
    {
        var root = Directory.CreateDirectory(_dir.File("sources")).FullName;
        var outside = Directory.CreateDirectory(_dir.File("outside")).FullName;
        var secret = Path.Combine(outside, "secret.tar");
        SyntheticSkypeExport.Write(secret, new SyntheticExportOptions(300, 3, Seed: 31));
        var export = Path.Combine(root, "export.tar");
        var info = SyntheticSkypeExport.Write(export, new SyntheticExportOptions(500, 5, Seed: 32));
        File.CreateSymbolicLink(Path.Combine(root, "latest.tar"), "export.tar");
        File.CreateSymbolicLink(Path.Combine(root, "escape.tar"), "../outside/secret.tar");
        Directory.CreateSymbolicLink(Path.Combine(root, "share"), outside);
        var journal = await fixture.Server.CreateDatabaseAsync("sources_root_journal");
        await using var cluster = await LocalCluster.StartAsync(1, journal.Url, new LocalClusterOptions
        {
            Settings = new Dictionary<string, string> { ["Etl__SourcesRoot"] = root },
        });
        Assert.Contains($"sources are read only under {root}", cluster.Seed.Process.Output(), StringComparison.Ordinal);
        await using var client = cluster.Client();

        // An absolute path outside the root.
        await AssertRefusedAsync(cluster, secret, $"source {secret} is outside this node's sources root {root}");
        // `..` climbing out: `etl submit` makes the path absolute before sending it, so the node is sent (and names)
        // the path it leads to; from a client that sends it as typed, the node refuses it as typed.
        await AssertRefusedAsync(cluster, $"{root}/../outside/secret.tar", $"source {secret} is outside this node's sources root {root}");
        foreach (var climbing in new[] { $"{root}/../outside/secret.tar", "../outside/secret.tar", "share/../../outside/secret.tar" })
        {
            var rejected = await Assert.ThrowsAsync<EtlJobRejectedException>(() => client.SubmitAsync(new JobSpec("skype", climbing, "", "acme")));
            Assert.Equal($"source {climbing} is outside this node's sources root {root}", rejected.Message);
        }
        // Symbolic links leading out, a file's and a directory's.
        await AssertRefusedAsync(cluster, Path.Combine(root, "escape.tar"),
            $"source {root}/escape.tar is outside this node's sources root {root} (a symbolic link on its path leads out)");
        await AssertRefusedAsync(cluster, Path.Combine(root, "share", "secret.tar"),
            $"source {root}/share/secret.tar is outside this node's sources root {root} (a symbolic link on its path leads out)");
        Assert.Empty(await client.ListAsync());

        // Inside the root, directly and through a link that stays inside: accepted and loaded.
        foreach (var path in new[] { export, Path.Combine(root, "latest.tar") })
        {
            var submitted = await EtlProcess.RunAsync(_dir.Path, ["submit", path, "--tenant", "acme", .. cluster.ClusterArgs]);
            Assert.True(submitted.ExitCode == 0, submitted.ToString());
            var done = await cluster.WaitForJobAsync(client, new JobId(submitted.Stdout.Trim()), s => s.IsFinished, Within, "finished");
            Assert.True(done.State == JobState.Completed, $"{path}: {done}");
            Assert.Equal(info.Messages, done.Totals!.Messages);
        }
    }

    [Fact]
    public async Task A_node_whose_sources_root_does_not_exist_stops_at_start_with_a_clear_error()
    {
        var missing = _dir.File("no-such-sources");
        var environment = new Dictionary<string, string>
        {
            ["Etl__Port"] = FreePorts.One().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Etl__SourcesRoot"] = missing,
        };
        using var node = RunningProcess.StartDll(Binaries.NodeDll(), _dir.Path, environment);

        var exit = await node.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exit.ExitCode);
        Assert.Equal($"error: Etl:SourcesRoot {missing} does not exist (it must be the directory jobs' sources are read from)", exit.Stderr.Trim());
    }

    /// <summary>`etl submit <paramref name="path"/>` exits 1 with exactly <c>error: <paramref name="refusal"/></c> and prints no job id.</summary>
    private async Task AssertRefusedAsync(LocalCluster cluster, string path, string refusal)
    {
        var submitted = await EtlProcess.RunAsync(_dir.Path, ["submit", path, "--tenant", "acme", .. cluster.ClusterArgs]);

        Assert.True(submitted.ExitCode == 1, submitted.ToString());
        Assert.Equal($"error: {refusal}", submitted.Stderr.Trim());
        Assert.Equal("", submitted.Stdout);
    }

    public void Dispose() => _dir.Dispose();
}
