using EtlActors.Cli;
using EtlActors.Pipeline.Connectors;

return await EtlCommandLine.InvokeAsync(args, SourceConnectors.Builtin());
