using Akka.Actor;
using Akka.Cluster;

namespace EtlActors.Engine.Jobs;

/// <summary>
/// A node left the cluster (downed or left): batches a running job sent to transformer entities there will
/// never be answered. Published on each node's event stream by <see cref="TransformerNodeLossWatcher"/>.
/// </summary>
public sealed record TransformerNodeLost(string Node) : INoSerializationVerificationNeeded;

/// <summary>
/// The failure a run ends with when <see cref="TransformerNodeLost"/> arrives: it restarts from its checkpoint
/// at once (the entities have moved by then), instead of each lost batch waiting out the ask timeout (60 s).
/// </summary>
public sealed class TransformerNodeLostException(string node)
    : Exception($"node {node} left the cluster while it transformed this job's batches; restarting from the checkpoint");

/// <summary>Tells this node's job supervisors, through the event stream, when a member is removed from the cluster.</summary>
public sealed class TransformerNodeLossWatcher : ReceiveActor
{
    public const string Name = "transformer-node-loss";

    public TransformerNodeLossWatcher()
    {
        var self = Cluster.Get(Context.System).SelfAddress;
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            // This node's own removal comes after it handed its jobs over (CoordinatedShutdown): nothing is left to restart.
            if (removed.Member.Address != self)
                Context.System.EventStream.Publish(new TransformerNodeLost($"{removed.Member.Address.Host}:{removed.Member.Address.Port}"));
        });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new TransformerNodeLossWatcher());

    // As events, not a snapshot: removals before this node started lost nothing of ours.
    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
}
