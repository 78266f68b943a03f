using EtlActors.Dashboard;
using EtlActors.Engine;
using EtlActors.Engine.Telemetry;
using EtlActors.Pipeline.Load;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace EtlActors.Node.Http;

/// <summary>
/// The node's HTTP port on Kestrel: <c>/metrics</c> (OpenTelemetry's Prometheus exporter), <c>/health/live</c> and
/// <c>/health/ready</c>. These routes are read-only and carry no records or secrets, so they take no credentials,
/// as Prometheus and orchestrators' probes expect. The dashboard (EtlActors.Dashboard) is at <c>/</c> and signs users in.
/// </summary>
internal static class NodeHttp
{
    public const string MetricsPath = "/metrics";
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    private const string ReadyTag = "ready";

    /// <summary>A web application when the port is on, else a plain Generic Host: the rest of the node is the same on either.</summary>
    public static IHostApplicationBuilder CreateBuilder(string[] args, NodeHttpOptions http) => http.Enabled
        // Empty: the node reads its own configuration (NodeConfiguration) and logs through Serilog; the web defaults
        // would add a second appsettings.json (from the working directory) and console logging.
        ? WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = args })
        : Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = args });

    /// <summary>Builds the host, with the HTTP port's server, metrics, health checks and routes when it is on.</summary>
    /// <exception cref="ArgumentException">The port's host name does not resolve, the port is taken, or its certificate cannot be read.</exception>
    public static IHost Build(IHostApplicationBuilder builder, NodeHttpOptions http, EtlEngineOptions engine)
    {
        if (builder is not WebApplicationBuilder web)
            return ((HostApplicationBuilder)builder).Build();

        // Read now, so a wrong name or file stops the node at start with one line (exit 2), not at the first bind.
        var addresses = http.Addresses();
        http.EnsurePortIsFree(addresses);
        var certificate = http.LoadCertificate();
        web.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var address in addresses)
            {
                kestrel.Listen(address, http.Port, listen =>
                {
                    // HTTPS only when a certificate is configured; otherwise plain HTTP (see NodeHttpOptions.CertificatePath).
                    if (certificate is not null)
                        listen.UseHttps(certificate);
                });
            }
        });
        web.Services.AddRoutingCore();
        web.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("etl-node"))
            .WithMetrics(metrics => metrics
                .AddMeter(EtlMeter.Name)
                .AddRuntimeInstrumentation()
                .AddProcessInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddPrometheusExporter());

        // One instance per database for the node's life, so each logs when its database goes away and comes back.
        var journal = new DatabaseCheck("journal", DatabaseAddress.Parse(engine.Journal));
        var sink = new DatabaseCheck("sink", DatabaseAddress.Parse(engine.DefaultSink ?? engine.Journal));
        // A backstop over each check's own limit: a check that ignored its token still could not hold a probe.
        var timeout = DatabaseCheck.Limit + TimeSpan.FromSeconds(1);
        web.Services.AddHealthChecks()
            .Add(new HealthCheckRegistration("cluster", services => new ClusterMemberCheck(services), HealthStatus.Unhealthy, [ReadyTag], timeout))
            .Add(new HealthCheckRegistration(journal.Name, _ => journal, HealthStatus.Unhealthy, [ReadyTag], timeout))
            .Add(new HealthCheckRegistration(sink.Name, _ => sink, HealthStatus.Unhealthy, [ReadyTag], timeout));
        web.Services.AddEtlDashboard(engine);

        var app = web.Build();
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        // Live runs no check: that the process answers is the whole point.
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponse.WriteAsync });
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = HealthResponse.WriteAsync });
        app.MapEtlDashboard(); // at /: the pages ask for an API key, unlike the routes above
        return app;
    }

    /// <summary>The URLs the port listens on once the host has started (the chosen port when it was 0); empty when it is off.</summary>
    public static IReadOnlyList<string> Urls(IHost host) =>
        host.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
}
