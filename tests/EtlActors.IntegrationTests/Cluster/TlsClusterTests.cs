using System.Globalization;
using EtlActors.Client;
using EtlActors.Contracts.Jobs;
using EtlActors.IntegrationTests.CrashSafety;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Processes;
using EtlActors.Testing.Security;

namespace EtlActors.IntegrationTests.Cluster;

/// <summary>
/// Mutual TLS with real node processes: only a client or node holding a certificate from the cluster's CA gets
/// in, and behind TLS a job loads exactly what an embedded run loads. Every LocalCluster runs with TLS, so the
/// other cluster tests pass over it too.
/// </summary>
[Collection(ClusterCommandsCollection.Name)]
public sealed class TlsClusterTests(ClusterFixture fixture) : IDisposable
{
    private const string ConnectTimeout = "ETL_CONNECT_TIMEOUT";
    private readonly TempFolder _dir = new();

    [Fact]
    public async Task A_job_submitted_over_mutual_TLS_loads_exactly_the_rows_of_an_embedded_run()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("tls_journal");
        var sink = await fixture.Server.CreateDatabaseAsync("tls_sink");
        await using var cluster = await LocalCluster.StartAsync(2, journal);

        var submitted = await EtlProcess.RunAsync(_dir.Path, cluster.ClientEnvironment,
            ["submit", fixture.SmallExport, "--sink", sink.Url, "--tenant", "acme", "--job-id", "tls-1", .. cluster.ClusterArgs]);
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        await using var client = cluster.Client();
        await cluster.WaitForJobAsync(client, new JobId("tls-1"), s => s.State == JobState.Completed, TimeSpan.FromMinutes(3), "completed");

