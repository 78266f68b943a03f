using System.Globalization;
using System.Text;
using System.Text.Json;
using EtlActors.Contracts.Jobs;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Connectors;

/// <summary>
/// `etl submit --mapping` to a cluster of real nodes: the mapping travels in the job, so nodes that never saw the
/// mapping file read and transform the CSV (transformer entities on both nodes), and the named table ends exact.
/// </summary>
public sealed class FilesClusterTests : IDisposable
{
    private const int Keys = 100;
    private readonly TempFolder _dir = new();

    [Fact]
    public async Task A_csv_submitted_with_its_mapping_loads_the_named_table_through_transformers_on_both_nodes()
    {
        var server = await PostgresServer.SharedAsync();
        var journal = await server.CreateDatabaseAsync("files_cluster_journal");
        var sink = await server.CreateDatabaseAsync("files_cluster_sink");
        var source = _dir.File("events.csv");
        var csv = new StringBuilder("key,value\n");
        for (var i = 0; i < 4 * Keys; i++)
            csv.Append(CultureInfo.InvariantCulture, $"k{i % Keys},\"v{i}, line {i + 2}\"\n");
        await File.WriteAllTextAsync(source, csv.ToString());
        var mapping = _dir.File("events.yaml");
        await File.WriteAllTextAsync(mapping, "into: table\ntable: events\nkey: key\ncolumns:\n  key: key\n  value: value\n");
        await using var cluster = await LocalCluster.StartAsync(2, journal);
        await using var client = cluster.Client();

        var submitted = await EtlProcess.RunAsync(_dir.Path, ["submit", source, "--mapping", mapping, "--sink", sink.Url, "--tenant", "acme", "--job-id", "events-1", .. cluster.ClusterArgs]);
        File.Delete(mapping); // the job carries the mapping's text: no node reads this file

        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        var done = await cluster.WaitForJobAsync(client, new JobId("events-1"), s => s.IsFinished, TimeSpan.FromMinutes(2), "finished");
        Assert.True(done.State == JobState.Completed, $"{done.State}: {done.Error}\n{cluster.Logs()}");
        Assert.Equal(("events", (long)Keys), (done.Totals!.Table, done.Totals.TableRows));
        await using var tables = Tables.Postgres(sink.ConnectionString);
        var rows = await tables.RowsAsync("SELECT key, value, source_line FROM {t}events ORDER BY source_line");
        Assert.Equal(Enumerable.Range(3 * Keys, Keys).Select(i => $"k{i % Keys} | v{i}, line {i + 2} | {i + 2}"), rows); // each key's last line
        var shards = await EtlProcess.RunAsync(_dir.Path, ["cluster", "shards", "--json", .. cluster.ClusterArgs]);
        Assert.Equal(2, TransformerNodes(shards.Stdout));
    }

    /// <summary>How many nodes host transformer entities of this job's partitions.</summary>
    private static int TransformerNodes(string shardsJson)
    {
        using var json = JsonDocument.Parse(shardsJson);
        var transformers = json.RootElement.GetProperty("regions").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "transformers");
        return transformers.GetProperty("nodes").EnumerateArray().Count(node => node.GetProperty("shards").EnumerateArray()
            .Any(shard => shard.GetProperty("entityIds").EnumerateArray().Any(e => e.GetString()!.StartsWith("acme/files/bucket-", StringComparison.Ordinal))));
    }

    public void Dispose() => _dir.Dispose();
}
