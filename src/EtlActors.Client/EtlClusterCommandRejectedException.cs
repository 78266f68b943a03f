using EtlActors.Contracts.Cluster;

namespace EtlActors.Client;

/// <summary>The cluster refused a leave or down (e.g. for an address that is not a member); <see cref="Exception.Message"/> says why.</summary>
public sealed class EtlClusterCommandRejectedException(ClusterProtocol.ClusterCommandRejected rejection) : EtlClientException(rejection.Reason)
{
    /// <summary>The cluster admin's answer.</summary>
    public ClusterProtocol.ClusterCommandRejected Rejection { get; } = rejection;
}
