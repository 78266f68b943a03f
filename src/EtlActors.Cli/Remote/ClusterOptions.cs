using System.CommandLine;
using EtlActors.Client;

namespace EtlActors.Cli.Remote;

/// <summary>The options every command that talks to a running cluster shares.</summary>
internal static class ClusterOptions
{
    public const string EnvironmentVariable = "ETL_CLUSTER";

    public static Option<string[]> Cluster() => new("--cluster")
    {
        Description = $"A node of the cluster as host:port (repeatable). Default: {EnvironmentVariable} (comma-separated).",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON for scripts instead of text." };

    /// <exception cref="ArgumentException">No contact point is given, or one is not host:port.</exception>
    public static EtlClient Connect(string[]? contacts)
    {
        var points = contacts is { Length: > 0 }
            ? contacts
            : (Environment.GetEnvironmentVariable(EnvironmentVariable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (points.Length == 0)
            throw new ArgumentException($"no cluster given: use --cluster host:port or set {EnvironmentVariable}");
        return EtlClient.Connect(new EtlClientOptions { Contacts = [.. points] });
    }
}
