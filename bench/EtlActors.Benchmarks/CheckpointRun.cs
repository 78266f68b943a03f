using System.Globalization;
using EtlActors.Testing;

namespace EtlActors.Benchmarks;

/// <summary>
/// What checkpointing costs: the same export into PostgreSQL with a checkpoint every 10,000 records,
/// and with checkpoints effectively off (one at the end), alternated so drift on a shared machine
/// falls on both sides alike.
/// </summary>
internal sealed class CheckpointRun(BenchOptions options)
{
    private const int Rounds = 2;
    private static readonly (string Label, string Interval)[] Modes = [("every 10,000", "10000"), ("off", "2000000000")];

    public async Task<int> ExecuteAsync()
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var folder = Directory.CreateTempSubdirectory("etl-bench-checkpoints-").FullName;
        try
        {
            var info = GeneratedExport.Write(options.Source, folder, options.Messages, options.Conversations);
            var export = info.Path;
            Console.WriteLine($"Checkpoint cost: {info.Messages:N0} messages ({info.Bytes / 1048576.0:0} MB, {GeneratedExport.Describe(options.Source)}), {Rounds} rounds, modes alternated");
            await using var server = await PostgresServer.StartAsync();
            var rates = Modes.ToDictionary(m => m.Label, _ => new List<double>());
            for (var round = 0; round < Rounds; round++)
            {
                var order = round % 2 == 0 ? Modes : Modes.Reverse().ToArray();
                foreach (var (label, interval) in order)
                {
                    var database = await server.CreateDatabaseAsync("checkpoints");
                    var run = await MeasuredEtl.RunAsync(export, database.Url, $"cp-{round}-{interval}", options.BatchSize, options.Timeout, folder,
                        ["--checkpoint-interval", interval]);
                    var rate = run.Records / run.Elapsed.TotalSeconds;
                    rates[label].Add(rate);
                    Console.WriteLine($"  round {round + 1}, checkpoints {label,-13} {run.Elapsed.TotalSeconds,7:0.00} s  {rate,9:N0} records/s");
                }
            }
            var on = rates[Modes[0].Label].Average();
            var off = rates[Modes[1].Label].Average();
            var cost = (off - on) / off;
            Console.WriteLine($"  mean records/s: checkpoints every 10,000 {on:N0}, off {off:N0}; difference {cost:P1} (target at most 5%: {(Math.Abs(cost) <= 0.05 ? "reached" : "NOT reached")})");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
