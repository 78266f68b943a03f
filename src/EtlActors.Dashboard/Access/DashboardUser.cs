using EtlActors.Engine;
using EtlActors.Engine.Security;

namespace EtlActors.Dashboard.Access;

/// <summary>
/// Who is looking at the dashboard: a principal known by its API key, or, on a node in the insecure development mode,
/// anyone without a key, who may look but not act.
/// </summary>
/// <param name="Principal">As the node's <see cref="AccessPolicy"/> knows them.</param>
/// <param name="ApiKey">The key every command of theirs is sent with; null for the anonymous viewer of the insecure mode.</param>
internal sealed record DashboardUser(Principal Principal, string? ApiKey)
{
    /// <summary>Operators and admins act; the anonymous viewer never does, whatever role the insecure mode gives clients.</summary>
    public bool MayAct => ApiKey is not null && Principal.Role >= AccessRole.Operator;

    public bool Sees(string tenantId) => Principal.Sees(tenantId);
}
