using System.Text.RegularExpressions;

namespace EtlActors.Contracts.Jobs;

/// <summary>
/// A job's stable identity. Submitting the same id again resumes that job rather than starting
/// another. Letters, digits, '.', '_' and '-', at most 100 characters (it names actors and rows).
/// </summary>
public sealed partial record JobId
{
    /// <summary>Creates a job id, rejecting characters that could not name an actor or a row safely.</summary>
    /// <exception cref="ArgumentException">The value is empty, too long, or has other characters.</exception>
    public JobId(string value)
    {
        if (!Pattern().IsMatch(value ?? ""))
            throw new ArgumentException($"job id '{value}' is not valid: use 1-100 letters, digits, '.', '_' or '-'", nameof(value));
        Value = value!;
    }

    /// <summary>
    /// The id a job gets when none is given: stable for the same source kind, path, sink, tenant and mapping,
    /// so submitting the same job again resumes it (a changed mapping makes another job: its rows differ).
    /// </summary>
    public static JobId DefaultFor(JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var mapping = spec.Mapping is null ? "" : "|" + spec.Mapping; // jobs without one keep the ids they always had
        var hash = System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes($"{spec.SourceKind}|{spec.SourcePath}|{spec.Sink}|{spec.TenantId}{mapping}"));
        return new JobId($"{spec.SourceKind}-{Convert.ToHexStringLower(hash)[..12]}");
    }

    /// <summary>The id's text.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value;

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex Pattern();
}

/// <summary>A message about one job; the job's id routes it.</summary>
public interface IWithJobId
{
    /// <summary>The job the message is for.</summary>
    JobId JobId { get; }
}
