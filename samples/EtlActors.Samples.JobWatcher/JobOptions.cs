using EtlActors.Contracts.Jobs;

namespace EtlActors.Samples.JobWatcher;

/// <summary>The job to submit, from the <c>Job</c> configuration section.</summary>
public sealed class JobOptions
{
    public const string Section = "Job";

    /// <summary>The source's format; <c>skype</c> is the one the engine reads today.</summary>
    public string Kind { get; set; } = "skype";

    /// <summary>The export, as the nodes see it (a relative path is made absolute here).</summary>
    public string? Source { get; set; }

    /// <summary>Where to load (<c>postgresql://user@host:port/database</c>); empty for the cluster's default sink.</summary>
    public string? Sink { get; set; }

    /// <summary>The tenant the rows belong to.</summary>
    public string Tenant { get; set; } = "default";

    /// <summary>The job's id; empty for the id derived from kind, source, sink and tenant (the same job resumes).</summary>
    public string? Id { get; set; }

    /// <summary>The job this configuration describes.</summary>
    /// <exception cref="ArgumentException">A setting is missing or not valid; the message names it.</exception>
    public (JobId Id, JobSpec Spec) ToJob()
    {
        if (string.IsNullOrWhiteSpace(Source))
            throw new ArgumentException("Job:Source is not set: give the export's path, e.g. --Job:Source /data/sources/export.tar");
        var sink = Sink?.Trim() ?? "";
        // Job specs are persisted and shown; the nodes take the database password from their own configuration.
        if (Uri.TryCreate(sink, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal))
            throw new ArgumentException("Job:Sink holds a password: leave it out, the nodes take it from their configuration (PGPASSWORD)");
        var spec = new JobSpec(Kind, Path.GetFullPath(Source), sink, TenantIds.Validate(Tenant));
        var id = string.IsNullOrWhiteSpace(Id) ? JobId.DefaultFor(spec) : new JobId(Id);
        return (id, spec);
    }
}
