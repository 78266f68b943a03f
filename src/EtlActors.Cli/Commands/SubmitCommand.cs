using System.CommandLine;
using System.Text.Json;
using EtlActors.Cli.Remote;
using EtlActors.Contracts.Jobs;
using EtlActors.Engine;
using EtlActors.Pipeline.Connectors;
using EtlActors.Pipeline.Load;

namespace EtlActors.Cli.Commands;

/// <summary>`etl submit`: start (or resume) a job on a running cluster and print its id.</summary>
internal static class SubmitCommand
{
    public static Command Create(SourceConnectors connectors)
    {
        var export = new Argument<string>("export")
        {
            Description = "The export as the nodes see it: a path on the volume every node mounts at the same place (a relative path is made absolute here).",
        };
        var sink = new Option<string?>("--sink")
        {
            Description = "Where to load: the name of a sink the cluster defines (Etl:Sinks, e.g. warehouse), or postgresql://user@host:port/database on a host the cluster allows (Etl:SinkHosts; the nodes take the password from PGPASSWORD). Default: the cluster's default sink.",
        };
        var tenant = new Option<string>("--tenant") { Description = "Tenant the rows belong to.", DefaultValueFactory = _ => "default" };
        var jobId = new Option<string?>("--job-id") { Description = "Job id; the same id resumes the job. Default: derived from source, sink and tenant." };
        var source = SourceKinds.Option(connectors);
        var mapping = SourceKinds.MappingOption();
        var cluster = ClusterArguments.Cluster();
        var json = ClusterArguments.Json();
        var command = new Command("submit", "Submit a job to a running cluster and print its id.") { export, source, mapping, sink, tenant, jobId, cluster, json };
        command.SetAction((result, cancellationToken) => ClusterArguments.RunAsync(async () =>
        {
            var sinkText = result.GetValue(sink);
            if (sinkText is not null && !EtlEngineOptions.IsSinkName(sinkText))
            {
                var address = DatabaseAddress.Parse(sinkText);
                if (HasPassword(sinkText))
                    Console.Error.WriteLine("warning: the password in --sink is not sent; the nodes take it from PGPASSWORD");
                sinkText = address.Kind == DatabaseKind.Sqlite ? $"sqlite:{address.SqlitePath}" : address.Description;
            }
            var path = Path.GetFullPath(result.GetValue(export)!);
            WarnIfMissingHere(path);
            var mappingPath = result.GetValue(mapping);
            var kind = SourceKinds.Resolve(connectors, path, result.GetValue(source), mappingPath is not null);
            // The mapping's text goes with the job: nodes need no copy of the mapping file.
            var spec = new JobSpec(kind, path, sinkText ?? "", TenantIds.Validate(result.GetValue(tenant)), SourceKinds.LoadMapping(mappingPath, path, kind, variablesHere: false));
            var id = result.GetValue(jobId) is { } given ? new JobId(given) : JobId.DefaultFor(spec);

            await using var client = ClusterArguments.Connect(result.GetValue(cluster));
            // The engine answers a fresh start, a resume and a rerun alike: only the state before tells them apart.
            var before = await client.GetAsync(id, cancellationToken);
            var accepted = await client.SubmitAsync(id, spec, cancellationToken);
            if (result.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(new { id = id.Value, resumedFrom = accepted.ResumedFromOffset, state = accepted.State.ToString() }));
            else
            {
                Console.WriteLine(id.Value);
                if (Rerun(before) is { } rerun)
                    Console.Error.WriteLine(rerun);
                else if (accepted.ResumedFromOffset > 0)
                    Console.Error.WriteLine($"resuming from checkpoint at record {accepted.ResumedFromOffset}");
                if (accepted.State == JobState.Pending)
                    Console.Error.WriteLine($"pending: tenant '{spec.TenantId}' runs as many jobs as the cluster allows; this one starts when one of them ends (etl jobs list --tenant {spec.TenantId})");
            }
            return ExitCodes.Completed;
        }));
        return command;
    }

    /// <summary>One line for a source this process cannot see: a node may (a volume mounted only there), so it still goes.</summary>
    internal static void WarnIfMissingHere(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
            Console.Error.WriteLine($"warning: {path} does not exist here; submitting it anyway, as the nodes may see it (e.g. on a shared volume)");
    }

    /// <summary>What a submit does to a job that already ran or runs, in words; null for a new, paused, failed or cancelled one.</summary>
    internal static string? Rerun(JobStatus before) => before switch
    {
        { Exists: false } => null,
        { State: JobState.Completed } => $"job {before.JobId} had completed; loading it again from the start (rows already loaded are updated, not doubled)",
        { IsFinished: false } => $"job {before.JobId} is already {before.State}; this submit changes nothing",
        _ => null,
    };

    private static bool HasPassword(string sink) =>
        Uri.TryCreate(sink, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal);
}
