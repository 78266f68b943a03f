using System.CommandLine;
using EtlActors.Cli.Commands;
using EtlActors.Client;

namespace EtlActors.Cli.Remote;

/// <summary>The options every command that talks to a running cluster shares.</summary>
internal static class ClusterArguments
{
    public const string EnvironmentVariable = "ETL_CLUSTER";
    public const string ConnectTimeoutVariable = "ETL_CONNECT_TIMEOUT";
    public const string RequestTimeoutVariable = "ETL_REQUEST_TIMEOUT";

    // The client library's 10 s was seen to run out with both cores of a machine busy (a first TLS handshake, both
    // sides JIT-compiling); a refused connection or a misspelt host is still told within seconds.
    private static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(20);

    // The client library's own default. A job's first command on a busy cluster (its supervisor recovering from the
    // journal, the registry granting a slot) has taken longer; ETL_REQUEST_TIMEOUT is for such a machine.
    private static readonly TimeSpan DefaultRequestTimeout = new EtlClientOptions().Timeout;

    public static Option<string[]> Cluster() => new("--cluster")
    {
        Description = $"A node of the cluster as host:port, spelt as the node announces itself (repeatable). Default: {EnvironmentVariable} (comma-separated). {ConnectTimeoutVariable} sets how many seconds to wait for it (default 20), {RequestTimeoutVariable} for an answer (default {DefaultRequestTimeout.TotalSeconds:0}).",
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
        catch (EtlContactMismatchException ex)
        {
            Console.Error.WriteLine($"error: the node at {ex.Contact} answers to {ex.AnswersTo}; use --cluster {ex.AnswersTo}");
            return ExitCodes.Failed;
        }
        catch (EtlClientTimeoutException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message} ({RequestTimeoutVariable} sets how many seconds to wait)");
            return ExitCodes.Failed;
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
        return EtlClient.Connect(new EtlClientOptions
        {
            Contacts = [.. points],
            ConnectTimeout = Seconds(ConnectTimeoutVariable, DefaultConnectTimeout),
            Timeout = Seconds(RequestTimeoutVariable, DefaultRequestTimeout),
        });
    }

    /// <exception cref="ArgumentException">The variable is set but not a number of seconds from 1 to 600.</exception>
    private static TimeSpan Seconds(string variable, TimeSpan byDefault)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text))
            return byDefault;
        if (!int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 600)
            throw new ArgumentException($"{variable}={text} is not a number of seconds from 1 to 600");
        return TimeSpan.FromSeconds(seconds);
    }
}
