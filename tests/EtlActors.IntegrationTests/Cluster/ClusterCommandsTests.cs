using System.Diagnostics;
using System.Text.Json;
using EtlActors.Contracts.Jobs;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Cluster;

/// <summary>
/// `etl cluster show|leave|down|shards` against a real two-node cluster, their output (`--json`
/// parsed) checked against what the nodes really do: a node told to leave stops, a killed node
/// downed is removed, a job's supervisor shows in the shard of the node that runs it.
/// </summary>
[Collection(ClusterCommandsCollection.Name)]
public sealed class ClusterCommandsTests(ClusterFixture fixture)
{
    private static readonly TimeSpan MembershipTimeout = TimeSpan.FromSeconds(90);

    // Keep-majority cannot settle one against one, and would down the side with the higher address
    // after a few seconds; a split-brain resolver that waits this long leaves downing to the test.
    private static readonly Dictionary<string, string> NoAutomaticDowning = new() { ["Etl__SplitBrainStableAfter"] = "00:10:00" };

    [Fact]
    public async Task Show_lists_both_nodes_up_and_reachable_with_one_of_them_leading()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("cluster_show_journal");
        await using var cluster = await LocalCluster.StartAsync(2, journal, new Dictionary<string, string> { ["Etl__Roles__0"] = "worker", ["Etl__Roles__1"] = "etl" });
        var addresses = cluster.Contacts.Select(FullAddress).ToList();

        // A node's member-up line comes before the other node has seen it up; converge first.
        var members = await WaitForMembersAsync(cluster.ClusterArgs, m => m.Count == 2 && m.All(x => x.Status == "Up"));

        Assert.Equal(addresses.Order(), members.Select(m => m.Address).Order());
        Assert.All(members, m => Assert.True(m.Reachable, $"{m.Address} unreachable"));
        Assert.All(members, m => Assert.Equal(["etl", "worker"], m.Roles));
        var shown = await EtlAsync(["cluster", "show", "--json", .. cluster.ClusterArgs]);
        using (var json = JsonDocument.Parse(shown.Stdout))
        {
            Assert.Equal(["leader", "members"], json.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Contains(json.RootElement.GetProperty("leader").GetString(), addresses);
            Assert.All(json.RootElement.GetProperty("members").EnumerateArray(), m =>
                Assert.Equal(["address", "status", "roles", "reachable", "version"], m.EnumerateObject().Select(p => p.Name)));
        }

        var text = await EtlAsync(["cluster", "show", .. cluster.ClusterArgs]);
        foreach (var header in new[] { "ADDRESS", "STATUS", "ROLES", "VERSION", "REACHABLE", "LEADER" })
            Assert.Contains(header, text.Stdout);
        Assert.Contains("etl,worker", text.Stdout);
        Assert.All(addresses, a => Assert.Contains(a, text.Stdout));
        Assert.Contains("2 member(s); leader: akka.ssl.tcp://etl@127.0.0.1:", text.Stdout);
    }

    [Fact]
    public async Task Shards_shows_a_submitted_job_in_a_jobs_shard_of_the_node_that_runs_it()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("cluster_shards_journal");
        var sink = await fixture.Server.CreateDatabaseAsync("cluster_shards_sink");
        await using var cluster = await LocalCluster.StartAsync(2, journal);
        await using var client = cluster.Client();
        var id = new JobId("shards-job");
        await client.SubmitAsync(id, new JobSpec("skype", fixture.SmallExport, sink.Url, "acme"));
        var status = await cluster.WaitForJobAsync(client, id, s => s.Node is not null && s.State is JobState.Running or JobState.Completed, TimeSpan.FromMinutes(2), "running");

        var shown = await EtlAsync(["cluster", "shards", "--json", .. cluster.ClusterArgs]);

        using var json = JsonDocument.Parse(shown.Stdout);
        var regions = json.RootElement.GetProperty("regions").EnumerateArray().ToList();
        Assert.Equal(["jobs", "transformers"], regions.Select(r => r.GetProperty("name").GetString()));
        var jobs = regions.Single(r => r.GetProperty("name").GetString() == "jobs");
        Assert.Equal(JsonValueKind.Null, jobs.GetProperty("error").ValueKind);
        var holders = (
            from node in jobs.GetProperty("nodes").EnumerateArray()
            from shard in node.GetProperty("shards").EnumerateArray()
            where shard.GetProperty("entityIds").EnumerateArray().Any(e => e.GetString() == id.Value)
            select (Node: node.GetProperty("address").GetString(), Shard: shard.GetProperty("id").GetString(), Entities: shard.GetProperty("entities").GetInt32()))
            .ToList();
        var holder = Assert.Single(holders);
        Assert.Equal(FullAddress(status.Node!), holder.Node);
        Assert.True(holder.Entities >= 1);
        Assert.Contains(cluster.Contacts.Select(FullAddress), a => a == holder.Node);

