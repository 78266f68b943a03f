using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EtlActors.IntegrationTests.Support;

namespace EtlActors.IntegrationTests.Cluster;

/// <summary>cluster/local.sh as an operator uses it: up, status, kill, down.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LocalScriptTests : IDisposable
{
    private readonly TempFolder _dir = new();

    [Fact]
    public async Task Up_status_kill_and_down_report_one_line_per_node()
    {
        var basePort = FreePortPair();
        var environment = new Dictionary<string, string>
        {
            ["ETL_NODE_DLL"] = LocalCluster.NodeDll,
            ["ETL_RUN_DIR"] = Path.Combine(_dir.Path, "run"),
            ["ETL_BASE_PORT"] = basePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ETL_UP_TIMEOUT"] = "120",
        };
        try
        {
            var up = await ScriptAsync(environment, "up", "2");
            Assert.True(up.ExitCode == 0, up.ToString());
            var upLines = up.Stdout.Split('\n').Where(l => l.StartsWith("node", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, upLines.Count);
            Assert.Matches($@"^node1 127\.0\.0\.1:{basePort} pid \d+$", upLines[0]);
            Assert.Matches($@"^node2 127\.0\.0\.1:{basePort + 1} pid \d+$", upLines[1]);

            var killed = await ScriptAsync(environment, "kill", "2");
            Assert.True(killed.ExitCode == 0, killed.ToString());
            var status = await ScriptAsync(environment, "status");
            Assert.Equal(
                [$"{upLines[0]} running", $"{upLines[1]} dead"],
                status.Stdout.Trim().Split('\n'));

            var down = await ScriptAsync(environment, "down");
            Assert.True(down.ExitCode == 0, down.ToString());
            var pid = int.Parse(upLines[0].Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(IsRunning(pid), $"node1 (pid {pid}) still running after down\n{down}");
        }
        finally
        {
            await ScriptAsync(environment, "down"); // whatever happened above, leave nothing running
        }
    }

    private async Task<EtlResult> ScriptAsync(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "cluster", "local.sh"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return new EtlResult(process.ExitCode, await stdout, await stderr);
    }

    // A stopped node whose parent shell has gone may linger as a zombie until reaped: that is not running.
    private static bool IsRunning(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        return File.Exists(stat) && File.ReadAllText(stat).Split(' ')[2] != "Z";
    }

    /// <summary>A free port whose successor is free too (the script numbers nodes from a base port).</summary>
    private static int FreePortPair()
    {
        while (true)
        {
            var port = LocalCluster.FreePort();
            try
            {
                using var next = new TcpListener(IPAddress.Loopback, port + 1);
                next.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: try another
            }
        }
    }

    public void Dispose() => _dir.Dispose();
}
