using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EtlActors.Node.Http;

/// <summary>
/// Ready only while this node is an Up member: before it has joined, and once it is leaving, it hosts no shards, so a
/// load balancer or an orchestrator should not count on it. (Akka.Cluster.Hosting's readiness check stays healthy once
/// joined, even while leaving.)
/// </summary>
internal sealed class ClusterMemberCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        // Resolved here, not in the constructor: a probe can arrive before the actor system has started.
        var system = services.GetService<ActorSystem>();
        if (system is null || system.WhenTerminated.IsCompleted)
            return Task.FromResult(HealthCheckResult.Unhealthy("the actor system is not running"));
        var status = Cluster.Get(system).SelfMember.Status;
        return Task.FromResult(status == MemberStatus.Up
            ? HealthCheckResult.Healthy("member Up")
            : HealthCheckResult.Unhealthy($"member {status}, not Up"));
    }
}
