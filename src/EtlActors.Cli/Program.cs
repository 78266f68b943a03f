using System.CommandLine;
using EtlActors.Cli.Commands;

var root = new RootCommand("etl: extract chat exports, normalise them, and load them into PostgreSQL or SQLite.")
{
    RunCommand.Create(),
    SubmitCommand.Create(),
    JobsCommand.Create(),
    ClusterCommand.Create(),
};
// `etl run` handles SIGINT/SIGTERM itself (pause and checkpoint, then a second Ctrl+C stops at once),
// so System.CommandLine must not cancel and time out the command on them.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
