using EtlActors.Engine;
using Microsoft.Extensions.Configuration;

namespace EtlActors.Cli.Embedded;

/// <summary>Engine options for an embedded run: the "Etl" section of appsettings.json and ETL_-free environment overrides (Etl__BatchSize=…), then the command's flags.</summary>
internal static class EngineConfiguration
{
    public static EtlEngineOptions Load(RunRequest request, int? batchSize, int? checkpointInterval)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        return EtlEngineOptions.From(configuration, options =>
        {
            options.Journal = request.Journal;
            options.SeedNodes.Clear(); // embedded: a cluster of one
            options.Port = 0;
            // Plaintext is safe here and only here: one process, a cluster of one, bound to loopback, so no byte of
            // remoting leaves the machine and no other process can join (a node on loopback could still be reached
            // by other local users, hence TLS stays on for nodes). Certificates would only stand in a user's way.
            options.Hostname = "127.0.0.1";
            options.PublicHostname = null;
            options.Tls = new EtlTlsOptions { InsecurePlaintext = true };
            options.MaxConcurrentJobsPerTenant = 0; // one job per process: no one to wait for
            options.SourcesRoot = null; // a node's limit: an embedded run reads what its user can anyway
            if (batchSize is { } size)
                options.BatchSize = size;
            if (checkpointInterval is { } interval)
                options.CheckpointInterval = interval;
        });
    }
}
