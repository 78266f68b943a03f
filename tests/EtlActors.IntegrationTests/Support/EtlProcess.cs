using System.Diagnostics;

namespace EtlActors.IntegrationTests.Support;

/// <summary>What a finished `etl` process left: its exit code and everything it printed.</summary>
public sealed record EtlResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs the real `etl` executable (built beside these tests) as a separate process.</summary>
public static class EtlProcess
{
    public static readonly string EtlDll = Path.Combine(AppContext.BaseDirectory, "etl.dll");

    public static async Task<EtlResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(EtlDll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start etl");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"etl {string.Join(' ', args)} did not end within 3 minutes:\n{await stdout}\n{await stderr}");
        }
        return new EtlResult(process.ExitCode, await stdout, await stderr);
    }

    public static Task<EtlResult> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, args);
}
