using EtlActors.Contracts.Jobs;

namespace EtlActors.Client;

/// <summary>Which jobs <see cref="EtlClient.ListAsync"/> returns.</summary>
/// <param name="State">Only jobs in this state; null for all.</param>
/// <param name="TenantId">Only this tenant's jobs; null for all.</param>
public sealed record JobFilter(JobState? State = null, string? TenantId = null);
