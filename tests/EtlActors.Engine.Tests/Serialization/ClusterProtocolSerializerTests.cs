using Akka.Actor;
using Akka.Configuration;
using EtlActors.Contracts.Cluster;
using EtlActors.Contracts.Serialization;
using static EtlActors.Contracts.Cluster.ClusterProtocol;

namespace EtlActors.Engine.Tests.Serialization;

public sealed class ClusterProtocolSerializerTests : IDisposable
{
    private const string Node1 = "akka.tcp://etl@10.0.0.7:4053";
    private const string Node2 = "akka.tcp://etl@10.0.0.8:4053";

    private readonly ActorSystem _system = ActorSystem.Create("cluster-serializer-spec", ConfigurationFactory.Empty);
    private readonly ContractsSerializer _serializer;

    public ClusterProtocolSerializerTests() => _serializer = new ContractsSerializer((ExtendedActorSystem)_system);

    public static TheoryData<object> Messages() =>
    [
        new GetClusterState(),
        new ClusterStateView(Node1, [
            new MemberView(Node1, "Up", ["dc-default", "worker"], true, "0.2.0"),
            new MemberView(Node2, "Leaving", [], false, "0.1.0-hotfix.1"),
        ]),
        new ClusterStateView(null, []),
        new LeaveMember("10.0.0.8:4053"),
        new DownMember(Node2),
        new ClusterCommandDone(Node2, "akka.tcp://etl@10.0.0.8:4053 is leaving"),
        new ClusterCommandRejected("no member at '10.0.0.9:4053' in this cluster"),
        new GetShards(),
        new ShardsView([
            new RegionView("jobs", [
                new RegionNodeView(Node1, [new ShardView("7", 2, ["skype-0123456789ab", "nightly"]), new ShardView("12", 1, null)], ["31"]),
                new RegionNodeView(Node2, [], []),
            ]),
            new RegionView("transformers", [], "region 'transformers' did not report its shards within 5 s"),
        ]),
        new SetLogLevel(NodeLogLevel.Debug),
        new SetLogLevel(NodeLogLevel.Warning, "10.0.0.8:4053"),
        new LogLevelSet(Node1, NodeLogLevel.Debug, NodeLogLevel.Information),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_cluster_message_round_trips_with_a_stable_manifest(object message)
    {
        var manifest = _serializer.Manifest(message);
        var copy = _serializer.FromBinary(_serializer.ToBinary(message), manifest);

        Assert.StartsWith("cluster.", manifest);
        Assert.EndsWith(".v1", manifest);
        Assert.Equal(message.GetType(), copy.GetType());
        Assert.Equal(Canonical(message), Canonical(copy));
        Assert.Equal(Canonical(message), System.Text.Encoding.UTF8.GetString(_serializer.ToBinary(message)));
    }

    [Fact]
    public void Every_message_of_the_cluster_protocol_is_bound_and_round_tripped_here()
    {
        // The views' parts travel inside the views; only what is sent on its own needs a manifest.
        var parts = new[] { typeof(MemberView), typeof(RegionView), typeof(RegionNodeView), typeof(ShardView) };
        var messages = typeof(ClusterProtocol).GetNestedTypes().Except(parts).ToList();

        Assert.NotEmpty(messages);
        Assert.All(messages, t => Assert.Contains(t, ContractsSerializer.BoundTypes));
        var tested = ((IEnumerable<object[]>)Messages()).Select(row => row[0].GetType()).ToHashSet();
        Assert.All(messages, t => Assert.Contains(t, tested));
    }

    [Fact]
    public void The_manifests_are_the_published_ones()
    {
        // Manifests are the wire contract with older clients: a rename here breaks them.
        Assert.Equal("cluster.get-state.v1", _serializer.Manifest(new GetClusterState()));
        Assert.Equal("cluster.state.v1", _serializer.Manifest(new ClusterStateView(null, [])));
        Assert.Equal("cluster.leave.v1", _serializer.Manifest(new LeaveMember("a:1")));
        Assert.Equal("cluster.down.v1", _serializer.Manifest(new DownMember("a:1")));
        Assert.Equal("cluster.command-done.v1", _serializer.Manifest(new ClusterCommandDone("a", "b")));
        Assert.Equal("cluster.command-rejected.v1", _serializer.Manifest(new ClusterCommandRejected("r")));
        Assert.Equal("cluster.get-shards.v1", _serializer.Manifest(new GetShards()));
        Assert.Equal("cluster.shards.v1", _serializer.Manifest(new ShardsView([])));
        Assert.Equal("cluster.set-log-level.v1", _serializer.Manifest(new SetLogLevel(NodeLogLevel.Debug)));
        Assert.Equal("cluster.log-level-set.v1", _serializer.Manifest(new LogLevelSet("a", NodeLogLevel.Debug, NodeLogLevel.Information)));
    }

    [Fact]
    public void A_log_level_travels_by_its_name()
    {
        // A name, not a number: a level added later cannot be read as another one by an older node.
        var json = System.Text.Encoding.UTF8.GetString(_serializer.ToBinary(new SetLogLevel(NodeLogLevel.Warning, "a:1")));

        Assert.Equal("""{"level":"Warning","node":"a:1"}""", json);
    }

    [Fact]
    public void A_region_from_a_node_without_the_error_field_still_reads()
    {
        var json = """{"regions":[{"name":"jobs","nodes":[]}]}"""u8.ToArray();

        var view = (ShardsView)_serializer.FromBinary(json, "cluster.shards.v1");

        Assert.Equal("jobs", Assert.Single(view.Regions).Name);
        Assert.Null(view.Regions[0].Error);
    }

    [Fact]
    public void A_member_from_a_node_without_the_version_field_still_reads_and_the_field_is_added_by_name()
    {
        // A node older than the version field answers without it; a newer one adds it beside the others, which an
        // older client's reader skips.
        var old = """{"leader":null,"members":[{"address":"a","status":"Up","roles":[],"reachable":true}]}"""u8.ToArray();

        var view = (ClusterStateView)_serializer.FromBinary(old, "cluster.state.v1");
        var json = System.Text.Encoding.UTF8.GetString(_serializer.ToBinary(new ClusterStateView(null, [new MemberView("a", "Up", [], true, "0.2.0")])));

        Assert.Null(Assert.Single(view.Members).Version);
        Assert.Equal("""{"leader":null,"members":[{"address":"a","status":"Up","roles":[],"reachable":true,"version":"0.2.0"}]}""", json);
    }

    private static string Canonical(object o) => System.Text.Json.JsonSerializer.Serialize(o, o.GetType(), ManifestJsonSerializer.Json);

    public void Dispose() => _system.Terminate().Wait();
}
