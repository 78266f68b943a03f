namespace EtlActors.Cli.Commands;

internal static class ExitCodes
{
    public const int Completed = 0;
    public const int Failed = 1;
    /// <summary>The command could not start: bad arguments, a missing file, an unreachable database.</summary>
    public const int BadInput = 2;
    public const int Interrupted = 3;
}
