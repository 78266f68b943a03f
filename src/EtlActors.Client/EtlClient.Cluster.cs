using EtlActors.Contracts;
using Akka.Actor;
using Akka.Cluster.Tools.Client;
using static EtlActors.Contracts.Cluster.ClusterProtocol;

namespace EtlActors.Client;

// The cluster's membership and sharding as an operator drives them: what `pbm cluster` and `pbm sharding` give.
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

    private async Task<ClusterCommandDone> ClusterCommandAsync(object command, string what, CancellationToken cancellationToken) =>
        await AskAsync<object>(EtlActorSystem.ClusterAdminPath, command, what, cancellationToken) switch
        {
            ClusterCommandDone done => done,
            ClusterCommandRejected rejected => throw new EtlClusterCommandRejectedException(rejected),
            var other => throw new EtlClientException($"unexpected answer {other.GetType().Name} to {what}"),
        };
}
