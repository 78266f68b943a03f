using System.Diagnostics;
using System.Globalization;
using EtlActors.Contracts.Jobs;
using EtlActors.Testing;
using EtlActors.Testing.Processes;

namespace EtlActors.Benchmarks;

/// <summary>
/// What mutual TLS costs: one job's throughput on a 2-node cluster of etl-node processes with TLS off and on, rounds
/// alternated, a fresh cluster and journal each. Two nodes, so that half the batches cross the wire to the other
/// node's transformers (on one node nothing would: sharded entities there are local).
/// </summary>
internal sealed class TlsRun(BenchOptions options)
{
    private const double TargetRatio = 0.90;
    private const int Nodes = 2;
    private const string Tenant = "bench";
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(100);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public async Task<int> ExecuteAsync()
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        Console.SetOut(new QuietDisassociations(Console.Out));
        var folder = Directory.CreateTempSubdirectory("etl-bench-tls-").FullName;
        try
        {
            Console.WriteLine($"EtlActors TLS benchmark: one job on {Nodes} nodes, plaintext against mutual TLS, {options.Rounds} round(s) each, alternated");
            Console.WriteLine($"  machine        {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
            var nodeDll = await BenchBinaries.NodeDllAsync();
            Console.WriteLine($"  etl-node       dotnet {nodeDll} ({BenchBinaries.Form})");
            var export = Path.Combine(folder, "skype.tar");
            var info = SyntheticSkypeExport.Write(export, new SyntheticExportOptions(options.Messages, options.Conversations, Seed: 42, AsTar: true));
            Console.WriteLine($"  export         {info.Messages:N0} messages in {info.Conversations} conversations, {info.Bytes / 1048576.0:0} MB (.tar, seed 42)");
            Console.WriteLine("Starting PostgreSQL…");
            await using var server = await PostgresServer.StartAsync();

            var rates = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
            for (var round = 1; round <= options.Rounds; round++)
            {
                foreach (var tls in round % 2 == 1 ? new[] { false, true } : [true, false])
                {
                    var label = $"{(tls ? "tls" : "plain")}{round}";
                    var journal = await server.CreateDatabaseAsync($"{label}_journal");
                    var sink = await server.CreateDatabaseAsync($"{label}_sink");
                    await using var cluster = await LocalCluster.StartAsync(Nodes, journal.Url, new LocalClusterOptions
                    {
                        NodeDll = nodeDll, WorkDirectory = folder, LogLabel = label, Clock = _clock, InsecurePlaintext = !tls,
                    });
                    await using var client = cluster.Client();
                    var id = new JobId($"bench-{label}");
                    var started = _clock.Elapsed;
                    await client.SubmitAsync(id, new JobSpec("skype", export, sink.Url, Tenant));
                    var done = await cluster.WaitForJobAsync(client, id, s => s.State == JobState.Completed, options.Timeout, "completed", PollEvery);
                    var seconds = (_clock.Elapsed - started).TotalSeconds;
                    if (done.Totals?.Messages != options.Messages)
                        throw new BenchFailedException($"{label}: {done.Totals?.Messages} messages loaded, expected {options.Messages}");
                    var rate = done.Processed / seconds;
                    rates[tls].Add(rate);
                    Console.WriteLine($"   {(tls ? "TLS      " : "plaintext")} round {round}: {seconds:0.00} s from submit to Completed, {rate:N0} records/s (exact)");
                }
            }

            var plain = rates[false].Average();
            var secure = rates[true].Average();
            var ratio = secure / plain;
            Console.WriteLine();
            Console.WriteLine("== TLS report ========================================================");
            Console.WriteLine($"  plaintext      {plain:N0} records/s (mean of {rates[false].Count})");
            Console.WriteLine($"  mutual TLS     {secure:N0} records/s (mean of {rates[true].Count})");
            Console.WriteLine($"  TLS / plain    {ratio:P1} (target ≥ {TargetRatio:P0}: {(ratio >= TargetRatio ? "reached" : "NOT reached")})");
            return options.Check && ratio < TargetRatio ? 3 : 0;
        }
        finally
        {
            if (options.Keep)
                Console.WriteLine($"Kept the export and the nodes' logs in {folder}");
            else
                Directory.Delete(folder, recursive: true);
        }
    }
}
