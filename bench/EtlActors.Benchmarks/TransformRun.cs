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
            var records = new List<ExtractedRecord>();
            var clock = Stopwatch.StartNew();
            await foreach (var record in connector.ReadAsync(new SourceRead(export.Path, 0), CancellationToken.None))
                records.Add(record);
            Console.WriteLine(Invariant($"{GeneratedExport.Describe(options.Source)}: {records.Count:N0} records read in {clock.Elapsed.TotalSeconds:0.00} s"));

            var context = new TransformContext("bench", connector.Kind, "bench-transform", DateTimeOffset.UtcNow);
            var rounds = new List<(double Cpu, long Bytes)>();
            for (var round = 1; round <= options.Rounds + 1; round++) // the first round warms the JIT up and is not counted
            {
                var allocated = GC.GetTotalAllocatedBytes(precise: true);
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
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
                var seconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                var bytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / records.Count;
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

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
