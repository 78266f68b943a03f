using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using EtlActors.Testing.Processes;

namespace EtlActors.Benchmarks;

/// <summary>
/// The real `etl run` as a child process (`dotnet etl.dll`, built with this harness), timed from
/// start to exit, with its peak RSS sampled from /proc every 100 ms while it runs.
/// </summary>
internal static partial class MeasuredEtl
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(15);

    public static async Task<EtlRun> RunAsync(string export, string sinkUrl, string jobId, int? batchSize, TimeSpan timeout, string workDirectory,
        IReadOnlyList<string>? extraArgs = null)
    {
        if (!File.Exists(Binaries.EtlDll))
            throw new BenchFailedException($"{Binaries.EtlDll} is missing: build the harness (it references EtlActors.Cli) in Release first");
        List<string> args = ["run", export, "--sink", sinkUrl, "--job-id", jobId];
        if (batchSize is { } size)
            args.AddRange(["--batch-size", size.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(extraArgs ?? []);

        var cpuBefore = ProcFs.ReapedChildrenCpuSeconds();
        await using var etl = RunningProcess.StartDll(Binaries.EtlDll, workDirectory, null, [.. args]);
        var sampled = await SampleUntilExitAsync(etl, timeout);
        var timedOut = !etl.Exited.IsCompleted;
        if (timedOut)
            etl.Kill(entireProcessTree: true); // a job stuck in its retry loop would otherwise hold the run forever
        // The exit's own time, taken when it happened, not at the next sample.
        var elapsed = await etl.Exited - etl.StartedAt;
        var result = await etl.WaitForExitAsync(Timeout.InfiniteTimeSpan); // drains the output
        // The child is reaped now, so all of its CPU shows in ours.
        var cpu = ProcFs.ReapedChildrenCpuSeconds() - cpuBefore;

        var output = result.Stdout;
        if (timedOut || result.ExitCode != 0)
        {
            var how = timedOut ? $"was stopped at the {timeout.TotalSeconds:0}-second timeout" : $"exited with code {result.ExitCode}";
            throw new BenchFailedException(
                $"etl {how} after {elapsed.TotalSeconds:0.0} s\n--- etl stdout ---\n{output.TrimEnd()}\n--- etl stderr ---\n{result.Stderr.TrimEnd()}");
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

    private static async Task<long?> SampleUntilExitAsync(RunningProcess etl, TimeSpan timeout)
    {
        long? peak = null;
        var nextReport = ReportEvery;
        var clock = Stopwatch.StartNew();
        while (!etl.Exited.IsCompleted && clock.Elapsed < timeout)
        {
            if (ProcFs.PeakResidentBytes(etl.Pid) is { } bytes)
                peak = Math.Max(peak ?? 0, bytes);
            if (clock.Elapsed >= nextReport)
            {
                nextReport += ReportEvery;
                var progress = etl.LastLine(l => l.StartsWith("progress:", StringComparison.Ordinal)) ?? "";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    … {clock.Elapsed.TotalSeconds:0} s, peak RSS so far {peak / (1024 * 1024)} MB; etl {progress}"));
            }
            await Task.WhenAny(etl.Exited, Task.Delay(SampleEvery));
        }
        return peak;
    }

    private static long? Number(string output, Regex pattern)
    {
        var match = pattern.Match(output);
        // etl prints counts as 12,345 (ConsoleOutput).
        return match.Success ? long.Parse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) : null;
    }

    private static BenchFailedException Unreadable(string what, string output) =>
        new($"etl succeeded but its summary has no '{what}' line:\n{output.TrimEnd()}");

    // The summary: everything from "Job … completed" on, without the progress lines before it.
    private static string[] SummaryLines(string output) =>
        [.. output.Split('\n').Select(l => l.TrimEnd('\r')).SkipWhile(l => !l.StartsWith("Job ", StringComparison.Ordinal) || !l.Contains(" completed", StringComparison.Ordinal))
            .Where(l => l.Length > 0)];

    [GeneratedRegex(@"^\s+records\s+(\d[\d,]*)", RegexOptions.Multiline)]
    private static partial Regex SummaryRecords();

    [GeneratedRegex(@"^\s+messages\s+(\d[\d,]*)", RegexOptions.Multiline)]
    private static partial Regex SummaryMessages();

    [GeneratedRegex(@"^\s+quarantined\s+(\d[\d,]*)", RegexOptions.Multiline)]
    private static partial Regex SummaryQuarantined();

    [GeneratedRegex(@"^\s+peak memory\s+(\d[\d,]*) MB", RegexOptions.Multiline)]
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
