using System.CommandLine;
using System.CommandLine.Invocation;
using EtlActors.Cli.Commands;
using EtlActors.Cli.Usage;
using EtlActors.Pipeline.Connectors;

namespace EtlActors.Cli;

/// <summary>The `etl` command line, over the source kinds given: a host that adds its own connector runs `etl` with it.</summary>
public static class EtlCommandLine
{
    public static RootCommand Create(SourceConnectors connectors) => new("etl: extract chat exports, normalise them, and load them into PostgreSQL or SQLite.")
    {
        RunCommand.Create(connectors),
        SubmitCommand.Create(connectors),
        JobsCommand.Create(),
        ClusterCommand.Create(),
        SourcesCommand.Create(),
        KeysCommand.Create(),
    };

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static Task<int> InvokeAsync(string[] args, SourceConnectors connectors)
    {
        // `etl run` handles SIGINT/SIGTERM itself (pause and checkpoint, then a second Ctrl+C stops at once),
        // so System.CommandLine must not cancel and time out the command on them.
        var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null };
        var parsed = Create(connectors).Parse(args);
        // Only a parse error's own action: --help and --version still answer a command line with mistakes in it.
        if (parsed.Action is ParseErrorAction)
        {
            UsageErrors.Write(parsed, configuration.Error);
            return Task.FromResult(ExitCodes.BadInput);
        }
        return parsed.InvokeAsync(configuration);
    }
}
