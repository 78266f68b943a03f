using System.Text.Json;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Cluster;

/// <summary>
/// One version, set in Directory.Build.props, is what `etl --version` and `etl-node --version` print, what a node logs at
/// start and what `etl cluster show` lists for it; a node announcing another version (a rolling upgrade half-way) shows it.
/// </summary>
[Collection(ClusterCommandsCollection.Name)]
public sealed class ClusterVersionTests(ClusterFixture fixture)
{
    private const string OtherVersion = "0.0.9-rolling1";

    [Fact]
    public async Task The_version_in_Directory_Build_props_is_printed_by_both_tools()
    {
        var expected = RepoVersion.Current;

        var etl = await EtlProcess.RunAsync(Path.GetTempPath(), "--version");
        var node = await EtlProcess.RunDllAsync(Binaries.NodeDll(), Path.GetTempPath(), null, "--version");

        Assert.True(etl.ExitCode == 0, etl.ToString());
        Assert.True(node.ExitCode == 0, node.ToString());
        Assert.Equal(expected, etl.Stdout.Trim());
        Assert.Equal(expected, node.Stdout.Trim());
    }

    [Fact]
    public async Task Cluster_show_gives_each_members_version_and_a_node_announcing_another_version_shows_it()
    {
        var expected = RepoVersion.Current;
        var journal = await fixture.Server.CreateDatabaseAsync("cluster_version_journal");
        await using var cluster = await LocalCluster.StartAsync(2, journal.Url, new LocalClusterOptions
        {
            NodeSettings = [new Dictionary<string, string>(), new Dictionary<string, string> { ["Etl__AppVersion"] = OtherVersion }],
        });

        // A node's member-up line comes before the other node has seen it up; converge first.
        var members = await Eventually.UntilAsync(
            async () => Members(await EtlAsync(["cluster", "show", "--json", .. cluster.ClusterArgs])),
            m => m.Count == 2 && m.Values.All(v => v.Status == "Up"),
            TimeSpan.FromSeconds(90), "both members up", TimeSpan.FromMilliseconds(500),
            m => string.Join(", ", m.Select(x => $"{x.Key} {x.Value}")));

        Assert.Equal(expected, members[$"akka.ssl.tcp://etl@{cluster.Nodes[0].Address}"].Version);
        Assert.Equal(OtherVersion, members[$"akka.ssl.tcp://etl@{cluster.Nodes[1].Address}"].Version);
        var table = await EtlAsync(["cluster", "show", .. cluster.ClusterArgs]);
        Assert.Contains(expected, table.Stdout);
        Assert.Contains(OtherVersion, table.Stdout);
        Assert.Contains(cluster.Nodes[0].Process.Output().Split('\n'), l => l.Contains($"etl-node starting on 127.0.0.1:{cluster.Nodes[0].Port}, version {expected}, journal", StringComparison.Ordinal));
        Assert.Contains(cluster.Nodes[1].Process.Output().Split('\n'), l => l.Contains($"version {expected} (announced to the cluster as {OtherVersion})", StringComparison.Ordinal));
    }

    private sealed record Member(string Status, string? Version);

    private static Dictionary<string, Member> Members(ProcessResult shown)
    {
        using var json = JsonDocument.Parse(shown.Stdout);
        return json.RootElement.GetProperty("members").EnumerateArray().ToDictionary(
            m => m.GetProperty("address").GetString()!,
            m => new Member(m.GetProperty("status").GetString()!, m.GetProperty("version").GetString()));
    }

    private static async Task<ProcessResult> EtlAsync(string[] args)
    {
        var result = await EtlProcess.RunAsync(Path.GetTempPath(), args);
        Assert.True(result.ExitCode == 0, $"etl {string.Join(' ', args)}\n{result}");
        return result;
    }
}
