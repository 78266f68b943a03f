using System.Globalization;
using EtlActors.Contracts.Jobs;
using EtlActors.IntegrationTests.Cluster;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing;
using EtlActors.Testing.Http;
using EtlActors.Testing.Processes;
using Npgsql;

namespace EtlActors.IntegrationTests.Observability;

/// <summary>
/// A node's <c>/metrics</c> as Prometheus scrapes it, against what two jobs did: an HTTP source throttled once by its
/// server, and an NDJSON file with bad lines. The counts must equal the rows in the sink and in its quarantine.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MetricsTests(ClusterFixture fixture) : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(3);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly TempFolder _dir = new();

    [Fact]
    public async Task Metrics_count_what_the_jobs_loaded_quarantined_fetched_and_waited_and_gauges_show_running_jobs()
    {
        await using var api = await StubApi.StartAsync(new StubApiOptions { Records = 600, PageSize = 20 });
        api.Faults.Add(StubFault.TooManyRequests(TimeSpan.FromSeconds(1)) with { OnPage = 3 });
        var journal = await fixture.Server.CreateDatabaseAsync("metrics_journal");
        var sink = await fixture.Server.CreateDatabaseAsync("metrics_sink");
        await using var cluster = await LocalCluster.StartAsync(1, journal.Url, new LocalClusterOptions
        {
            Settings = new Dictionary<string, string> { ["API_URL"] = api.BaseUrl },
        });
        await using var client = cluster.Client();

        var host = new Uri(api.BaseUrl).Authority; // sources are told apart by host and port
        var httpJob = new JobId("metrics-http");
        await client.SubmitAsync(httpJob, new JobSpec("http", _dir.File("items.yaml"), sink.Url, "beta", HttpConfig));
        // While it runs (about 3 s at 10 requests a second), the node reports it in its gauges.
        var running = await Eventually.UntilAsync(() => ScrapeAsync(cluster.Seed),
            m => m.Value("etl_extraction_rate_per_second", ("source_kind", "http"), ("tenant", "beta")) is > 0 && m.Value("etl_checkpoint_age_seconds") is not null,
            Within, "the running HTTP job in the gauges", every: TimeSpan.FromMilliseconds(200), describe: m => m.Text);
        Assert.NotNull(running.Value("etl_checkpoint_lag"));

        var ndjson = _dir.File("tickets.ndjson");
        await File.WriteAllTextAsync(ndjson, string.Join("\n",
            """{"id": "m1", "ticket": "T-1", "author": {"id": "u1"}, "at": "2026-01-05T09:00:00Z", "text": "Printer jams"}""",
            """{"id": "m2", "ticket": "T-1", "author": {"id": "u2"}, "at": "not a time", "text": "lost"}""",
            """{"id": "m3", "ticket": "T-2", "author": {"id": "u1"}, "at": "2026-01-06T10:00:00Z", "text": "VPN down"}""",
            """{"id": "m4", "ticket": """) + "\n");
        var filesJob = new JobId("metrics-files");
        await client.SubmitAsync(filesJob, new JobSpec("files", ndjson, sink.Url, "acme", FilesMapping));
        foreach (var id in new[] { httpJob, filesJob })
            await cluster.WaitForJobAsync(client, id, s => s.State == JobState.Completed, Within, "completed");

        var metrics = await Eventually.UntilAsync(() => ScrapeAsync(cluster.Seed), m => m.Value("etl_jobs", ("state", "Completed")) == 2,
            Within, "both jobs Completed in etl_jobs", describe: m => m.Text);
        var (filesRows, filesQuarantined) = await RowsAsync(sink.ConnectionString, filesJob);
        var (httpRows, httpQuarantined) = await RowsAsync(sink.ConnectionString, httpJob);
        Assert.Equal((2, 2), (filesRows, filesQuarantined));
        Assert.Equal((600, 0), (httpRows, httpQuarantined));

        Assert.Equal(filesRows, metrics.Value("etl_records_loaded_total", ("source_kind", "files"), ("tenant", "acme")));
        Assert.Equal(filesQuarantined, metrics.Value("etl_records_quarantined_total", ("source_kind", "files"), ("tenant", "acme")));
        Assert.Equal(filesRows + filesQuarantined, metrics.Value("etl_records_extracted_total", ("source_kind", "files"), ("tenant", "acme")));
        Assert.Equal(filesRows, metrics.Value("etl_records_transformed_total", ("source_kind", "files"), ("tenant", "acme")));
        Assert.Equal(1, metrics.Value("etl_transformation_errors_total", ("code", "invalid_value")));
        Assert.Equal(1, metrics.Value("etl_transformation_errors_total", ("code", "invalid_json")));
        Assert.Equal(httpRows, metrics.Value("etl_records_loaded_total", ("source_kind", "http"), ("tenant", "beta")));
        Assert.Null(metrics.Value("etl_records_quarantined_total", ("source_kind", "http")));
        Assert.Equal(30, metrics.Value("etl_http_requests_total", ("host", host), ("status_class", "2xx")));
        Assert.Equal(1, metrics.Value("etl_http_requests_total", ("host", host), ("status_class", "429")));
        Assert.InRange(metrics.Value("etl_http_throttled_seconds_total", ("host", host)) ?? 0, 1, 5);
        Assert.True(metrics.Value("etl_batch_load_duration_seconds_count") >= 2, metrics.Text);
        // Every row was new, so every batch went straight into the tables.
        Assert.True(metrics.Value("etl_load_batches_total", ("path", "direct")) >= 2, metrics.Text);
        Assert.Null(metrics.Value("etl_load_batches_total", ("path", "collided")));
        Assert.Equal(0, metrics.Value("etl_jobs", ("state", "Failed")));
        Assert.Null(metrics.Value("etl_jobs_failed_total"));
        Assert.Equal(0, metrics.Value("etl_checkpoint_age_seconds")); // nothing runs now
        Assert.Null(metrics.Value("etl_extraction_rate_per_second"));
        Assert.Equal(1, metrics.Value("etl_cluster_members", ("status", "Up")));
        Assert.Equal(0, metrics.Value("etl_cluster_unreachable_members"));
        Assert.InRange(metrics.Value("etl_memory_used_bytes") ?? 0, 10e6, 2e9);
        Assert.Equal(1024d * 1024 * 1024, metrics.Value("etl_memory_limit_bytes"));
        // No job id on any series of ours.
        Assert.DoesNotContain(metrics.Text.Split('\n'), l => l.StartsWith("etl_", StringComparison.Ordinal) && l.Contains("metrics-", StringComparison.Ordinal));
    }

    private static async Task<Scrape> ScrapeAsync(ClusterNode node) => new(await Http.GetStringAsync(new Uri(node.HttpUrl, "/metrics")));

    private static async Task<(long Rows, long Quarantined)> RowsAsync(string connectionString, JobId job)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM etl.messages WHERE job_id = @job), (SELECT count(*) FROM etl.quarantine WHERE job_id = @job)", connection);
        command.Parameters.AddWithValue("job", job.Value);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>One scrape in Prometheus' text format.</summary>
    private sealed record Scrape(string Text)
    {
        /// <summary>The value of the one series <paramref name="name"/> with these labels (others may be there too); null when there is none.</summary>
        public double? Value(string name, params (string Label, string Value)[] labels)
        {
            var matches = Text.Split('\n')
                .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
                .Where(l => labels.All(p => l.Contains($"{p.Label}=\"{p.Value}\"", StringComparison.Ordinal)))
                .ToList();
            if (matches.Count > 1)
                throw new InvalidOperationException($"{matches.Count} series {name} match: {string.Join(" | ", matches)}");
            // A series line ends with its value, and maybe a timestamp: "name{labels} value [timestamp]".
            return matches.Count == 0 ? null : double.Parse(matches[0][(matches[0].LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
    }

    private static readonly string HttpConfig = StubApiConfigs.Items(20, "rate_limit: { requests_per_second: 10 }");

    private const string FilesMapping = """
        into: messages
        source: helpdesk
        columns:
          conversation_id: ticket
          message_id: id
          sender_id: author.id
          sent_at: { from: at, type: timestamp }
          content_text: text
        """;

    public void Dispose() => _dir.Dispose();
}
