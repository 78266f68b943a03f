using System.CommandLine;
using EtlActors.Cli.Commands;
using EtlActors.Client;

namespace EtlActors.Cli.Remote;

/// <summary>The options every command that talks to a running cluster shares.</summary>
internal static class ClusterArguments
{
    public const string EnvironmentVariable = "ETL_CLUSTER";

    public static Option<string[]> Cluster() => new("--cluster")
    {
        Description = $"A node of the cluster as host:port (repeatable). Default: {EnvironmentVariable} (comma-separated).",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON for scripts instead of text." };

    /// <summary>
    /// Runs a command against the cluster, turning what a user can fix into one `error:` line: bad
    /// arguments exit 2, a cluster that does not answer exits 1.
    /// </summary>
    public static async Task<int> RunAsync(Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or EtlClientException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return ex is EtlClientException ? ExitCodes.Failed : ExitCodes.BadInput;
        }
    }

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
