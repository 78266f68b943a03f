using System.Net;
using System.Net.Sockets;
using EtlActors.IntegrationTests.Cluster;
using EtlActors.Testing;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Cli;

/// <summary>What `etl` says when its --cluster contact is not a node it can talk to: a wrong spelling, a closed port, a silent one.</summary>
[Collection(ClusterCommandsCollection.Name)]
public sealed class ClusterContactTests
{
    [Fact]
    public async Task A_contact_spelt_localhost_for_a_node_that_announces_127_0_0_1_is_told_the_address_to_use()
    {
        await using var cluster = await CliCluster.StartAsync("cli_contact_journal");
        var port = cluster.Ports[0];

        var result = await EtlProcess.RunAsync(Path.GetTempPath(), "jobs", "list", "--cluster", $"localhost:{port}");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal($"error: the node at localhost:{port} answers to 127.0.0.1:{port}; use --cluster 127.0.0.1:{port}", result.Stderr.Trim());
        var listed = await EtlProcess.RunAsync(Path.GetTempPath(), "jobs", "list", "--cluster", $"127.0.0.1:{port}");
        Assert.True(listed.ExitCode == 0, listed.ToString());
    }

    [Fact]
    public async Task A_port_nothing_listens_on_is_told_without_waiting_for_the_connect_timeout()
    {
        var port = FreePorts.One();
        // A timeout far longer than the test's guard: only the refusal can end the command in time.
        var result = await EtlProcess.RunProgramAsync("dotnet", [Binaries.EtlDll, "jobs", "list", "--cluster", $"127.0.0.1:{port}"], Path.GetTempPath(),
            new Dictionary<string, string> { ["ETL_CONNECT_TIMEOUT"] = "600" }, timeout: TimeSpan.FromMinutes(2));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: cannot reach the cluster at 127.0.0.1:{port}: nothing listens there (connection refused; is a node running on that port?)", result.Stderr.Trim());
    }

    [Fact]
    public async Task A_port_that_accepts_but_never_answers_times_out_after_20_s_by_default_or_ETL_CONNECT_TIMEOUT()
    {
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
            var byDefault = EtlProcess.RunAsync(Path.GetTempPath(), "jobs", "list", "--cluster", $"127.0.0.1:{port}");
            var set = EtlProcess.RunAsync(Path.GetTempPath(), new Dictionary<string, string> { ["ETL_CONNECT_TIMEOUT"] = "3" }, "jobs", "list", "--cluster", $"127.0.0.1:{port}");

            foreach (var (result, seconds) in new[] { (await byDefault, 20), (await set, 3) })
            {
                Assert.True(result.ExitCode == 1, result.ToString());
                Assert.Equal($"error: cannot reach the cluster at 127.0.0.1:{port} within {seconds} s (is a node running and reachable there? nodes refuse a client whose certificate their CA did not issue: check ETL_TLS_CERT and ETL_TLS_CA)", result.Stderr.Trim());
            }
        }
        finally
        {
            listener.Stop();
            await accepting;
            foreach (var socket in accepted)
                socket.Dispose();
        }
    }

    [Theory]
    [InlineData("ETL_CONNECT_TIMEOUT", "soon")]
    [InlineData("ETL_CONNECT_TIMEOUT", "0")]
    [InlineData("ETL_REQUEST_TIMEOUT", "soon")]
    [InlineData("ETL_REQUEST_TIMEOUT", "601")]
    public async Task A_timeout_that_is_not_a_number_of_seconds_is_a_usage_mistake(string variable, string value)
    {
        var result = await EtlProcess.RunAsync(Path.GetTempPath(), new Dictionary<string, string> { [variable] = value }, "jobs", "list", "--cluster", "127.0.0.1:9");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: {variable}={value} is not a number of seconds from 1 to 600", result.Stderr.Trim());
    }

    [Fact]
    public async Task The_cluster_option_names_both_timeouts_and_their_defaults()
    {
        var help = await EtlProcess.RunAsync(Path.GetTempPath(), "jobs", "list", "--help");

        Assert.Equal(0, help.ExitCode);
        var text = string.Join(' ', help.Stdout.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)); // the help wraps lines
        Assert.Contains("ETL_CONNECT_TIMEOUT sets how many seconds to wait for it (default 20), ETL_REQUEST_TIMEOUT for an answer (default 30).", text);
    }
}
