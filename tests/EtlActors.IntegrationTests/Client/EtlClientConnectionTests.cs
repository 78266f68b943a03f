using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EtlActors.Client;
using EtlActors.Contracts.Jobs;
using EtlActors.IntegrationTests.Cluster;
using EtlActors.IntegrationTests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using EtlActors.Testing.Processes;
using EtlActors.Testing.Security;

namespace EtlActors.IntegrationTests.Client;

/// <summary>How EtlClient behaves when the cluster is not there, or there but not answering; and AddEtlClient.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EtlClientConnectionTests(ClusterFixture fixture)
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(25);

    [Fact]
    public async Task A_port_with_nothing_listening_is_an_unreachable_cluster()
    {
        var port = FreePorts.One();
        await using var client = EtlClient.Connect(DevCertificates.Shared.ForClient(new EtlClientOptions { Contacts = [$"127.0.0.1:{port}"] }));

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<EtlClientException>(() => client.GetAsync(new JobId("any")));

        Assert.Equal($"cannot reach the cluster at 127.0.0.1:{port}: nothing listens there (connection refused; is a node running on that port?)", error.Message);
        Assert.True(clock.Elapsed < HangGuard, $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_port_that_accepts_but_never_answers_is_an_unreachable_cluster_after_the_connect_timeout()
    {
        // Accepts the connection and then says nothing, as a hung process or a wrong service would.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                    accepted.Add(await listener.AcceptSocketAsync());
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // the listener stopped
            }
        });
        try
        {
            await using var client = EtlClient.Connect(DevCertificates.Shared.ForClient(new EtlClientOptions { Contacts = [$"127.0.0.1:{port}"], ConnectTimeout = TimeSpan.FromSeconds(2) }));

            var clock = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<EtlClientException>(() => client.GetAsync(new JobId("any")));

            Assert.Equal($"cannot reach the cluster at 127.0.0.1:{port} within 2 s (is a node running and reachable there? nodes refuse a client whose certificate their CA did not issue: check ETL_TLS_CERT and ETL_TLS_CA)", error.Message);
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.5), $"gave up after {clock.Elapsed}, before its connect timeout");
            Assert.True(clock.Elapsed < HangGuard, $"took {clock.Elapsed}");
        }
        finally
        {
            listener.Stop();
            await accepting;
            foreach (var socket in accepted)
                socket.Dispose();
        }
    }

    [Fact]
    public async Task A_node_that_stops_answering_times_out_with_the_request_named_and_the_client_recovers_when_it_answers_again()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("client_timeout_journal");
        var sink = await fixture.Server.CreateDatabaseAsync("client_timeout_sink");
        await using var cluster = await LocalCluster.StartAsync(1, journal);
        await using var client = EtlClient.Connect(DevCertificates.Shared.ForClient(new EtlClientOptions { Contacts = [.. cluster.Contacts], Timeout = TimeSpan.FromSeconds(2) }));
        var id = new JobId("timeout-job");
        await using (var submitter = cluster.Client())
            await submitter.SubmitAsync(id, new JobSpec("skype", RepoPaths.Sample, sink.Url, "acme"));
        // Retries a first answer slower than 2 s, e.g. while the job's shard starts.
        await cluster.WaitForJobAsync(client, id, s => s.State == JobState.Completed, TimeSpan.FromMinutes(1), "completed");
        Assert.Equal(JobState.Completed, (await client.GetAsync(id)).State);

        var node = cluster.Nodes[0].Process;
        node.Signal("STOP");
        try
        {
            var clock = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<EtlClientTimeoutException>(() => client.GetAsync(id));

            Assert.Equal($"the cluster at {cluster.Contacts[0]} did not answer GetJob for job timeout-job within 2 s", error.Message);
            Assert.True(clock.Elapsed < HangGuard, $"took {clock.Elapsed}");
        }
        finally
        {
            node.Signal("CONT");
        }

        var status = await client.GetAsync(id);
        Assert.Equal(JobState.Completed, status.State);
        Assert.Equal(cluster.Contacts[0], status.Node);
    }

    [Fact]
    public async Task AddEtlClient_binds_the_configuration_section_and_the_container_owns_the_client()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("client_di_journal");
        await using var cluster = await LocalCluster.StartAsync(1, journal);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["EtlClient:Contacts:0"] = cluster.Contacts[0],
                // Not the default (30 s), to show it binds; long enough for a node just started on a busy machine,
                // whose first answer waits for its shards to recover.
                ["EtlClient:Timeout"] = "00:01:30",
                ["EtlClient:WatchInterval"] = "00:00:00.250",
                ["EtlClient:CertificatePath"] = DevCertificates.Shared.ClientPfx,
                ["EtlClient:CertificatePasswordFile"] = DevCertificates.Shared.PasswordFile,
                ["EtlClient:CaCertificatePath"] = DevCertificates.Shared.CaPath,
                ["EtlClient:ApiKey"] = TestKeys.Admin.Key,
            })
            .Build();
        var services = new ServiceCollection();
        services.AddEtlClient(configuration.GetSection("EtlClient"));
        var provider = services.BuildServiceProvider();
        EtlClient client;
        try
        {
            var options = provider.GetRequiredService<IOptions<EtlClientOptions>>().Value;
            Assert.Equal([cluster.Contacts[0]], options.Contacts);
            Assert.Equal(DevCertificates.Shared.ClientPfx, options.CertificatePath);
            Assert.Equal(TimeSpan.FromSeconds(90), options.Timeout);
            Assert.Equal(TimeSpan.FromMilliseconds(250), options.WatchInterval);
            Assert.Equal(TimeSpan.FromSeconds(10), options.ConnectTimeout);
            Assert.Equal(TestKeys.Admin.Key, options.ApiKey);

            client = provider.GetRequiredService<EtlClient>();
            Assert.Same(client, provider.GetRequiredService<EtlClient>());
            var status = await client.GetAsync(new JobId("never-submitted"));
            Assert.False(status.Exists);
        }
        finally
        {
            await provider.DisposeAsync();
        }

        // Disposed with the container: a later call says so at once rather than waiting for a timeout.
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetAsync(new JobId("never-submitted")));
    }
}
