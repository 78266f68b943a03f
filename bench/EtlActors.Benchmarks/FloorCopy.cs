using System.Diagnostics;
using EtlActors.Pipeline.Load;
using EtlActors.Testing;
using Npgsql;

namespace EtlActors.Benchmarks;

/// <summary>
/// The floor: the fastest way PostgreSQL takes the same final rows. Each table the job filled is
/// copied out in COPY's binary format, then COPY'd into identical empty tables (created by the real
/// sink, keys and all) in a fresh database; only that second COPY is timed.
/// </summary>
internal static class FloorCopy
{
    public static readonly string[] Tables = ["conversations", "participants", "messages", "raw_records", "quarantine"];

    public static async Task<FloorRun> RunAsync(PostgresServer server, TestDatabase loaded, string label, string folder, ServerCpu? serverCpu)
    {
        var files = new List<(string Table, string File, long Rows)>();
        await using (var source = new NpgsqlConnection(loaded.ConnectionString))
        {
            await source.OpenAsync();
            foreach (var table in Tables)
            {
                var file = Path.Combine(folder, $"{label}.{table}.copy");
                await using (var output = File.Create(file))
                await using (var copy = await source.BeginRawBinaryCopyAsync($"COPY (SELECT * FROM etl.{table}) TO STDOUT (FORMAT BINARY)"))
                    await copy.CopyToAsync(output);
                files.Add((table, file, await CountAsync(source, table)));
            }
        }

        var target = await server.CreateDatabaseAsync($"floor_{label}");
        var sink = SinkFactory.Create(DatabaseAddress.Parse(target.Url));
        await using (sink)
            await sink.EnsureSchemaAsync(CancellationToken.None);

        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync();
        var cpuBefore = serverCpu?.TotalSeconds();
        var clock = Stopwatch.StartNew();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            foreach (var (table, file, _) in files)
            {
                await using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
                await using var copy = await connection.BeginRawBinaryCopyAsync($"COPY etl.{table} FROM STDIN (FORMAT BINARY)");
                await input.CopyToAsync(copy);
            }
            await transaction.CommitAsync();
        }
        var elapsed = clock.Elapsed;
        var cpu = serverCpu?.TotalSeconds() - cpuBefore;

        foreach (var (table, _, rows) in files)
        {
            var copied = await CountAsync(connection, table);
            if (copied != rows)
                throw new BenchFailedException($"the floor copied {copied} rows into etl.{table}, but the job's database holds {rows}");
        }
        var bytes = files.Sum(f => new FileInfo(f.File).Length);
        return new FloorRun(elapsed, files.ToDictionary(f => f.Table, f => f.Rows), bytes, cpu, [.. files.Select(f => f.File)]);
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM etl.{table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>The timed COPY: how long, the rows per table, the size of the binary data, the server's CPU seconds.</summary>
internal sealed record FloorRun(TimeSpan Elapsed, IReadOnlyDictionary<string, long> Rows, long Bytes, double? ServerCpuSeconds, string[] Files)
{
    public long TotalRows => Rows.Values.Sum();
}