        Assert.Equal(fixture.SmallBaseline, await TableFingerprint.ReadAsync(sink.ConnectionString));
        var members = (await client.GetClusterAsync()).Members;
        Assert.Equal(2, members.Count);
        Assert.All(members, m => Assert.StartsWith("akka.ssl.tcp://etl@127.0.0.1:", m.Address));
        Assert.All(cluster.Nodes, n => Assert.NotNull(n.Process.LastLine(l => l.Contains("mutual TLS: nodes and clients must present a certificate", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task A_client_without_a_certificate_from_the_clusters_CA_is_refused_and_nothing_runs()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("tls_refused_journal");
        await using var cluster = await LocalCluster.StartAsync(1, journal);
        var stranger = DevCertificates.Create(Path.Combine(_dir.Path, "other-ca"), "Another CA");
        string[] submit = ["submit", fixture.SmallExport, "--tenant", "acme", "--job-id", "intruder", .. cluster.ClusterArgs];

        // No certificate at all: the CLI says what is missing before it sends anything (empty values unset the harness's).
        var none = await EtlProcess.RunAsync(_dir.Path, new Dictionary<string, string> { ["ETL_TLS_CERT"] = "", ["ETL_TLS_CA"] = "" }, submit);
        Assert.True(none.ExitCode == 2, none.ToString());
        Assert.StartsWith("error: no client certificate: the cluster accepts only clients with a certificate from its CA; set ETL_TLS_CERT", none.Stderr.Trim());

        // A certificate from another CA: the node refuses the handshake, and says so in its log. A refused client waits
        // out its connect timeout; 5 s instead of the default 20 (ClusterContactTests checks the default).
        var foreign = await EtlProcess.RunAsync(_dir.Path, new Dictionary<string, string>(stranger.ClientEnvironment) { [ConnectTimeout] = "5" }, submit);
        Assert.True(foreign.ExitCode == 1, foreign.ToString());
        Assert.Contains($"error: cannot reach the cluster at {cluster.Contacts[0]} within 5 s", foreign.Stderr);
        Assert.Contains("nodes refuse a client whose certificate their CA did not issue: check ETL_TLS_CERT and ETL_TLS_CA", foreign.Stderr);
        await cluster.Seed.Process.WaitForLineAsync(l => l.Contains("TLS: refused", StringComparison.Ordinal) && l.Contains("etl-client (Another CA)", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        // Plaintext against a TLS node: no conversation either.
        var plain = await EtlProcess.RunAsync(_dir.Path, new Dictionary<string, string> { ["ETL_INSECURE_PLAINTEXT"] = "1", [ConnectTimeout] = "5" }, submit);
        Assert.True(plain.ExitCode == 1, plain.ToString());
        Assert.Contains("this client is plaintext: nodes use TLS unless Etl:Tls:InsecurePlaintext=true", plain.Stderr);

        await using var client = cluster.Client();
        Assert.Empty(await client.ListAsync());
    }

    [Fact]
    public async Task A_client_refuses_a_node_whose_certificate_another_CA_issued()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("tls_fake_node_journal");
        await using var cluster = await LocalCluster.StartAsync(1, journal);
        var stranger = DevCertificates.Create(Path.Combine(_dir.Path, "other-ca"), "Another CA");

        // The client's own certificate is the cluster's, so the node accepts it: only the client's check of the
        // node's certificate, against a CA that did not issue it, can refuse.
        await using var client = EtlClient.Connect(new EtlClientOptions
        {
            Contacts = [.. cluster.Contacts],
            CertificatePath = DevCertificates.Shared.ClientPfx,
            CertificatePasswordFile = DevCertificates.Shared.PasswordFile,
            CaCertificatePath = stranger.CaPath,
        });
        var error = await Assert.ThrowsAsync<EtlClientException>(() => client.ListAsync());
        Assert.Contains("cannot reach the cluster", error.Message);
    }

    [Fact]
    public async Task A_node_whose_certificate_another_CA_issued_cannot_join()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("tls_rogue_journal");
        await using var cluster = await LocalCluster.StartAsync(1, journal);
        var stranger = DevCertificates.Create(Path.Combine(_dir.Path, "other-ca"), "Another CA");
        var environment = new Dictionary<string, string>(stranger.NodeEnvironment)
        {
            ["Etl__Hostname"] = "127.0.0.1",
            ["Etl__Port"] = FreePorts.One().ToString(CultureInfo.InvariantCulture),
            ["Etl__SeedNodes__0"] = $"akka.ssl.tcp://etl@{cluster.Contacts[0]}",
            ["Etl__Journal"] = journal.Url,
            ["Etl__Http__Port"] = "0", // not the default 9464, which something else on the machine may hold
        };
        await using var rogue = RunningProcess.Start("dotnet", [Binaries.NodeDll()], _dir.Path, environment);

        // Each side checks the other's certificate, and which check ends the handshake depends on timing: on an idle
        // machine the joining node usually refuses the seed's (TLS's order), under load the seed may refuse the
        // rogue's first. Either refusal names the two CAs; the rogue keeps retrying, so more refusals follow.
        var rogueRefused = rogue.WaitForLineAsync(l => l.Contains("TLS: refused", StringComparison.Ordinal)
            && l.Contains("does not chain to the cluster's CA CN=Another CA", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
        var seedRefused = cluster.Seed.Process.WaitForLineAsync(l => l.Contains("TLS: refused", StringComparison.Ordinal)
            && l.Contains("(issued by CN=Another CA) does not chain", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
        var first = await Task.WhenAny(rogueRefused, seedRefused);
        if (!first.IsCompletedSuccessfully)
            await (first == rogueRefused ? seedRefused : rogueRefused); // neither: this one's timeout names what was awaited
        await cluster.Seed.Process.WaitForLineAsync(l => l.Contains("Rejected incoming connection", StringComparison.Ordinal) && l.Contains("TLS handshake failure", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Null(rogue.LastLine(l => l.Contains("cluster member up", StringComparison.Ordinal)));
        await using var client = cluster.Client();
        Assert.Single((await client.GetClusterAsync()).Members);
    }

    [Fact]
    public async Task A_node_without_certificates_stops_at_start_naming_the_setting_and_the_insecure_way_out()
    {
        var environment = new Dictionary<string, string> { ["Etl__Port"] = FreePorts.One().ToString(CultureInfo.InvariantCulture) };
        using var node = RunningProcess.StartDll(Binaries.NodeDll(), _dir.Path, environment);

        var exit = await node.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exit.ExitCode);
        Assert.Equal("error: Etl:Tls:CertificatePath is not set: TLS is on, and it needs this node's certificate and key (PFX). " +
            "See README \"Security: TLS\" to make certificates, or set Etl:Tls:InsecurePlaintext=true on a network nobody else can reach", exit.Stderr.Trim());
    }

    public void Dispose() => _dir.Dispose();
}
