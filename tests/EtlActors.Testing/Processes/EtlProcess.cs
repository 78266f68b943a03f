namespace EtlActors.Testing.Processes;

/// <summary>Runs a process to completion (by default the `etl` built beside the running code) and returns what it printed.</summary>
public static class EtlProcess
{
    /// <summary>How long a run may take before it is killed and the call fails.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    public static Task<ProcessResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        RunDllAsync(Binaries.EtlDll, workingDirectory, environment, args);

    public static Task<ProcessResult> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, args);

    /// <summary><c>dotnet <paramref name="dll"/> <paramref name="args"/></c> to completion.</summary>
    public static Task<ProcessResult> RunDllAsync(string dll, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        RunProgramAsync("dotnet", [dll, .. args], workingDirectory, environment);

    /// <summary>Any program to completion (e.g. <c>bash cluster/local.sh</c>), killed after <paramref name="timeout"/> (default <see cref="DefaultTimeout"/>).</summary>
    public static async Task<ProcessResult> RunProgramAsync(string program, IReadOnlyList<string> args, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment, TimeSpan? timeout = null)
    {
        using var process = RunningProcess.Start(program, args, workingDirectory, environment);
        return await process.WaitForExitAsync(timeout ?? DefaultTimeout);
    }
}
