using EtlActors.Contracts;
using EtlActors.Contracts.Cluster;
using Akka.Actor;
using Akka.Cluster.Tools.Client;
using static EtlActors.Contracts.Cluster.ClusterProtocol;

namespace EtlActors.Client;

// The cluster's membership, sharding and log levels as an operator drives them: what `pbm cluster`, `pbm sharding` and
// `pbm log-level` give.
public sealed partial class EtlClient
{

    /// <summary>The members, their status, roles and reachability, and the leader, as the answering node sees them.</summary>
    /// <exception cref="EtlClientException">The cluster is unreachable, or did not answer within <see cref="EtlClientOptions.Timeout"/>.</exception>
    public Task<ClusterStateView> GetClusterAsync(CancellationToken cancellationToken = default) =>
        AskAsync<ClusterStateView>(EtlActorSystem.ClusterAdminPath, new GetClusterState(), "GetClusterState", cancellationToken);

    /// <summary>
    /// Asks a member to leave gracefully: it hands its shards (and jobs, at their checkpoints) over to
    /// the other nodes, then its process stops. Returns once the leave is under way, not once it is done.
    /// </summary>
    /// <param name="address"><c>host:port</c> or <c>akka.ssl.tcp://etl@host:port</c> (<c>akka.tcp</c> without TLS) of a member.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The member's full address and what happens next.</returns>
    /// <exception cref="EtlClusterCommandRejectedException">No member has this address, or it cannot leave (it is down or unreachable).</exception>
    /// <exception cref="EtlClientException">The cluster is unreachable, or did not answer within <see cref="EtlClientOptions.Timeout"/>.</exception>
    public Task<ClusterCommandDone> LeaveAsync(string address, CancellationToken cancellationToken = default) =>
        ClusterCommandAsync(new LeaveMember(address), $"LeaveMember {address}", cancellationToken);

    /// <summary>
    /// Marks a member down: for a node that is gone and will not leave by itself. It is removed from the
    /// cluster and its shards (and jobs, from their checkpoints) start on the other nodes. A node downed
    /// while it still runs stops itself.
    /// </summary>
    /// <param name="address"><c>host:port</c> or <c>akka.ssl.tcp://etl@host:port</c> (<c>akka.tcp</c> without TLS) of a member.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The member's full address and what happens next.</returns>
    /// <exception cref="EtlClusterCommandRejectedException">No member has this address.</exception>
    /// <exception cref="EtlClientException">The cluster is unreachable, or did not answer within <see cref="EtlClientOptions.Timeout"/>.</exception>
    public Task<ClusterCommandDone> DownAsync(string address, CancellationToken cancellationToken = default) =>
        ClusterCommandAsync(new DownMember(address), $"DownMember {address}", cancellationToken);

    /// <summary>The shard regions (jobs, transformers), and per node their shards with the entities each runs.</summary>
    /// <exception cref="EtlClientException">The cluster is unreachable, or did not answer within <see cref="EtlClientOptions.Timeout"/>.</exception>
    public Task<ShardsView> GetShardsAsync(CancellationToken cancellationToken = default) =>
        AskAsync<ShardsView>(EtlActorSystem.ClusterAdminPath, new GetShards(), "GetShards", cancellationToken);

    /// <summary>
    /// Sets the least level a node logs, its own lines and Akka's, until it restarts or is set again: Debug to see what
    /// it does, then Information (a node's default) to go back. Needs an admin's key.
    /// </summary>
    /// <param name="level">The new least level.</param>
    /// <param name="node">
    /// <c>host:port</c> or <c>akka.ssl.tcp://etl@host:port</c> (<c>akka.tcp</c> without TLS) of a member; null (the
    /// default) for the node this client talks to, which the answer names.
    /// </param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>The node's full address, and its level now and before.</returns>
    /// <exception cref="EtlClusterCommandRejectedException">No member has this address, it is unreachable, or its host cannot change its level.</exception>
    /// <exception cref="EtlClientException">The cluster is unreachable, or did not answer within <see cref="EtlClientOptions.Timeout"/>.</exception>
    public async Task<LogLevelSet> SetLogLevelAsync(NodeLogLevel level, string? node = null, CancellationToken cancellationToken = default)
    {
        var what = $"SetLogLevel {level}{(node is null ? "" : " on " + node)}";
        return await AskAsync<object>(EtlActorSystem.ClusterAdminPath, new SetLogLevel(level, node), what, cancellationToken) switch
        {
            LogLevelSet set => set,
            ClusterCommandRejected rejected => throw new EtlClusterCommandRejectedException(rejected),
            var other => throw new EtlClientException($"unexpected answer {other.GetType().Name} to {what}"),
        };
    }

    private async Task<ClusterCommandDone> ClusterCommandAsync(object command, string what, CancellationToken cancellationToken) =>
        await AskAsync<object>(EtlActorSystem.ClusterAdminPath, command, what, cancellationToken) switch
        {
            ClusterCommandDone done => done,
            ClusterCommandRejected rejected => throw new EtlClusterCommandRejectedException(rejected),
            var other => throw new EtlClientException($"unexpected answer {other.GetType().Name} to {what}"),
        };
}
