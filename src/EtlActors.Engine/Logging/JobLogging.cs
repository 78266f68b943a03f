using Akka.Event;
using EtlActors.Contracts.Jobs;

namespace EtlActors.Engine.Logging;

/// <summary>
/// The properties every line about a job carries, so that a log collector finds one job's lines (and one tenant's)
/// without parsing messages: <c>JobId</c>, and <c>TenantId</c> once the job's spec is known. Akka passes them on as
/// structured properties (Akka.Hosting's logger hands them to the host's ILogger, and so to Serilog); the node adds
/// <c>Node</c> to every line itself.
/// </summary>
internal static class JobLogging
{
    public const string JobIdProperty = "JobId";
    public const string TenantIdProperty = "TenantId";

    /// <summary><paramref name="log"/> with the job's properties on every line.</summary>
    /// <remarks>
    /// Akka fixes an adapter's levels when it is made, so an actor that lives as long as a job asks for a new one per
    /// line (they are few) to follow <c>etl cluster log-level</c> at once: <c>Context.GetLogger().ForJob(…)</c>.
    /// </remarks>
    public static ILoggingAdapter ForJob(this ILoggingAdapter log, string jobId, string? tenantId)
    {
        var scoped = log.WithContext(JobIdProperty, jobId);
        return tenantId is null ? scoped : scoped.WithContext(TenantIdProperty, tenantId);
    }

    /// <inheritdoc cref="ForJob(ILoggingAdapter, string, string?)"/>
    public static ILoggingAdapter ForJob(this ILoggingAdapter log, JobId jobId, string? tenantId) => log.ForJob(jobId.Value, tenantId);
}
