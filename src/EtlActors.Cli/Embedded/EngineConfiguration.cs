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
            // The engine of one process has no remoting: nodes' network and TLS settings do not apply, and an
            // appsettings.json written for a node must not make `etl run` ask for its certificates.
            options.SeedNodes.Clear();
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
