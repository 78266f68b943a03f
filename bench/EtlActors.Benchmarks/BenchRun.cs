using System.Diagnostics;
using System.Globalization;
using EtlActors.Testing;
using Npgsql;

namespace EtlActors.Benchmarks;

/// <summary>One benchmark run: one PostgreSQL server, then each size in turn (small first).</summary>
internal sealed class BenchRun(BenchOptions options)
{
    private readonly Report _report = new(options);

    public async Task<int> ExecuteAsync()
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var root = options.WorkDirectory ?? Path.GetTempPath();
        var folder = Path.Combine(Path.GetFullPath(root), $"etl-bench-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        Directory.CreateDirectory(folder);
        _report.Machine(folder);
        try
        {
            Console.WriteLine("Starting PostgreSQL…");
            await using var server = await PostgresServer.StartAsync();
            var serverCpu = server.IsExternal ? null : ServerCpu.Find(server.Port);
            _report.Server(server, serverCpu is not null);

            var results = new List<SizeResult>();
            foreach (var messages in (int[])[options.Small, options.Messages])
            {
                var result = await RunSizeAsync(server, serverCpu, messages, folder);
                _report.Size(result);
                results.Add(result);
            }
            var reached = _report.Targets(results[0], results[1]);
            return options.Check && !reached ? 3 : 0;
        }
        finally
        {
            if (options.Keep)
                Console.WriteLine($"Kept exports and COPY files in {folder}");
            else
                Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<SizeResult> RunSizeAsync(PostgresServer server, ServerCpu? serverCpu, int messages, string folder)
    {
        var label = messages.ToString(CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine($"== {messages:N0} messages: generating the export…");
        var clock = Stopwatch.StartNew();
        var info = GeneratedExport.Write(options.Source, folder, messages, options.Conversations);
        var export = info.Path;
        var generated = clock.Elapsed;

        var database = await server.CreateDatabaseAsync($"bench_{label}");
        Console.WriteLine($"   running etl into {database.Url} …");
        var cpuBefore = serverCpu?.TotalSeconds();
        var etl = await MeasuredEtl.RunAsync(export, database.Url, $"bench-{label}", options.BatchSize, options.Timeout, folder);
        await WaitForDisconnectAsync(server, database.Name);
        var etlServerCpu = serverCpu?.TotalSeconds() - cpuBefore;
        if (!options.Keep)
            File.Delete(export);

        Console.WriteLine("   timing the floor (binary COPY of the same rows)…");
        var floor = await FloorCopy.RunAsync(server, database, label, folder, serverCpu);
        if (!options.Keep)
        {
            foreach (var file in floor.Files)
                File.Delete(file);
        }
        return new SizeResult(info, generated, etl, etlServerCpu, floor);
    }

    // The job's backends finish their last work as etl exits; count it in the etl run, not in the floor.
    private static async Task WaitForDisconnectAsync(PostgresServer server, string database)
    {
        await using var connection = new NpgsqlConnection(server.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        var deadline = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while ((long)(await command.ExecuteScalarAsync())! > 0 && deadline.Elapsed < TimeSpan.FromSeconds(10))
            await timer.WaitForNextTickAsync();
    }
}

/// <summary>Everything measured at one size.</summary>
internal sealed record SizeResult(GeneratedExport Export, TimeSpan Generated, EtlRun Etl, double? EtlServerCpuSeconds, FloorRun Floor)
{
    public double Ratio => Etl.Elapsed.TotalSeconds / Math.Max(Floor.Elapsed.TotalSeconds, 0.001);
}
