using System.Globalization;
using EtlActors.Testing.Processes;

namespace EtlActors.Benchmarks;

/// <summary>
/// `etl run` of the sample Skype export (31 records) into a fresh SQLite file: nearly all of it start-up and shut-down.
/// One warm-up run (the OS's file cache), then <see cref="BenchOptions.Rounds"/> timed runs; issue 17 asks for a
/// median of at most 1 s.
/// </summary>
internal static class StartupRun
{
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(1);
    private const int SampleMessages = 27;

    public static async Task<int> ExecuteAsync(BenchOptions options)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var sample = Path.Combine(Binaries.RepoRoot, "samples", "skype-export.tar");
        Console.WriteLine($"EtlActors start-up benchmark (issue 17): `etl run samples/skype-export.tar` into a fresh SQLite file, 1 warm-up + {options.Rounds} runs");
        Console.WriteLine($"  machine        {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average at start {ProcFs.LoadAverage()}");
        Console.WriteLine($"  etl            dotnet {Binaries.EtlDll} ({BenchBinaries.Form})");

        var walls = new List<double>();
        for (var run = 0; run <= options.Rounds; run++)
        {
            var (wall, cpu) = await RunOnceAsync(sample, options.Timeout);
            if (run == 0)
            {
                Console.WriteLine($"  warm-up        {wall:0.00} s wall, {cpu:0.00} s CPU");
                continue;
            }
            walls.Add(wall);
            Console.WriteLine($"  run {run,-10} {wall:0.00} s wall, {cpu:0.00} s CPU");
        }
        var median = Median(walls);
        var reached = median <= Target.TotalSeconds;
        Console.WriteLine($"  median         {median:0.00} s over {walls.Count} runs; target <= {Target.TotalSeconds:0.0} s: {(reached ? "reached" : "NOT reached")}");
        return options.Check && !reached ? 3 : 0;
    }

    private static async Task<(double Wall, double Cpu)> RunOnceAsync(string sample, TimeSpan timeout)
    {
        var folder = Directory.CreateTempSubdirectory("etl-bench-startup-").FullName;
        try
        {
            var cpuBefore = ProcFs.ReapedChildrenCpuSeconds();
            await using var etl = RunningProcess.StartEtl(folder, null, "run", sample, "--sink", "sqlite:" + Path.Combine(folder, "e.db"));
            var result = await etl.WaitForExitAsync(timeout);
            var wall = (await etl.Exited - etl.StartedAt).TotalSeconds;
            var cpu = ProcFs.ReapedChildrenCpuSeconds() - cpuBefore;
            // A run that failed or loaded something else would time the wrong thing.
            if (result.ExitCode != 0 || !result.Stdout.Contains($"messages       {SampleMessages}", StringComparison.Ordinal))
                throw new BenchFailedException($"etl run of the sample did not load its {SampleMessages} messages\n{result}");
            return (wall, cpu);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