        var text = await EtlAsync(["cluster", "shards", .. cluster.ClusterArgs]);
        foreach (var header in new[] { "REGION", "NODE", "SHARD", "ENTITIES", "ENTITY IDS" })
            Assert.Contains(header, text.Stdout);
        Assert.Contains(id.Value, text.Stdout);
        Assert.Matches(@"jobs: \d+ shard\(s\), \d+ entit(y|ies) on \d node\(s\)", text.Stdout);
    }

    [Fact]
    public async Task Leave_stops_the_node_and_show_then_lists_one_member()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("cluster_leave_journal");
        await using var cluster = await LocalCluster.StartAsync(2, journal, NoAutomaticDowning);
        await WaitForMembersAsync(cluster.ClusterArgs, m => m.Count == 2 && m.All(x => x.Status == "Up"));
        var leaving = cluster.Nodes[1];

        var left = await EtlAsync(["cluster", "leave", leaving.Address, "--json", .. cluster.ClusterArgs]);

        using (var json = JsonDocument.Parse(left.Stdout))
        {
            Assert.Equal(FullAddress(leaving.Address), json.RootElement.GetProperty("address").GetString());
            Assert.Contains("is leaving", json.RootElement.GetProperty("message").GetString());
        }
        var exit = await leaving.Process.WaitForExitAsync(MembershipTimeout);
        Assert.True(exit.ExitCode == 0, exit.ToString());
        Assert.Contains("left the cluster", exit.Stdout);
        var seed = new[] { "--cluster", cluster.Nodes[0].Address };
        var members = await WaitForMembersAsync(seed, m => m.Count == 1);
        Assert.Equal(FullAddress(cluster.Nodes[0].Address), Assert.Single(members).Address);
        Assert.False(cluster.Nodes[0].Process.HasExited);
    }

    [Fact]
    public async Task Down_removes_a_killed_node_that_leave_cannot()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("cluster_down_journal");
        await using var cluster = await LocalCluster.StartAsync(2, journal, NoAutomaticDowning);
        await WaitForMembersAsync(cluster.ClusterArgs, m => m.Count == 2 && m.All(x => x.Status == "Up"));
        var victim = cluster.Nodes[1];
        var seed = new[] { "--cluster", cluster.Nodes[0].Address };

        victim.Process.Kill();
        await WaitForMembersAsync(seed, m => m.Any(x => x.Address == FullAddress(victim.Address) && !x.Reachable));
        var refused = await EtlAsync(["cluster", "leave", victim.Address, .. seed], expectedExit: 1);
        Assert.Equal(
            $"error: {FullAddress(victim.Address)} is unreachable, so it cannot leave gracefully; if it is gone, use `etl cluster down {FullAddress(victim.Address)}`",
            refused.Stderr.Trim());

        var downed = await EtlAsync(["cluster", "down", FullAddress(victim.Address), .. seed]);

        Assert.StartsWith($"{FullAddress(victim.Address)} is down", downed.Stdout.Trim());
        var members = await WaitForMembersAsync(seed, m => m.Count == 1);
        var survivor = Assert.Single(members);
        Assert.Equal(FullAddress(cluster.Nodes[0].Address), survivor.Address);
        Assert.True(survivor.Reachable);
    }

    [Fact]
    public async Task An_address_that_is_not_a_member_is_refused_with_the_members_listed()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("cluster_unknown_journal");
        await using var cluster = await LocalCluster.StartAsync(1, journal);

        var leave = await EtlAsync(["cluster", "leave", "127.0.0.1:9", .. cluster.ClusterArgs], expectedExit: 1);
        var down = await EtlAsync(["cluster", "down", "akka.tcp://etl@10.1.2.3:4053", "--json", .. cluster.ClusterArgs], expectedExit: 1);
        var garbage = await EtlAsync(["cluster", "down", "not an address", .. cluster.ClusterArgs], expectedExit: 1);

        var members = $"(members: {FullAddress(cluster.Contacts[0])}); give host:port or akka.ssl.tcp://etl@host:port";
        Assert.Equal($"error: no member at '127.0.0.1:9' in this cluster {members}", leave.Stderr.Trim());
        Assert.Equal($"error: no member at 'akka.tcp://etl@10.1.2.3:4053' in this cluster {members}", down.Stderr.Trim());
        Assert.Equal($"error: no member at 'not an address' in this cluster {members}", garbage.Stderr.Trim());
        Assert.Empty(leave.Stdout);
        Assert.Empty(down.Stdout);
    }

    [Theory]
    [InlineData("show")]
    [InlineData("shards")]
    public async Task An_unreachable_cluster_gets_a_clear_message_within_seconds(string command)
    {
        var clock = Stopwatch.StartNew();
        var result = await EtlAsync(["cluster", command, "--cluster", "127.0.0.1:9"], expectedExit: 1);

        Assert.Equal("error: cannot reach the cluster at 127.0.0.1:9: nothing listens there (connection refused; is a node running on that port?)", result.Stderr.Trim());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"took {clock.Elapsed}");
    }

    private sealed record Member(string Address, string Status, IReadOnlyList<string> Roles, bool Reachable);

    /// <summary>Runs `etl cluster show --json` until the members it lists satisfy <paramref name="until"/>.</summary>
    private static Task<IReadOnlyList<Member>> WaitForMembersAsync(string[] clusterArgs, Func<IReadOnlyList<Member>, bool> until) =>
        Eventually.UntilAsync(
            async () =>
            {
                var shown = await EtlAsync(["cluster", "show", "--json", .. clusterArgs]);
                using var json = JsonDocument.Parse(shown.Stdout);
                return (IReadOnlyList<Member>)json.RootElement.GetProperty("members").EnumerateArray()
                    .Select(m => new Member(
                        m.GetProperty("address").GetString()!,
                        m.GetProperty("status").GetString()!,
                        m.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToList(),
                        m.GetProperty("reachable").GetBoolean()))
                    .ToList();
            },
            until, MembershipTimeout, "the expected members", every: TimeSpan.FromMilliseconds(500), describe: members => string.Join(", ", members));

    private static async Task<ProcessResult> EtlAsync(string[] args, int expectedExit = 0)
    {
        var result = await EtlProcess.RunAsync(Path.GetTempPath(), args);
        Assert.True(result.ExitCode == expectedExit, $"etl {string.Join(' ', args)}: expected exit {expectedExit}\n{result}");
        return result;
    }

    // Nodes run with mutual TLS, as by default.
    private static string FullAddress(string hostPort) => $"akka.ssl.tcp://etl@{hostPort}";
}
