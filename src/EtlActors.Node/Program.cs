using Akka.Cluster;
using Akka.Hosting;
using EtlActors.Engine;
using EtlActors.Node;
using EtlActors.Node.Http;
using EtlActors.Pipeline.Load;
using EtlActors.Pipeline.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;

// A cluster node: the engine as a Generic Host service. SIGTERM stops the host, whose Akka service
// runs CoordinatedShutdown: the node hands its shards (and jobs, at their checkpoints) over and
// leaves the cluster before the process exits. Its HTTP port (NodeHttp) serves /metrics and /health/*.
// Before the configuration: it would read a bare --version as a setting.
if (args is ["--version"])
{
    Console.WriteLine(EtlVersion.Current);
    return 0;
}

try
{
    var configuration = NodeConfiguration.Build(args);
    var options = NodeConfiguration.EngineOptions(configuration);
    var http = NodeHttpOptions.From(configuration, options);
    var logging = NodeLogging.Start(configuration, options);

    var builder = NodeHttp.CreateBuilder(args, http);
    builder.Configuration.AddConfiguration(configuration);
    builder.Services.AddSerilog();
    builder.Services.AddSingleton<ILogLevelSwitch>(logging); // for `etl cluster log-level`
    // Leaving the cluster hands jobs over; give it longer than the host's default.
    builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
    builder.Services.AddEtlEngine(options, Akka.Event.LogLevel.InfoLevel, configure: akka => akka.AddStartup((system, _) =>
        {
            var cluster = Cluster.Get(system);
            var log = Log.ForContext("SourceContext", "etl-node");
            // Scripts and tests wait for this line.
            cluster.RegisterOnMemberUp(() => log.Information("cluster member up: {Address:l} (roles: {Roles:l})", cluster.SelfAddress.ToString(), string.Join(",", cluster.SelfRoles)));
            cluster.RegisterOnMemberRemoved(() => log.Information("left the cluster: {Address:l}", cluster.SelfAddress.ToString()));
        }));
    using var host = NodeHttp.Build(builder, http, options);
    // The version first after the address: operators watching a rolling upgrade grep for it.
    Log.Information("etl-node starting on {Host:l}:{Port}, version {Version:l}{Announced:l}, journal {Journal:l}", options.PublicHostname ?? options.Hostname, options.Port,
        EtlVersion.Current, options.AnnouncedVersion == EtlVersion.Current ? "" : $" (announced to the cluster as {options.AnnouncedVersion})",
        DatabaseAddress.Parse(options.Journal).Description);
    if (options.Tls.InsecurePlaintext)
        Log.Warning("Etl:Tls:InsecurePlaintext is set: remoting is plaintext and unauthenticated, so anyone who reaches port {Port} can join the cluster and drive it", options.Port);
    else
        Log.Information("mutual TLS: nodes and clients must present a certificate issued by the CA in {Ca:l}", options.Tls.CaCertificatePath);
    if (options.Security.InsecureAnonymousAccess)
        Log.Warning("Etl:Security:InsecureAnonymousAccess is set: a client's command needs no API key and counts as an admin of every tenant");
    else if (options.Security.ApiKeys.Count == 0)
        Log.Warning("no Etl:Security:ApiKeys: every client's command will be refused; issue a key with `etl keys new` and configure its hash");
    else
        Log.Information("API keys: {Count} principal(s) ({Principals:l}); commands are authorised by role and tenant", options.Security.ApiKeys.Count,
            string.Join(", ", options.Security.ApiKeys.Select(k => $"{k.Principal} ({k.Role.ToLowerInvariant()})")));
    if (options.SinkHosts.Count > 0 || options.Sinks.Count > 0)
        Log.Information("clients may load into the default sink, named sinks ({Sinks:l}) and PostgreSQL on {Hosts:l}",
            options.Sinks.Count == 0 ? "none" : string.Join(", ", options.Sinks.Keys.Order(StringComparer.Ordinal)),
            options.SinkHosts.Count == 0 ? "no other host" : string.Join(", ", options.SinkHosts));
    if (string.IsNullOrWhiteSpace(options.SourcesRoot))
        Log.Warning("no Etl:SourcesRoot: jobs may read any file this process can; on a shared network set it to the sources volume");
    else
        Log.Information("sources are read only under {SourcesRoot:l}", SourceRoot.Under(options.SourcesRoot).Root);
    if (http.Enabled)
    {
        // Once Kestrel listens. Scripts and tests wait for this line; with Etl:Http:Port=0 it is the only place the port is told.
        host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() =>
            Log.Information("metrics and health on {Urls:l}", string.Join(", ", NodeHttp.Urls(host))));
    }
    else
        Log.Information("no HTTP port (Etl:Http:Enabled=false): no /metrics and no health routes");
    await host.RunAsync();
    return 0;
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}
catch (Exception ex)
{
    Log.Fatal(ex, "etl-node stopped");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}
