using EtlActors.Contracts.Jobs;
using EtlActors.Pipeline.Load;

namespace EtlActors.Cli.Embedded;

/// <summary>
/// An `etl run` request, checked before the engine starts so that a typo gets a one-line answer.
/// The sink keeps no password: one given in the URL moves to PGPASSWORD for this process only,
/// so it is never persisted with the job nor printed.
/// </summary>
internal sealed record RunRequest(JobId JobId, JobSpec Spec, string Journal)
{
    public const string DefaultSink = "sqlite:./etl.db";
    public const string DefaultTenant = "default";
    /// <param name="sourceKindOf">The connector kind of the export at a full path (given or detected).</param>
    /// <param name="mappingOf">The checked mapping text for the export at a full path and its kind, or null (none needed).</param>
    public static RunRequest Create(string export, string sinkText, string tenant, string? jobId, string? journal, Func<string, string> sourceKindOf,
        Func<string, string, string?>? mappingOf = null)
    {
        TenantIds.Validate(tenant);
        if (!File.Exists(export) && !Directory.Exists(export))
            throw new ArgumentException($"{export}: file not found");

        MovePasswordToEnvironment(sinkText);
        var sink = ParseAddress(sinkText, "--sink");
        var sinkText2 = sink.Kind == DatabaseKind.Sqlite ? $"sqlite:{Path.GetFullPath(sink.SqlitePath!)}" : sink.Description;
        journal ??= sink.Kind == DatabaseKind.Sqlite
            ? $"sqlite:{Path.ChangeExtension(Path.GetFullPath(sink.SqlitePath!), ".journal.db")}"
            : sinkText2;
        MovePasswordToEnvironment(journal);
        ParseAddress(journal, "--journal");

        var source = Path.GetFullPath(export);
        var kind = sourceKindOf(source);
        var spec = new JobSpec(kind, source, sinkText2, tenant, mappingOf?.Invoke(source, kind));
        return new RunRequest(jobId is null ? JobId.DefaultFor(spec) : new JobId(jobId), spec, RedactPassword(journal));
    }

    private static DatabaseAddress ParseAddress(string text, string option)
    {
        try
        {
            return DatabaseAddress.Parse(text);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new ArgumentException($"{option}: {ex.Message}", ex);
        }
    }

    private static void MovePasswordToEnvironment(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || !uri.Scheme.StartsWith("postgres", StringComparison.Ordinal))
            return;
        var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
            Environment.SetEnvironmentVariable("PGPASSWORD", Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]));
    }

    private static string RedactPassword(string address) =>
        address.StartsWith("postgres", StringComparison.Ordinal) ? DatabaseAddress.Parse(address).Description : address;
}
