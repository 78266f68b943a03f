namespace EtlActors.Contracts.Cluster;

/// <summary>
/// The messages an operator's tool exchanges with the cluster admin (<c>/user/cluster-admin</c> on
/// every node): what <c>pbm cluster</c> and <c>pbm sharding</c> give, over ClusterClient. Addresses are
/// Akka addresses as the cluster shows them (<c>akka.ssl.tcp://etl@host:port</c>, <c>akka.tcp</c> without TLS); commands also take <c>host:port</c>.
/// Sent inside <see cref="Security.SecurityProtocol.Authenticated"/>; leave, down, shards and log level need an admin's key, and a
/// refused command is answered with <see cref="Security.SecurityProtocol.NotAllowed"/>.
/// </summary>
public static class ClusterProtocol
{
    /// <summary>Asks for the membership as the answering node sees it; replied to with <see cref="ClusterStateView"/>.</summary>
    public sealed record GetClusterState;

    /// <summary>
    /// Asks a member to leave gracefully: it hands its shards (and jobs, at their checkpoints) over and
    /// then its process stops. Replied to with <see cref="ClusterCommandDone"/> once the leave is under
    /// way, or <see cref="ClusterCommandRejected"/> for an address that is not a member.
    /// </summary>
    /// <param name="Address"><c>host:port</c> or <c>akka.ssl.tcp://etl@host:port</c> (<c>akka.tcp</c> without TLS).</param>
    public sealed record LeaveMember(string Address);

    /// <summary>
    /// Marks a member down, as the split-brain resolver would: for a node that is gone (crashed, or cut
    /// off) and will not leave by itself; its shards start elsewhere. Replied to like <see cref="LeaveMember"/>.
    /// </summary>
    /// <param name="Address"><c>host:port</c> or <c>akka.ssl.tcp://etl@host:port</c> (<c>akka.tcp</c> without TLS).</param>
    public sealed record DownMember(string Address);

    /// <summary>Asks where the shard regions' shards and entities are; replied to with <see cref="ShardsView"/>.</summary>
    public sealed record GetShards;

    /// <summary>
    /// Sets the least level a node logs, its own lines and Akka's, until it restarts or is set again: what
    /// <c>pbm log-level</c> does. Replied to with <see cref="LogLevelSet"/>, or <see cref="ClusterCommandRejected"/> for an
    /// address that is not a member, or a node whose host cannot change its level.
    /// </summary>
    /// <param name="Level">The new least level.</param>
    /// <param name="Node">
    /// The member to set it on: <c>host:port</c> or <c>akka.ssl.tcp://etl@host:port</c> (<c>akka.tcp</c> without TLS); null
    /// (the default) for the node that answers, which <see cref="LogLevelSet.Address"/> names.
    /// </param>
    public sealed record SetLogLevel(NodeLogLevel Level, string? Node = null);

    /// <summary>A node's log level is set.</summary>
    /// <param name="Address">The node's full address.</param>
    /// <param name="Level">Its least level now.</param>
    /// <param name="Previous">Its least level before.</param>
    public sealed record LogLevelSet(string Address, NodeLogLevel Level, NodeLogLevel Previous);

    /// <summary>The cluster's membership.</summary>
    /// <param name="Leader">The leader's address; null while there is none (e.g. while it is unreachable).</param>
    /// <param name="Members">Every member, in address order.</param>
    public sealed record ClusterStateView(string? Leader, IReadOnlyList<MemberView> Members);

    /// <summary>One member of the cluster.</summary>
    /// <param name="Address">Its address, <c>akka.ssl.tcp://etl@host:port</c> (<c>akka.tcp</c> without TLS).</param>
    /// <param name="Status">Its membership status as Akka names it: Joining, WeaklyUp, Up, Leaving, Exiting, Down, Removed.</param>
    /// <param name="Roles">Its roles (the node's <c>Etl:Roles</c>), in name order.</param>
    /// <param name="Reachable">False while some member's failure detector cannot reach it.</param>
    /// <param name="Version">
    /// The EtlActors version it runs (its Akka app-version, e.g. <c>0.1.0</c>), so a rolling upgrade can be watched; null
    /// when the answering node is older than this field.
    /// </param>
    public sealed record MemberView(string Address, string Status, IReadOnlyList<string> Roles, bool Reachable, string? Version = null);

    /// <summary>A leave or down the cluster took.</summary>
    /// <param name="Address">The member's full address.</param>
    /// <param name="Message">What happens next, for people.</param>
    public sealed record ClusterCommandDone(string Address, string Message);

    /// <summary>A leave, down or log level the cluster refused, e.g. for an address that is not a member.</summary>
    /// <param name="Reason">Why, in words a user can act on.</param>
    public sealed record ClusterCommandRejected(string Reason);

    /// <summary>The shard regions and where their shards live.</summary>
    /// <param name="Regions">One entry per region: <c>jobs</c> (job supervisors) and <c>transformers</c>.</param>
    public sealed record ShardsView(IReadOnlyList<RegionView> Regions);

    /// <summary>One shard region across the cluster.</summary>
    /// <param name="Name">The region's type name.</param>
    /// <param name="Nodes">The nodes running the region, in address order, each with its shards (none yet, on a node that has none).</param>
    /// <param name="Error">Why the region's statistics are missing (it did not answer in time); null when they are here.</param>
    public sealed record RegionView(string Name, IReadOnlyList<RegionNodeView> Nodes, string? Error = null);

    /// <summary>One node's part of a region.</summary>
    /// <param name="Address">The node's address, <c>akka.ssl.tcp://etl@host:port</c> (<c>akka.tcp</c> without TLS).</param>
    /// <param name="Shards">Its shards, in id order (numerically: 2 before 10).</param>
    /// <param name="FailedShards">Shards on the node that did not report in time: their entities are not counted.</param>
    public sealed record RegionNodeView(string Address, IReadOnlyList<ShardView> Shards, IReadOnlyList<string> FailedShards);

    /// <summary>One shard.</summary>
    /// <param name="Id">The shard's id.</param>
    /// <param name="Entities">How many entities it runs.</param>
    /// <param name="EntityIds">
    /// Their ids (job ids, in the jobs region), at most <see cref="MaxEntityIds"/>; null when the node
    /// did not list them in time.
    /// </param>
    public sealed record ShardView(string Id, int Entities, IReadOnlyList<string>? EntityIds);

    /// <summary>The most entity ids a <see cref="ShardView"/> lists: a transformers shard may hold thousands.</summary>
    public const int MaxEntityIds = 100;
}
