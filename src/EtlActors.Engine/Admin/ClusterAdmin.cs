using EtlActors.Contracts;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Event;
using EtlActors.Contracts.Security;
using EtlActors.Engine.Logging;
using EtlActors.Engine.Security;
using static EtlActors.Contracts.Cluster.ClusterProtocol;

namespace EtlActors.Engine.Admin;

/// <summary>
/// The operator's view of the cluster at <c>/user/cluster-admin</c> on every node, reached through the
/// ClusterClientReceptionist: membership, leave and down, where the shard regions' shards are, and each node's log
/// level. It is what Petabridge.Cmd's <c>pbm cluster</c>, <c>pbm sharding</c> and <c>pbm log-level</c> give, for `etl cluster`.
/// </summary>
public sealed class ClusterAdmin : ReceiveActor
{
    public const string Name = EtlActorSystem.ClusterAdminActor;

    /// <summary>How long a region, or one node's region, may take to report its shards.</summary>
    private static readonly TimeSpan StatsTimeout = TimeSpan.FromSeconds(5);

    public ClusterAdmin(IReadOnlyDictionary<string, IActorRef> regions, AccessPolicy policy, ILogLevelSwitch? host)
    {
        var cluster = Cluster.Get(Context.System);
        var system = Context.System;
        var log = Context.GetLogger();

        // Only clients reach this actor (through the receptionist): every command needs a principal whose role allows it.
        ReceiveAny(message =>
        {
            var (principal, command, refusal) = policy.Admit(message);
            refusal ??= principal is null ? null : AccessPolicy.RoleRefusal(principal, command);
            if (refusal is not null || principal is null)
            {
                log.Warning("cluster admin: refused {0} from {1}: {2}", command.GetType().Name, principal?.ToString() ?? "a caller without a valid key", refusal);
                Sender.Tell(new SecurityProtocol.NotAllowed(refusal!));
                return;
            }
            switch (command)
            {
                case GetClusterState:
                    Sender.Tell(StateOf(cluster.State));
                    break;
                case LeaveMember leave:
                    Sender.Tell(Leave(cluster, leave.Address, principal, log));
                    break;
                case DownMember down:
                    Sender.Tell(Down(cluster, down.Address, principal, log));
                    break;
                case SetLogLevel set:
                    SetLevel(message, set, cluster, host, principal);
                    break;
                case GetShards:
                    var state = cluster.State;
                    var members = state.Members
                        .Where(m => (m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving) && !state.Unreachable.Contains(m))
                        .Select(m => m.Address)
                        .ToList();
                    ShardsAsync(system, regions, members).PipeTo(Sender);
                    break;
            }
        });
    }

    /// <param name="regions">The shard regions by name, for <see cref="GetShards"/>.</param>
    /// <param name="policy">Who may do what.</param>
    /// <param name="host">The host's log pipeline; null where it has none to change (the node refuses <see cref="SetLogLevel"/>).</param>
    public static Props Props(IReadOnlyDictionary<string, IActorRef> regions, AccessPolicy policy, ILogLevelSwitch? host) =>
        Akka.Actor.Props.Create(() => new ClusterAdmin(regions, policy, host));

    /// <summary>
    /// Sets this node's level, or passes <paramref name="envelope"/> (the key with it: the other node checks it again)
    /// to the admin of the member it names, which answers the caller itself.
    /// </summary>
    private void SetLevel(object envelope, SetLogLevel set, Cluster cluster, ILogLevelSwitch? host, Principal principal)
    {
        var state = cluster.State;
        var target = set.Node is null ? cluster.SelfMember : Resolve(state, set.Node);
        if (target is null)
        {
            Sender.Tell(NotAMember(state, set.Node!));
            return;
        }
        if (target.Address != cluster.SelfAddress)
        {
            if (state.Unreachable.Contains(target))
                Sender.Tell(new ClusterCommandRejected($"{target.Address} is unreachable: its log level cannot be set now"));
            else
                Context.ActorSelection(new RootActorPath(target.Address) / "user" / Name).Tell(envelope, Sender);
            return;
        }
        if (host is null)
        {
            Sender.Tell(new ClusterCommandRejected($"{cluster.SelfAddress} runs in a host whose log level cannot be changed"));
            return;
        }
        var previous = host.Level;
        Context.System.EventStream.SetLogLevel(set.Level.ToAkka());
        host.Set(set.Level);
        // After the change, so that no line of the old level follows this one; a new adapter, since an adapter keeps
        // the level it was made with.
        Context.GetLogger().Info("cluster admin: log level of {0} set to {1} (was {2}) by {3}", cluster.SelfAddress, set.Level, previous, principal);
        Sender.Tell(new LogLevelSet(cluster.SelfAddress.ToString(), set.Level, previous));
    }

    private static ClusterStateView StateOf(ClusterEvent.CurrentClusterState state) => new(
        state.Leader?.ToString(),
        state.Members
            .Select(m => new MemberView(m.Address.ToString(), m.Status.ToString(), m.Roles.Order(StringComparer.Ordinal).ToList(), !state.Unreachable.Contains(m), m.AppVersion.ToString()))
            .ToList());

