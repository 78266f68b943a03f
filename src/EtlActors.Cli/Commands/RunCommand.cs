using System.CommandLine;
using EtlActors.Cli.Embedded;
using EtlActors.Cli.Output;
using EtlActors.Cli.Usage;
using EtlActors.Engine;
using EtlActors.Contracts.Jobs;
using EtlActors.Pipeline.Connectors;

namespace EtlActors.Cli.Commands;

/// <summary>`etl run`: one job, in this process, with the engine embedded (one process, no cluster).</summary>
internal static class RunCommand
{
    public static Command Create(SourceConnectors connectors)
    {
        var export = new Argument<string>("export") { Description = "The source: a Skype export (the .tar from Skype, the folder it unpacks to, or its messages.json), a Slack workspace export (its .zip, or the folder it unpacks to), an NDJSON or CSV file with --mapping, an HTTP API's source config (YAML with base_url and resources), or another kind --source names." };
        var source = SourceKinds.Option(connectors);
        var mapping = SourceKinds.MappingOption();
        var sink = new Option<string>("--sink")
        {
            Description = "Where to load: sqlite:<file> or postgresql://user@host:port/database (password from the URL or PGPASSWORD).",
            DefaultValueFactory = _ => RunRequest.DefaultSink,
        };
        var tenant = new Option<string>("--tenant") { Description = "Tenant the rows belong to.", DefaultValueFactory = _ => RunRequest.DefaultTenant };
        var jobId = new Option<string?>("--job-id") { Description = "Job id; the same id resumes the job. Default: derived from source, sink and tenant." };
        var journal = new Option<string?>("--journal")
        {
            Description = "Where job state is kept: sqlite:<file> or a PostgreSQL URL. Default: beside a SQLite sink, or in the PostgreSQL sink's database.",
        };
        var batchSize = WholeNumbers.Option("--batch-size", "Records per load transaction, at least 1 (default 2000).", minimum: 1);
        var checkpointInterval = WholeNumbers.Option("--checkpoint-interval", "Records between persisted checkpoints, at least 1 (default 10000).", minimum: 1);
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log the engine's progress and show stack traces on failure." };

        var command = new Command("run", "Run one job in this process and wait for it to end.")
        {
            export, source, mapping, sink, tenant, jobId, journal, batchSize, checkpointInterval, verbose,
        };
        command.SetAction((result, cancellationToken) =>
        {
            // First, so that it overlaps everything before the engine's first journal write (see StartupWarmup).
            _ = StartupWarmup.Start();
            var console = new ConsoleOutput(result.GetValue(verbose));
            RunRequest request;
            EtlEngineOptions engineOptions;
            try
            {
                request = RunRequest.Create(
                    result.GetValue(export)!,
                    result.GetValue(sink)!,
                    result.GetValue(tenant)!,
                    result.GetValue(jobId),
                    result.GetValue(journal),
                    path => SourceKinds.Resolve(connectors, path, result.GetValue(source), result.GetValue(mapping) is not null),
                    (path, kind) => SourceKinds.LoadMapping(result.GetValue(mapping), path, kind));
                engineOptions = EngineConfiguration.Load(request, result.GetValue(batchSize), result.GetValue(checkpointInterval));
            }
            catch (ArgumentException ex)
            {
                console.Error(ex.Message);
                return Task.FromResult(ExitCodes.BadInput);
            }
            return new EmbeddedRun(request, engineOptions, connectors, console).ExecuteAsync(cancellationToken);
        });
        return command;
    }
}
