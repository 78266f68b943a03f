using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using EtlActors.IntegrationTests.Cluster;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Observability;

/// <summary>
/// A real node's HTTP port as Prometheus and an orchestrator's probes use it: plain HTTP, no credentials, /metrics in
/// Prometheus' text format, /health/live and /health/ready.
/// </summary>
[Collection(ClusterCommandsCollection.Name)]
public sealed class NodeEndpointsTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task A_node_serves_liveness_and_Prometheus_metrics_with_runtime_and_process_series_to_a_plain_client()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("http_metrics_journal");
        // The test server trusts loopback, so any password is accepted; Npgsql's series name the pool, never with it.
        var withPassword = journal.Url.Replace("://postgres@", "://postgres:s3cret-pw@", StringComparison.Ordinal);
        await using var cluster = await LocalCluster.StartAsync(1, withPassword);
        var node = cluster.Seed;

        // Ready first: by then the node has reached its journal, so Npgsql's series exist too.
        await ReadyAsync(node, [], HttpStatusCode.OK);
        var live = await GetAsync(node, "/health/live");
        var metrics = await GetAsync(node, "/metrics");

        Assert.Equal(HttpStatusCode.OK, live.Status);
        Assert.Equal(HttpStatusCode.OK, metrics.Status);
        Assert.StartsWith("text/plain", metrics.ContentType, StringComparison.Ordinal);
        var series = metrics.Body.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Contains(series, l => l.StartsWith("process_cpu_time_seconds_total", StringComparison.Ordinal));
        Assert.Contains(series, l => l.StartsWith("dotnet_gc_collections_total", StringComparison.Ordinal));
        Assert.Contains(series, l => l.StartsWith("db_client_connection_count{otel_scope_name=\"Npgsql\"", StringComparison.Ordinal));
        Assert.Contains(series, l => l.StartsWith("target_info{", StringComparison.Ordinal) && l.Contains("service_name=\"etl-node\"", StringComparison.Ordinal));
        Assert.DoesNotContain("s3cret-pw", metrics.Body, StringComparison.Ordinal);
        Assert.NotNull(node.Process.LastLine(l => l.Contains($"metrics and health on http://127.0.0.1:{node.HttpPort}", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Ready_is_503_naming_the_journal_while_its_database_is_down_and_200_once_it_is_back_while_live_stays_200()
    {
        await using var server = await PostgresServer.StartAsync(); // its own: this test stops it
        var journal = await server.CreateDatabaseAsync("http_ready_journal");
        await using var cluster = await LocalCluster.StartAsync(1, journal);
        var node = cluster.Seed;
        var liveStatuses = new List<HttpStatusCode>();

        var before = await ReadyAsync(node, liveStatuses, HttpStatusCode.OK);
        await server.StopServerAsync();
        var down = await ReadyAsync(node, liveStatuses, HttpStatusCode.ServiceUnavailable);
        await server.StartServerAsync();
        var after = await ReadyAsync(node, liveStatuses, HttpStatusCode.OK);

        Assert.Equal(["Healthy", "Healthy", "Healthy"], [Check(before, "cluster"), Check(before, "journal"), Check(before, "sink")]);
        Assert.Equal("Unhealthy", Check(down, "status"));
        Assert.Equal("Unhealthy", Check(down, "journal"));
        Assert.Equal("Healthy", Check(down, "cluster"));
        // The route needs no credentials, so it names the failed check and nothing of the database.
        Assert.DoesNotContain("postgresql://", down.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Port.ToString(CultureInfo.InvariantCulture), down.Body, StringComparison.Ordinal);
        Assert.Equal("Healthy", Check(after, "journal"));
        Assert.NotEmpty(liveStatuses);
        Assert.All(liveStatuses, s => Assert.Equal(HttpStatusCode.OK, s));
        // The reason is in the node's log instead, once for the outage however many probes it failed.
        Assert.Single(node.Process.Output().Split('\n'), l => l.Contains("not ready: cannot reach the journal postgresql://", StringComparison.Ordinal));
        Assert.NotNull(node.Process.LastLine(l => l.Contains("ready again: the journal postgresql://", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_node_whose_HTTP_port_is_taken_stops_before_joining_naming_the_setting_and_the_ways_out()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var taken = ((IPEndPoint)holder.LocalEndpoint).Port;
        var port = FreePorts.One();
        var environment = new Dictionary<string, string>
        {
            ["Etl__Hostname"] = "127.0.0.1",
            ["Etl__Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Etl__SeedNodes__0"] = $"akka.tcp://etl@127.0.0.1:{port}",
            ["Etl__Journal"] = "sqlite:journal.db",
            ["Etl__Tls__InsecurePlaintext"] = "true",
            ["Etl__Http__Port"] = taken.ToString(CultureInfo.InvariantCulture),
        };
        using var dir = new TempFolder();
        using var node = RunningProcess.StartDll(Binaries.NodeDll(), dir.Path, environment);

        var exit = await node.WaitForExitAsync(Within);

        Assert.Equal(2, exit.ExitCode);
        Assert.Equal($"error: Etl:Http:Port {taken} on 127.0.0.1 is in use: free it, choose another port (0 picks a free one) or set Etl:Http:Enabled=false",
            exit.Stderr.Trim());
        Assert.DoesNotContain("Remoting started", exit.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Probes ready (and live beside it, each time) until ready answers <paramref name="expected"/>.</summary>
    private static Task<Response> ReadyAsync(ClusterNode node, List<HttpStatusCode> liveStatuses, HttpStatusCode expected) =>
        Eventually.UntilAsync(async () =>
            {
                liveStatuses.Add((await GetAsync(node, "/health/live")).Status);
                return await GetAsync(node, "/health/ready");
            },
            r => r.Status == expected, Within, $"ready {(int)expected}", every: TimeSpan.FromMilliseconds(250),
            describe: r => $"{(int)r.Status} {r.Body}\n{node.Process.Tail(20)}");

    /// <summary>A health body's overall status ("status") or one check's.</summary>
    private static string Check(Response response, string name)
    {
        using var json = JsonDocument.Parse(response.Body);
        var status = name == "status" ? json.RootElement.GetProperty("status") : json.RootElement.GetProperty("checks").GetProperty(name).GetProperty("status");
        return status.GetString() ?? "";
    }

    private static async Task<Response> GetAsync(ClusterNode node, string path)
    {
        using var response = await Http.GetAsync(new Uri(node.HttpUrl, path));
        return new Response(response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "", await response.Content.ReadAsStringAsync());
    }

    private sealed record Response(HttpStatusCode Status, string ContentType, string Body);
}
