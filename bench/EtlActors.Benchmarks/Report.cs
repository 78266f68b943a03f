using EtlActors.Testing;
using EtlActors.Testing.Processes;

namespace EtlActors.Benchmarks;

/// <summary>
/// What the benchmark prints: the machine, one block per size, then the targets. The Skype run has the issue's
/// three targets; the Slack run (<c>--slack</c>) has the memory targets only, its time shown beside the floor.
/// </summary>
internal sealed class Report(BenchOptions options)
{
    // Issue 17's acceptance 1 (it was 1.5 before it).
    private const double MaxRatio = 1.25;
    private const double MaxPeakMb = 300;
    private const double MaxGrowthPercent = 20;

    public void Machine(string folder)
    {
        var memory = ProcFs.MemoryTotalBytes() is { } bytes ? $"{bytes / Gb:0.0} GB" : "unknown";
        Console.WriteLine($"EtlActors benchmark{(options.Source == BenchSource.Slack ? " (--slack)" : "")}: `etl run` into PostgreSQL vs. a binary COPY of the same rows");
        Console.WriteLine($"  machine        {Environment.ProcessorCount} cores, {memory} memory, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Console.WriteLine($"  sizes          {options.Small:N0} then {options.Messages:N0} messages over {options.Conversations} conversations ({GeneratedExport.Describe(options.Source)})");
        Console.WriteLine($"  etl            dotnet {Binaries.EtlDll} run <export> --sink <url> --job-id bench-<size>{(options.BatchSize is { } b ? $" --batch-size {b}" : "")} ({BenchBinaries.Form})");
        Console.WriteLine("  units          MB = 2^20 bytes (as etl's peak memory line), unless said otherwise");
        Console.WriteLine($"  work folder    {folder}{(options.Keep ? " (kept)" : " (deleted at the end)")}");
    }

    public void Server(PostgresServer server, bool cpuVisible)
    {
        Console.WriteLine(server.IsExternal
            ? $"  PostgreSQL     the server from {PostgresServer.EnvironmentVariable} ({server.Host}:{server.Port}); its durability settings are its own"
            : $"  PostgreSQL     throwaway server on {server.Host}:{server.Port}, run with fsync=off, synchronous_commit=off, full_page_writes=off "
              + "(the test fixture's settings) for both the etl run and the floor");
        if (!cpuVisible)
            Console.WriteLine("  (the server's CPU is not visible from here; its figures are left out)");
    }

    public void Size(SizeResult r)
    {
        var etl = r.Etl;
        var seconds = etl.Elapsed.TotalSeconds;
        Console.WriteLine();
        Console.WriteLine($"-- {r.Export.Messages:N0} messages --------------------------------------------");
        Console.WriteLine($"  messages             {r.Export.Messages:N0} in {r.Export.Conversations} conversations (etl loaded {etl.Messages:N0}, quarantined {etl.Quarantined:N0})");
        Console.WriteLine($"  export               {r.Export.Bytes / Mb:0.0} MB = {r.Export.Bytes / 1e6:0} decimal MB ({r.Export.Detail}, generated in {r.Generated.TotalSeconds:0.0} s)");
        Console.WriteLine($"  etl run              {seconds:0.00} s  (wall time of the process, start-up included)");
        Console.WriteLine($"  records/s            {etl.Records / seconds:N0}  ({etl.Records:N0} records)");
        Console.WriteLine($"  floor (COPY)         {r.Floor.Elapsed.TotalSeconds:0.00} s  ({r.Floor.TotalRows:N0} rows in 5 tables, {r.Floor.Bytes / Mb:0} MB binary)");
        Console.WriteLine($"  ratio etl/floor      {r.Ratio:0.00}");
        Console.WriteLine($"  peak RSS             {etl.PeakBytes / Mb:0} MB  (etl's summary {Describe(etl.ReportedPeakBytes)}, sampled VmHWM {Describe(etl.SampledPeakBytes)})");
        var serverCpu = r.EtlServerCpuSeconds is { } s ? $"{s:0.0} s" : "unknown";
        var floorCpu = r.Floor.ServerCpuSeconds is { } f ? $"{f:0.0} s" : "unknown";
        Console.WriteLine($"  CPU                  etl {etl.CpuSeconds:0.0} s ({etl.CpuSeconds / seconds:0.00} cores), PostgreSQL {serverCpu} during the run; PostgreSQL {floorCpu} during the floor");
        if (r.EtlServerCpuSeconds is { } server)
            Console.WriteLine($"  CPU bound            {CpuBound(etl.CpuSeconds + server, r.Floor.Elapsed.TotalSeconds, hasRatioTarget: options.Source != BenchSource.Slack)}");
        Console.WriteLine($"  rows                 {string.Join(", ", r.Floor.Rows.Select(p => $"{p.Key} {p.Value:N0}"))}");
        if (etl.Messages != r.Export.Messages || r.Floor.Rows["messages"] != r.Export.Messages)
            Console.WriteLine($"  WARNING              the export has {r.Export.Messages:N0} messages but etl reported {etl.Messages:N0} and etl.messages holds {r.Floor.Rows["messages"]:N0}");
        Console.WriteLine("  etl's summary:");
        foreach (var line in etl.Summary)
            Console.WriteLine($"    | {line}");
    }

    /// <summary>Prints each target and whether it was reached; true when all were.</summary>
    public bool Targets(SizeResult small, SizeResult large)
    {
        var smallMb = small.Etl.PeakBytes / Mb;
        var largeMb = large.Etl.PeakBytes / Mb;
        var growth = (largeMb - smallMb) / smallMb * 100;
        Console.WriteLine();
        Console.WriteLine("== Summary ===========================================================");
        Console.WriteLine($"  etl run / floor      {Times(small)} at {small.Export.Messages:N0}, {Times(large)} at {large.Export.Messages:N0}");
        Console.WriteLine($"  ratio etl/floor      {small.Ratio:0.00} at {small.Export.Messages:N0}, {large.Ratio:0.00} at {large.Export.Messages:N0}");
        Console.WriteLine($"  peak RSS             {smallMb:0} MB at {small.Export.Messages:N0}, {largeMb:0} MB at {large.Export.Messages:N0}");
        Console.WriteLine($"  RSS growth           {growth:+0.0;-0.0;0.0}% from {small.Export.Messages:N0} to {large.Export.Messages:N0} messages");
        Console.WriteLine("Targets:");
        var results = options.Source == BenchSource.Slack
            ? new[]
            {
                Target($"peak RSS <= {MaxPeakMb} MB at {large.Export.Messages:N0} messages", $"{largeMb:0} MB", largeMb <= MaxPeakMb),
                Target($"peak RSS within {MaxGrowthPercent}% of the {small.Export.Messages:N0} figure", $"{Math.Abs(growth):0.0}%", Math.Abs(growth) <= MaxGrowthPercent),
            }
            : new[]
            {
                Target($"ratio etl/floor <= {MaxRatio} at {large.Export.Messages:N0} messages", $"{large.Ratio:0.00}", large.Ratio <= MaxRatio),
                Target($"peak RSS <= {MaxPeakMb} MB at both sizes", $"{Math.Max(smallMb, largeMb):0} MB", Math.Max(smallMb, largeMb) <= MaxPeakMb),
                Target($"peak RSS within {MaxGrowthPercent}% between sizes", $"{Math.Abs(growth):0.0}%", Math.Abs(growth) <= MaxGrowthPercent),
            };
        if (options.Source == BenchSource.Slack)
            Console.WriteLine($"  (no time target for Slack: etl run {large.Etl.Elapsed.TotalSeconds:0.00} s beside the floor's {large.Floor.Elapsed.TotalSeconds:0.00} s at {large.Export.Messages:N0})");
        return results.All(r => r);
    }

    // etl and the server share this machine's cores, so their CPU together bounds the run's wall time from below however
    // well the work overlaps: the ratio target is out of reach while that bound is above it (bench/README.md, "The CPU bound").
    private static string CpuBound(double cpuSeconds, double floorSeconds, bool hasRatioTarget)
    {
        var cores = Environment.ProcessorCount;
        var fastest = cpuSeconds / cores;
        var bound = $"etl + PostgreSQL {cpuSeconds:0.0} s of CPU on {cores} cores: no faster than {fastest:0.00} s ({fastest / floorSeconds:0.00}× the floor)";
        // The Slack run has no ratio target (Targets), so it gets no allowance either.
        return hasRatioTarget ? $"{bound}; {MaxRatio}× the floor allows at most {MaxRatio * floorSeconds * cores:0.0} s of CPU" : bound;
    }

    private static string Times(SizeResult r) => $"{r.Etl.Elapsed.TotalSeconds:0.00} s / {r.Floor.Elapsed.TotalSeconds:0.00} s";

    private static bool Target(string what, string value, bool reached)
    {
        Console.WriteLine($"  {what,-50} {value,-10} {(reached ? "reached" : "NOT reached")}");
        return reached;
    }

    private static string Describe(long? bytes) => bytes is { } b ? $"{b / Mb:0} MB" : "unknown";

    private const double Mb = 1024.0 * 1024.0;
    private const double Gb = Mb * 1024.0;
}
