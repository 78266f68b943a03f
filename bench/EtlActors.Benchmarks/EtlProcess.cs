using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EtlActors.Benchmarks;

/// <summary>
/// The real `etl run` as a child process (`dotnet etl.dll`, built beside this harness), timed from
/// start to exit, with its peak RSS sampled from /proc every 100 ms while it runs.
/// </summary>
internal static partial class EtlProcess
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(15);

    public static string EtlDll => Path.Combine(AppContext.BaseDirectory, "etl.dll");

    public static async Task<EtlRun> RunAsync(string export, string sinkUrl, string jobId, int? batchSize, TimeSpan timeout, string workDirectory,
        IReadOnlyList<string>? extraArgs = null)
    {
        if (!File.Exists(EtlDll))
            throw new BenchFailedException($"{EtlDll} is missing: build the harness (it references EtlActors.Cli) in Release first");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDirectory,
        };
        foreach (var arg in (string[])[EtlDll, "run", export, "--sink", sinkUrl, "--job-id", jobId])
            info.ArgumentList.Add(arg);
        if (batchSize is { } size)
        {
            info.ArgumentList.Add("--batch-size");
            info.ArgumentList.Add(size.ToString(CultureInfo.InvariantCulture));
        }
        foreach (var arg in extraArgs ?? [])
            info.ArgumentList.Add(arg);

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var lastProgress = "";
        var cpuBefore = ProcFs.ReapedChildrenCpuSeconds();
        using var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var clock = new Stopwatch();
        var exited = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Stopped by the exit itself, not by the next sample, so the time is the process's own.
        process.Exited += (_, _) => exited.TrySetResult(clock.Elapsed);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (stdout)
                stdout.AppendLine(e.Data);
            if (e.Data.StartsWith("progress:", StringComparison.Ordinal))
                lastProgress = e.Data;
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (stderr)
                    stderr.AppendLine(e.Data);
        };
        clock.Start();
        if (!process.Start())
            throw new BenchFailedException("could not start dotnet");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var sampled = await SampleUntilExitAsync(process, exited.Task, clock, timeout, () => lastProgress);
        var timedOut = !exited.Task.IsCompleted;
        if (timedOut)
            process.Kill(entireProcessTree: true); // a job stuck in its retry loop would otherwise hold the run forever
        var elapsed = await exited.Task;
        await process.WaitForExitAsync(); // drains the redirected streams
        // The child is reaped now, so all of its CPU shows in ours.
        var cpu = ProcFs.ReapedChildrenCpuSeconds() - cpuBefore;

        var output = stdout.ToString();
        if (timedOut || process.ExitCode != 0)
        {
            var how = timedOut ? $"was stopped at the {timeout.TotalSeconds:0}-second timeout" : $"exited with code {process.ExitCode}";
            throw new BenchFailedException(
                $"etl {how} after {elapsed.TotalSeconds:0.0} s\n--- etl stdout ---\n{output.TrimEnd()}\n--- etl stderr ---\n{stderr.ToString().TrimEnd()}");
        }
        return new EtlRun(
            elapsed,
            Number(output, SummaryRecords()) ?? throw Unreadable("records", output),
            Number(output, SummaryMessages()) ?? throw Unreadable("messages", output),
            Number(output, SummaryQuarantined()) ?? 0,
            Number(output, SummaryPeakMemory()) is { } mb ? mb * 1024 * 1024 : null,
            sampled,
            cpu,
            SummaryLines(output));
    }

    private static async Task<long?> SampleUntilExitAsync(Process process, Task exited, Stopwatch clock, TimeSpan timeout, Func<string> lastProgress)
    {
        long? peak = null;
        var nextReport = ReportEvery;
        while (!exited.IsCompleted && clock.Elapsed < timeout)
        {
            if (ProcFs.PeakResidentBytes(process.Id) is { } bytes)
                peak = Math.Max(peak ?? 0, bytes);
            if (clock.Elapsed >= nextReport)
            {
                nextReport += ReportEvery;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    … {clock.Elapsed.TotalSeconds:0} s, peak RSS so far {peak / (1024 * 1024)} MB; etl {lastProgress()}"));
            }
            await Task.WhenAny(exited, Task.Delay(SampleEvery));
        }
        return peak;
    }

    private static long? Number(string output, Regex pattern)
    {
        var match = pattern.Match(output);
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static BenchFailedException Unreadable(string what, string output) =>
        new($"etl succeeded but its summary has no '{what}' line:\n{output.TrimEnd()}");

    // The summary: everything from "Job … completed" on, without the progress lines before it.
    private static string[] SummaryLines(string output) =>
        [.. output.Split('\n').Select(l => l.TrimEnd('\r')).SkipWhile(l => !l.StartsWith("Job ", StringComparison.Ordinal) || !l.Contains(" completed", StringComparison.Ordinal))
            .Where(l => l.Length > 0)];

    [GeneratedRegex(@"^\s+records\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex SummaryRecords();

    [GeneratedRegex(@"^\s+messages\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex SummaryMessages();

    [GeneratedRegex(@"^\s+quarantined\s+(\d+)", RegexOptions.Multiline)]
    private static partial Regex SummaryQuarantined();

    [GeneratedRegex(@"^\s+peak memory\s+(\d+) MB", RegexOptions.Multiline)]
    private static partial Regex SummaryPeakMemory();
}

/// <summary>
/// One `etl run`: wall time of the process, its summary's counts, peak RSS as it reported it and as
/// sampled, and its CPU seconds (all threads).
/// </summary>
internal sealed record EtlRun(
    TimeSpan Elapsed,
    long Records,
    long Messages,
    long Quarantined,
    long? ReportedPeakBytes,
    long? SampledPeakBytes,
    double CpuSeconds,
    string[] Summary)
{
    public long PeakBytes => Math.Max(ReportedPeakBytes ?? 0, SampledPeakBytes ?? 0);
}
