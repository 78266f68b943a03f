using System.CommandLine;
using System.Text.Json;
using EtlActors.Cli.Remote;
using EtlActors.Client;
using EtlActors.Contracts.Jobs;
using EtlActors.Engine;
using EtlActors.Pipeline.Connectors;
using EtlActors.Pipeline.Load;

namespace EtlActors.Cli.Commands;

/// <summary>`etl submit`: start (or resume) jobs on a running cluster, one per source, and print their ids.</summary>
internal static class SubmitCommand
{
    public static Command Create(SourceConnectors connectors)
    {
        var exports = new Argument<string[]>("sources")
        {
            Description = "The sources as the nodes see them: paths on the volume every node mounts at the same place (a relative path is made absolute here). "
                + "A folder no connector reads as one source (a Slack export folder, an unpacked Skype export are one) stands for each file and export folder in it: one job each.",
            Arity = ArgumentArity.OneOrMore,
        };
        var sink = new Option<string?>("--sink")
        {
            Description = "Where to load: the name of a sink the cluster defines (Etl:Sinks, e.g. warehouse), or postgresql://user@host:port/database on a host the cluster allows (Etl:SinkHosts; the nodes take the password from PGPASSWORD). Default: the cluster's default sink.",
        };
        var tenant = new Option<string>("--tenant") { Description = "Tenant the rows belong to.", DefaultValueFactory = _ => "default" };
        var jobId = new Option<string?>("--job-id") { Description = "Job id, for one source; the same id resumes the job. Default: derived from source, sink and tenant." };
        var source = SourceKinds.Option(connectors);
        var mapping = SourceKinds.MappingOption();
        var cluster = ClusterArguments.Cluster();
        var json = ClusterArguments.Json();
        var command = new Command("submit", "Submit a job per source to a running cluster and print its id (with several sources: a line per job and a summary).")
        {
            exports, source, mapping, sink, tenant, jobId, cluster, json,
        };
        command.SetAction((result, cancellationToken) => ClusterArguments.RunAsync(async () =>
        {
            var mappingPath = result.GetValue(mapping);
            var paths = SubmitSources.Expand(connectors, result.GetValue(exports)!, mappingPath);
            var given = result.GetValue(jobId);
            if (given is not null && paths.Count > 1)
                throw new ArgumentException($"--job-id names one job, but {paths.Count} sources are given: drop --job-id (each source gets its own id)");
            var request = new SubmitSources.Request(connectors, result.GetValue(source), mappingPath, SinkText(result.GetValue(sink)), TenantIds.Validate(result.GetValue(tenant)));
            if (paths.Count > 1)
                return await SubmitSources.SubmitAllAsync(request, paths, result.GetValue(cluster), result.GetValue(json), cancellationToken);

            WarnIfMissingHere(paths[0]);
            var spec = request.Spec(paths[0]);
            var id = given is not null ? new JobId(given) : JobId.DefaultFor(spec);
            await using var client = ClusterArguments.Connect(result.GetValue(cluster));
            var (accepted, rerun) = await SubmitAsync(client, id, spec, cancellationToken);
            if (result.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(new { id = id.Value, resumedFrom = accepted.ResumedFromOffset, state = accepted.State.ToString() }));
            else
            {
                Console.WriteLine(id.Value);
                if (rerun is not null)
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

    /// <summary>Submits one job; with the acceptance, what the submit does to a job that already ran or runs, in words.</summary>
    internal static async Task<(JobProtocol.JobAccepted Accepted, string? Rerun)> SubmitAsync(EtlClient client, JobId id, JobSpec spec, CancellationToken cancellationToken)
    {
        // The engine answers a fresh start, a resume and a rerun alike: only the state before tells them apart.
        var before = await client.GetAsync(id, cancellationToken);
        var accepted = await client.SubmitAsync(id, spec, cancellationToken);
        return (accepted, Rerun(before));
    }

    /// <summary>One line for a source this process cannot see: a node may (a volume mounted only there), so it still goes.</summary>
    internal static void WarnIfMissingHere(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
            Console.Error.WriteLine($"warning: {path} does not exist here; submitting it anyway, as the nodes may see it (e.g. on a shared volume)");
    }

    private static string? Rerun(JobStatus before) => before switch
    {
        { Exists: false } => null,
        { State: JobState.Completed } => $"job {before.JobId} had completed; loading it again from the start (rows already loaded are updated, not doubled)",
        { IsFinished: false } => $"job {before.JobId} is already {before.State}; this submit changes nothing",
        _ => null,
    };

    private static string SinkText(string? sinkText)
    {
        if (sinkText is null || EtlEngineOptions.IsSinkName(sinkText))
            return sinkText ?? "";
        var address = DatabaseAddress.Parse(sinkText);
        if (HasPassword(sinkText))
            Console.Error.WriteLine("warning: the password in --sink is not sent; the nodes take it from PGPASSWORD");
        return address.Kind == DatabaseKind.Sqlite ? $"sqlite:{address.SqlitePath}" : address.Description;
    }

    private static bool HasPassword(string sink) =>
        Uri.TryCreate(sink, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal);
}