    private static object Leave(Cluster cluster, string address, Principal principal, ILoggingAdapter log)
    {
        var state = cluster.State;
        if (Resolve(state, address) is not { } member)
            return NotAMember(state, address);
        if (member.Status is MemberStatus.Leaving or MemberStatus.Exiting)
            return new ClusterCommandDone(member.Address.ToString(), $"{member.Address} is already leaving");
        if (member.Status is MemberStatus.Down)
            return new ClusterCommandRejected($"{member.Address} is down; it is being removed, not leaving");
        // A leave needs the member's part (it hands its shards over) and the others' agreement, which an
        // unreachable member blocks: it would wait for ever.
        if (state.Unreachable.Contains(member))
            return new ClusterCommandRejected($"{member.Address} is unreachable, so it cannot leave gracefully; if it is gone, use `etl cluster down {member.Address}`");
        log.Info("cluster admin: {0} asked to leave the cluster by {1}", member.Address, principal);
        cluster.Leave(member.Address);
        return new ClusterCommandDone(member.Address.ToString(), $"{member.Address} is leaving: it hands its shards over, then its node stops");
    }

    private static object Down(Cluster cluster, string address, Principal principal, ILoggingAdapter log)
    {
        var state = cluster.State;
        if (Resolve(state, address) is not { } member)
            return NotAMember(state, address);
        if (member.Status is MemberStatus.Down)
            return new ClusterCommandDone(member.Address.ToString(), $"{member.Address} is already down");
        log.Warning("cluster admin: {0} marked down by {1}", member.Address, principal);
        cluster.Down(member.Address);
        return new ClusterCommandDone(member.Address.ToString(), $"{member.Address} is down: it is removed from the cluster and its shards start on the other nodes");
    }

    /// <summary>The member at <c>host:port</c> or at a full address; null if there is none.</summary>
    private static Member? Resolve(ClusterEvent.CurrentClusterState state, string text)
    {
        text = text.Trim();
        if (text.Contains("://", StringComparison.Ordinal))
            // Any protocol names the same member: akka.tcp:// as typed before TLS finds the akka.ssl.tcp:// member.
            return Address.TryParse(text, out var address)
                ? state.Members.FirstOrDefault(m => m.Address.System == address.System && m.Address.Port == address.Port
                    && string.Equals(m.Address.Host, address.Host, StringComparison.OrdinalIgnoreCase))
                : null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), out var port))
            return null;
        var host = text[..colon];
        return state.Members.FirstOrDefault(m => m.Address.Port == port && string.Equals(m.Address.Host, host, StringComparison.OrdinalIgnoreCase));
    }

    private static ClusterCommandRejected NotAMember(ClusterEvent.CurrentClusterState state, string address) =>
        new($"no member at '{address}' in this cluster (members: {string.Join(", ", state.Members.Select(m => m.Address))}); give host:port or {state.Members.FirstOrDefault()?.Address.Protocol ?? "akka.ssl.tcp"}://etl@host:port");

    /// <summary>
    /// Entity counts come from the coordinator's view of every region (GetClusterShardingStats); entity
    /// ids from each node's region, best effort: a node that does not list them in time shows counts only.
    /// Never fails: a region that does not answer is reported as such.
    /// </summary>
    private static async Task<ShardsView> ShardsAsync(ActorSystem system, IReadOnlyDictionary<string, IActorRef> regions, IReadOnlyList<Address> members)
    {
        var views = await Task.WhenAll(regions.Select(async r =>
        {
            var stats = r.Value.Ask<ClusterShardingStats>(new GetClusterShardingStats(StatsTimeout), StatsTimeout + TimeSpan.FromSeconds(1));
            var entities = members.ToDictionary(a => a, a => EntityIdsAsync(system, r.Value, a));
            try
            {
                await Task.WhenAll(entities.Values.Append<Task>(stats));
            }
            catch (Exception)
            {
                // Looked at one by one below.
            }
            if (!stats.IsCompletedSuccessfully)
                return new RegionView(r.Key, [], $"region '{r.Key}' did not report its shards within {StatsTimeout.TotalSeconds:0} s");
            var nodes = stats.Result.Regions
                .OrderBy(n => n.Key.ToString(), StringComparer.Ordinal)
                .Select(n =>
                {
                    var ids = entities.TryGetValue(n.Key, out var listed) && listed.IsCompletedSuccessfully ? listed.Result : null;
                    var shards = n.Value.Stats
                        .OrderBy(s => s.Key, ShardIdOrder.Instance)
                        .Select(s => new ShardView(s.Key, s.Value, ids is null ? null : ids.GetValueOrDefault(s.Key, [])))
                        .ToList();
                    return new RegionNodeView(n.Key.ToString(), shards, n.Value.Failed.Order(ShardIdOrder.Instance).ToList());
                })
                .ToList();
            return new RegionView(r.Key, nodes);
        }));
        return new ShardsView(views.OrderBy(v => v.Name, StringComparer.Ordinal).ToList());
    }

    private static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> EntityIdsAsync(ActorSystem system, IActorRef region, Address node)
    {
        // The same region on another node lives at the same path there.
        var selection = system.ActorSelection(new RootActorPath(node) / region.Path.Elements);
        var state = await selection.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, StatsTimeout);
        return state.Shards.ToDictionary(
            s => s.ShardId,
            s => (IReadOnlyList<string>)s.EntityIds.Order(StringComparer.Ordinal).Take(MaxEntityIds).ToList());
    }

    /// <summary>Shard ids are numbers here (HashCodeMessageExtractor): 2 before 10, as people count.</summary>
    private sealed class ShardIdOrder : IComparer<string>
    {
        public static readonly ShardIdOrder Instance = new();

        public int Compare(string? x, string? y) => (int.TryParse(x, out var a), int.TryParse(y, out var b)) switch
        {
            (true, true) => a.CompareTo(b),
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(x, y),
        };
    }
}
