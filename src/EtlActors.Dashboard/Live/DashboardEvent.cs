using EtlActors.Dashboard.Access;

namespace EtlActors.Dashboard.Live;

/// <summary>
/// One Server-Sent Event: <c>job</c> (a job's new status), <c>members</c> (the membership changed: the page asks for it
/// again) or <c>rate</c> (the cluster's records per second now). <paramref name="Tenant"/> says whose it is: a user is
/// sent only events of tenants they see (null: everyone's, like the membership).
/// </summary>
internal sealed record DashboardEvent(string Name, object Data, string? Tenant)
{
    public bool IsFor(DashboardUser user) => Tenant is null || user.Sees(Tenant);
}
