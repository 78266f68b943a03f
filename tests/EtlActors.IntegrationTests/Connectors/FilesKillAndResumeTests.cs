using System.Globalization;
using System.Text;
using EtlActors.IntegrationTests.CrashSafety;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing;
using EtlActors.Testing.Processes;
using Npgsql;

namespace EtlActors.IntegrationTests.Connectors;

/// <summary>
/// A files job killed with SIGKILL half-way and run again with the same command ends with exactly the named table,
/// raw records and quarantine of an uninterrupted run, versions of a key included (the later line wins).
/// </summary>
public sealed class FilesKillAndResumeTests : IDisposable
{
    private const int Lines = 60_000;
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(3);
    private readonly TempFolder _dir = new();

    [Fact]
    public async Task A_csv_job_killed_half_way_and_run_again_ends_with_the_rows_of_an_uninterrupted_run()
    {
        var source = WriteCsv();
        var mapping = _dir.File("orders.yaml");
        await File.WriteAllTextAsync(mapping, """
            into: table
            table: orders
            key: [order_id]
            columns:
              order_id: { from: id, type: int }
              customer: customer
              note: note
              total: { from: total, type: decimal }
            """);
        var server = await PostgresServer.SharedAsync();
        var whole = await server.CreateDatabaseAsync("files_whole");
        var killed = await server.CreateDatabaseAsync("files_killed");
        string[] Command(TestDatabase db) => ["run", source, "--mapping", mapping, "--sink", db.Url, "--tenant", "acme", "--job-id", "orders-kill", "--checkpoint-interval", "5000"];

        var baseline = await EtlProcess.RunAsync(_dir.Path, Command(whole));
        Assert.True(baseline.ExitCode == 0, baseline.ToString());

        using (var run = RunningProcess.StartEtl(_dir.Path, null, Command(killed)))
        {
            await TableFingerprint.WaitUntilLoadedAsync(killed.ConnectionString, Within, Lines / 2);
            run.Kill();
            var died = await run.WaitForExitAsync(Within);
            Assert.True(died.ExitCode == 137, $"expected death by SIGKILL\n{died}");
        }
        var resumed = await EtlProcess.RunAsync(_dir.Path, Command(killed));

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Matches(@"Resuming job orders-kill from checkpoint at record [1-9]\d*", resumed.Stdout);
        var expected = await FingerprintAsync(whole);
        Assert.Equal((39_996L, (long)Lines - 6, 6L), (expected.Rows, expected.Raw, expected.Quarantined));
        Assert.Equal(expected, await FingerprintAsync(killed));
    }

    /// <summary>
    /// Ids repeat after 40,000 lines (their second version wins); some notes are quoted or span lines; every 10,000th
    /// record is short (quarantined), which leaves ids 5, 10005, 20005 and 30005 with no valid version: 39,996 rows.
    /// </summary>
    private string WriteCsv()
    {
        var csv = new StringBuilder("id,customer,note,total\n");
        for (var i = 0; i < Lines; i++)
        {
            var note = (i % 1000) switch
            {
                7 => "\"spans\nlines\"",
                var m when m % 7 == 0 => "\"with, comma\"",
                _ => "n" + i.ToString(CultureInfo.InvariantCulture),
            };
            csv.Append(i % 10_000 == 5 ? FormattableString.Invariant($"{i % 40_000},short\n") : FormattableString.Invariant($"{i % 40_000},c{i},{note},{i / 100m}\n"));
        }
        var path = _dir.File("orders.csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    private static async Task<(long Rows, string Checksum, long Raw, long Quarantined, string QuarantineChecksum)> FingerprintAsync(TestDatabase db)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM etl.orders),
                   (SELECT md5(string_agg(concat_ws('/', order_id, customer, note, total, source_line, job_id), E'\n' ORDER BY order_id)) FROM etl.orders),
                   (SELECT count(*) FROM etl.raw_records),
                   (SELECT count(*) FROM etl.quarantine),
                   (SELECT md5(string_agg(concat_ws('/', record_offset, error_code, message, payload), E'\n' ORDER BY record_offset)) FROM etl.quarantine)
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetString(4));
    }

    public void Dispose() => _dir.Dispose();
}
