using System.Text.Json;
using EtlActors.Cli.Remote;
using EtlActors.Client;
using EtlActors.Contracts.Jobs;
using EtlActors.Pipeline.Connectors;

namespace EtlActors.Cli.Commands;

/// <summary>`etl submit` of several sources: one connection, a job each, a line each and a summary.</summary>
internal static class SubmitSources
{
    /// <summary>What every source of one `etl submit` shares.</summary>
    public sealed record Request(SourceConnectors Connectors, string? Kind, string? MappingPath, string Sink, string TenantId)
    {
        /// <exception cref="ArgumentException">The kind is unknown, or the mapping is missing, bad or not for this kind.</exception>
        public JobSpec Spec(string path)
        {
            var kind = SourceKinds.Resolve(Connectors, path, Kind, MappingPath is not null);
            // The mapping's text goes with the job: nodes need no copy of the mapping file.
            return new JobSpec(kind, path, Sink, TenantId, SourceKinds.LoadMapping(MappingPath, path, kind, variablesHere: false));
        }
    }

    /// <summary>
    /// The absolute paths <paramref name="given"/> stands for: a folder no connector reads as one source stands for the
    /// files (hidden ones and the mapping aside) and the export folders in it, in name order.
    /// </summary>
    /// <exception cref="ArgumentException">Such a folder holds no source.</exception>
    public static IReadOnlyList<string> Expand(SourceConnectors connectors, IEnumerable<string> given, string? mappingPath)
    {
        var mapping = mappingPath is null ? null : Path.GetFullPath(mappingPath);
        var paths = new List<string>();
        foreach (var path in given.Select(Path.GetFullPath))
        {
            if (!Directory.Exists(path) || IsOneSource(connectors, path))
            {
                paths.Add(path);
                continue;
            }
            var inside = new DirectoryInfo(path).EnumerateFileSystemInfos()
                .Where(e => !e.Name.StartsWith('.') && e.FullName != mapping && (e is FileInfo || IsOneSource(connectors, e.FullName)))
                .Select(e => e.FullName).Order(StringComparer.Ordinal).ToList();
            if (inside.Count == 0)
                throw new ArgumentException($"{path}: no source in this folder (a file, or a Slack or unpacked Skype export folder)");
            paths.AddRange(inside);
        }
        return [.. paths.Distinct(StringComparer.Ordinal)];
    }

    private static bool IsOneSource(SourceConnectors connectors, string folder)
    {
        try
        {
            connectors.Detect(folder);
            return true;
        }
        catch (UnknownSourceKindException)
        {
            return false;
        }
    }

    /// <summary>Submits a job per path; exit code 1 when any was refused, here (a bad source) or by the cluster.</summary>
    public static async Task<int> SubmitAllAsync(Request request, IReadOnlyList<string> paths, string[]? contacts, bool json, CancellationToken cancellationToken)
    {
        foreach (var path in paths)
            SubmitCommand.WarnIfMissingHere(path);
        var outcomes = new List<Outcome>();
        await using var client = ClusterArguments.Connect(contacts);
        foreach (var path in paths)
        {
            Outcome outcome;
            try
            {
                var spec = request.Spec(path);
                var id = JobId.DefaultFor(spec);
                var (accepted, rerun) = await SubmitCommand.SubmitAsync(client, id, spec, cancellationToken);
                outcome = new Outcome(path, id.Value, accepted.State.ToString(), accepted.ResumedFromOffset, rerun?.Replace($"job {id} ", "", StringComparison.Ordinal), null);
            }
            catch (Exception ex) when (ex is ArgumentException or EtlJobRejectedException or EtlNotAllowedException)
            {
                // Refused, not unreachable: the other sources still go. A lost cluster ends the command (its error line).
                outcome = new Outcome(path, (ex as EtlJobRejectedException)?.Rejection.JobId.Value, "Refused", 0, null, ex.Message);
            }
            outcomes.Add(outcome);
            if (!json)
                Console.WriteLine(outcome.Line);
        }
        var refused = outcomes.Count(o => o.Error is not null);
        if (json)
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                jobs = outcomes.Select(o => new { id = o.Id, source = o.Path, state = o.State, resumedFrom = o.ResumedFrom, note = o.Note, error = o.Error }),
                submitted = outcomes.Count - refused,
                refused,
            }));
        else
            Console.WriteLine($"{outcomes.Count} sources: {outcomes.Count - refused} submitted, {refused} refused");
        return refused == 0 ? ExitCodes.Completed : ExitCodes.Failed;
    }

    private sealed record Outcome(string Path, string? Id, string State, long ResumedFrom, string? Note, string? Error)
    {
        // An id is a kind and 12 hex digits; a longer kind's id only pushes its line's tail along.
        public string Line => $"{Id ?? "-",-18}  {State,-8}  {Path}{Tail}";

        private string Tail => Error is not null ? $": {Error}"
            : Note is not null ? $" ({Note})"
            : ResumedFrom > 0 ? $" (resuming from record {ResumedFrom})" : "";
    }
}
