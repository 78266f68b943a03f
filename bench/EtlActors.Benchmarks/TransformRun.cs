using System.Diagnostics;
using System.Globalization;
using EtlActors.Pipeline.Connectors;
using EtlActors.Pipeline.Connectors.Skype;
using EtlActors.Pipeline.Connectors.Slack;
using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Transform;

namespace EtlActors.Benchmarks;

/// <summary>
/// `--transform`: the connector's normaliser alone, in this process, without actors or a database: the export read
/// once into memory, then normalised in batches of 250 records as a transformer does, several rounds on one thread.
/// It measures the transform stage's CPU and allocation per record, which a whole `etl run` is too noisy to show.
/// </summary>
internal static class TransformRun
{
    private const int BatchSize = 250;

    public static async Task<int> ExecuteAsync(BenchOptions options)
    {
        var folder = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), $"etl-bench-transform-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        try
        {
            var export = GeneratedExport.Write(options.Source, folder, options.Messages, options.Conversations);
            ISourceConnector connector = options.Source == BenchSource.Slack ? new SlackConnector() : new SkypeConnector();
            Console.WriteLine(Invariant($"{GeneratedExport.Describe(options.Source)}, {options.Messages:N0} messages:"));
            await ReadAsync(connector, export.Path, "read (warm-up)", keep: false);
            await ReadAsync(connector, export.Path, "read", keep: false); // the reader's own cost, its code compiled by now
            var records = await ReadAsync(connector, export.Path, "read into memory", keep: true);

            var context = new TransformContext("bench", connector.Kind, "bench-transform", DateTimeOffset.UtcNow);
            var rounds = new List<(double Cpu, long Bytes)>();
            for (var round = 1; round <= options.Rounds + 1; round++) // the first round warms the JIT up and is not counted
            {
                var footprint = Footprint.Start();
                long rows = 0;
                for (var start = 0; start < records.Count; start += BatchSize)
                {
                    var result = new TransformResult();
                    var rowsOfOne = new TransformResult();
                    for (var i = start; i < Math.Min(records.Count, start + BatchSize); i++)
                    {
                        rowsOfOne.Clear();
                        connector.Normalize(records[i], context, rowsOfOne);
                        result.AddRange(rowsOfOne);
                    }
                    rows += result.Messages.Count;
                }
                var (seconds, bytes) = footprint.Stop(records.Count);
                if (round > 1)
                    rounds.Add((seconds, bytes));
                Console.WriteLine(Invariant($"  round {round}{(round == 1 ? " (warm-up)" : "")}: {rows:N0} messages, CPU {seconds:0.000} s, {seconds * 1e6 / records.Count:0.00} µs and {bytes:N0} B allocated per record"));
            }
            var median = rounds.OrderBy(r => r.Cpu).ElementAt(rounds.Count / 2);
            Console.WriteLine(Invariant($"transform median: {median.Cpu * 1e6 / records.Count:0.00} µs CPU and {median.Bytes:N0} B allocated per record ({options.Rounds} rounds)"));
            return 0;
        }
        finally
        {
            if (!options.Keep && options.WorkDirectory is null)
                Directory.Delete(folder, recursive: true);
        }
    }

    // Records kept (for the transform rounds) survive into gen2, which costs the GC more than a pipeline's records
    // that die young, so the reader is timed once without keeping them.
    private static async Task<List<ExtractedRecord>> ReadAsync(ISourceConnector connector, string path, string label, bool keep)
    {
        var records = new List<ExtractedRecord>();
        var count = 0;
        var footprint = Footprint.Start();
        await foreach (var record in connector.ReadAsync(new SourceRead(path, 0), CancellationToken.None))
        {
            count++;
            if (keep)
                records.Add(record);
        }
        var (seconds, bytes) = footprint.Stop(count);
        Console.WriteLine(Invariant($"  {label}: {count:N0} records, CPU {seconds:0.000} s, {seconds * 1e6 / Math.Max(1, count):0.00} µs and {bytes:N0} B allocated per record"));
        return records;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>This process's CPU time and allocated bytes at a start, to measure a stretch of work by.</summary>
    private readonly record struct Footprint(TimeSpan Cpu, long Allocated)
    {
        public static Footprint Start() => new(Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes(precise: true));

        /// <summary>The CPU seconds since the start, and the bytes allocated since then per one of <paramref name="count"/> records.</summary>
        public (double Seconds, long BytesEach) Stop(int count) =>
            ((Process.GetCurrentProcess().TotalProcessorTime - Cpu).TotalSeconds,
             (GC.GetTotalAllocatedBytes(precise: true) - Allocated) / Math.Max(1, count));
    }
}
