using EtlActors.Dashboard.Access;
using EtlActors.Dashboard.Api;
using EtlActors.Dashboard.Live;
using EtlActors.Engine;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace EtlActors.Dashboard;

/// <summary>Adds the dashboard's services to a host that runs the engine (<c>AddEtlEngine</c>).</summary>
public static class EtlDashboardServiceCollectionExtensions
{
    /// <summary>
    /// Adds what <see cref="EtlDashboardEndpointRouteBuilderExtensions.MapEtlDashboard"/> serves from: the access check
    /// (the engine's API keys and roles from <paramref name="options"/>), the job desk on this node's job gate, and the live
    /// feed, which starts with the host. Call after <c>AddEtlEngine</c>, so the actor system is up when the feed starts.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="options">The engine's validated settings: their API keys decide who signs in, their sinks where quarantine is read.</param>
    public static IServiceCollection AddEtlDashboard(this IServiceCollection services, EtlEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Keys of the sign-in cookie: in memory, per node (see the README: sign in on each node, again after a restart).
        // The default provider would write keys unencrypted under the home folder, and warn that it does; a host that
        // configures Data Protection itself (shared keys behind a load balancer) keeps its own.
        services.TryAddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        services.TryAddSingleton(options);
        services.TryAddSingleton<DashboardAccess>();
        services.TryAddSingleton<JobDesk>();
        services.TryAddSingleton<QuarantineReader>();
        services.TryAddSingleton<DashboardFeed>();
        services.AddHostedService<FeedStarter>();
        return services;
    }
}

/// <summary>Starts the feed once the engine's actor system runs, so the charts have history by the time someone looks.</summary>
internal sealed class FeedStarter(IServiceProvider services, DashboardFeed feed) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        feed.Start(services.GetRequiredService<Akka.Actor.ActorSystem>());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
