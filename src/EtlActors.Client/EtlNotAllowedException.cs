using EtlActors.Contracts.Security;

namespace EtlActors.Client;

/// <summary>
/// The cluster refused the command for who is asking: no API key or an unknown one, a role that does not allow it, a job
/// of another tenant, or a sink the cluster does not allow. <see cref="Exception.Message"/> says why, starting with
/// <c>not allowed:</c>.
/// </summary>
public sealed class EtlNotAllowedException(SecurityProtocol.NotAllowed refusal) : EtlClientException(refusal.Reason)
{
    /// <summary>The node's answer.</summary>
    public SecurityProtocol.NotAllowed Refusal { get; } = refusal;
}
