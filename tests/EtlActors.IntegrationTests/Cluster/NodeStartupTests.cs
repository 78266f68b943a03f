using System.Text.Json;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Processes;
using EtlActors.Testing.Security;

namespace EtlActors.IntegrationTests.Cluster;

/// <summary>How an operator starts `etl-node`: settings from a file and the environment, logs as JSON when asked.</summary>
[Collection(ClusterCommandsCollection.Name)]
public sealed class NodeStartupTests(ClusterFixture fixture) : IDisposable
{
    private readonly TempFolder _dir = new();

    [Fact]
    public async Task A_node_takes_its_settings_from_a_config_file_and_logs_json_when_asked()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("node_config_journal");
        var port = FreePorts.One();
        var config = _dir.File("node.json");
        // The test server trusts loopback, so any password is accepted; it must never be printed.
        var withPassword = journal.Url.Replace("://postgres@", "://postgres:s3cret-pw@", StringComparison.Ordinal);
        var tls = DevCertificates.Shared;
        await File.WriteAllTextAsync(config, $$"""
            { "Etl": { "Hostname": "127.0.0.1", "Port": {{port}}, "Journal": "{{withPassword}}", "SeedNodes": [ "akka.ssl.tcp://etl@127.0.0.1:{{port}}" ],
              "Tls": { "CertificatePath": "{{tls.NodePfx}}", "CertificatePasswordFile": "{{tls.PasswordFile}}", "CaCertificatePath": "{{tls.CaPath}}" },
              "Http": { "Port": 0 } } }
            """);
        using var node = RunningProcess.StartDll(Binaries.NodeDll(), _dir.Path, new Dictionary<string, string> { ["ETL_LOG_FORMAT"] = "json" }, "--config", config);

        var up = await node.WaitForLineAsync(l => l.Contains("cluster member up", StringComparison.Ordinal), TimeSpan.FromSeconds(90));

        using var json = JsonDocument.Parse(up);
        // Compact JSON: the rendered message, the level only when it is not Information, and the properties at the top.
        Assert.False(json.RootElement.TryGetProperty("@l", out _));
        Assert.Equal($"cluster member up: akka.ssl.tcp://etl@127.0.0.1:{port} (roles: )", json.RootElement.GetProperty("@m").GetString());
        Assert.Equal($"127.0.0.1:{port}", json.RootElement.GetProperty("Node").GetString());
        Assert.Contains(node.Output().Split('\n'), l => l.Contains("etl-node starting on 127.0.0.1:", StringComparison.Ordinal) && l.Contains("journal postgresql://postgres@", StringComparison.Ordinal));
        // Kestrel starts after Akka's hosted service, so this line may come after "member up".
        await node.WaitForLineAsync(l => l.Contains("metrics and health on http://127.0.0.1:", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("s3cret-pw", node.Output());

        node.Signal("TERM");
        var exit = await node.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exit.ExitCode == 0, exit.ToString());
    }

    [Fact]
    public async Task A_missing_config_file_stops_the_node_with_a_clear_error()
    {
        using var node = RunningProcess.StartDll(Binaries.NodeDll(), _dir.Path, null, "--config", "no-such-node.json");

        var exit = await node.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, exit.ExitCode);
        Assert.Equal("error: no-such-node.json: configuration file not found", exit.Stderr.Trim());
    }

    public void Dispose() => _dir.Dispose();
}
