using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using EtlActors.Contracts.Jobs;
using EtlActors.Pipeline.Load;

namespace EtlActors.Cli.Embedded;

/// <summary>
/// An `etl run` request, checked before the engine starts so that a typo gets a one-line answer.
/// The sink keeps no password: one given in the URL moves to PGPASSWORD for this process only,
/// so it is never persisted with the job nor printed.
/// </summary>
internal sealed partial record RunRequest(JobId JobId, JobSpec Spec, string Journal)
{
    public const string DefaultSink = "sqlite:./etl.db";
    public const string DefaultTenant = "default";
    public const string SourceKind = "skype";

    public static RunRequest Create(string export, string sinkText, string tenant, string? jobId, string? journal)
    {
        if (!TenantPattern().IsMatch(tenant))
            throw new ArgumentException($"tenant '{tenant}' is not valid: use 1-64 letters, digits, '.', '_' or '-'");
        if (!File.Exists(export))
            throw new ArgumentException(Directory.Exists(export) ? $"{export}: is a directory, not an export file" : $"{export}: file not found");

        MovePasswordToEnvironment(sinkText);
        var sink = ParseAddress(sinkText, "--sink");
        var sinkText2 = sink.Kind == SinkKind.Sqlite ? $"sqlite:{Path.GetFullPath(sink.SqlitePath!)}" : sink.Description;
        journal ??= sink.Kind == SinkKind.Sqlite
            ? $"sqlite:{Path.ChangeExtension(Path.GetFullPath(sink.SqlitePath!), ".journal.db")}"
            : sinkText2;
        MovePasswordToEnvironment(journal);
        ParseAddress(journal, "--journal");

        var source = Path.GetFullPath(export);
        var spec = new JobSpec(SourceKind, source, sinkText2, tenant);
        return new RunRequest(jobId is null ? DefaultJobId(spec) : new JobId(jobId), spec, RedactPassword(journal));
    }

    /// <summary>Stable for the same source, sink and tenant, so running the same command again resumes the same job.</summary>
    private static JobId DefaultJobId(JobSpec spec)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{spec.SourceKind}|{spec.SourcePath}|{spec.Sink}|{spec.TenantId}"));
        return new JobId($"{spec.SourceKind}-{Convert.ToHexStringLower(hash)[..12]}");
    }

    private static SinkAddress ParseAddress(string text, string option)
    {
        try
        {
            return SinkAddress.Parse(text);
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
        address.StartsWith("postgres", StringComparison.Ordinal) ? SinkAddress.Parse(address).Description : address;

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex TenantPattern();
}
