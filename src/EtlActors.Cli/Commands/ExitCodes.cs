namespace EtlActors.Cli.Commands;

internal static class ExitCodes
{
    public const int Completed = 0;
    public const int Failed = 1;
    /// <summary>The command could not start: bad arguments, a missing file, an unreachable database.</summary>
    public const int BadInput = 2;
    /// <summary>The job was paused (by Ctrl+C in `etl run`, or while `etl jobs watch` followed it).</summary>
    public const int Interrupted = 3;
    public const int Cancelled = 4;

    /// <summary>How a job's final state ends a command that waited for it.</summary>
    public static int For(Contracts.Jobs.JobState state) => state switch
    {
        Contracts.Jobs.JobState.Completed => Completed,
        Contracts.Jobs.JobState.Paused => Interrupted,
        Contracts.Jobs.JobState.Cancelled => Cancelled,
        _ => Failed,
    };
}
