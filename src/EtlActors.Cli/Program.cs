using System.CommandLine;
using EtlActors.Cli.Commands;

var root = new RootCommand("etl: extract chat exports, normalise them, and load them into PostgreSQL or SQLite.")
{
    RunCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
