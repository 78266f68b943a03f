using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Cluster;

/// <summary>cluster/local.sh as an operator uses it: up, status, kill, down.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LocalScriptTests : IDisposable
{
    private readonly TempFolder _dir = new();

    [Fact]
    public async Task Up_status_kill_and_down_report_one_line_per_node()
    {
        var basePort = FreePorts.Consecutive(2); // the script numbers nodes from a base port
        var httpPort = FreePorts.Consecutive(2); // and their metrics ports from another
        var environment = new Dictionary<string, string>
        {
            ["ETL_NODE_DLL"] = Binaries.NodeDll(),
            ["ETL_RUN_DIR"] = Path.Combine(_dir.Path, "run"),
            ["ETL_BASE_PORT"] = basePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ETL_HTTP_BASE_PORT"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ETL_UP_TIMEOUT"] = "120",
        };
        try
        {
            var up = await ScriptAsync(environment, "up", "2");
            Assert.True(up.ExitCode == 0, up.ToString());
            var upLines = up.Stdout.Split('\n').Where(l => l.StartsWith("node", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, upLines.Count);
            Assert.Matches($@"^node1 127\.0\.0\.1:{basePort} metrics http://127\.0\.0\.1:{httpPort}/metrics pid \d+$", upLines[0]);
            Assert.Matches($@"^node2 127\.0\.0\.1:{basePort + 1} metrics http://127\.0\.0\.1:{httpPort + 1}/metrics pid \d+$", upLines[1]);
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
                Assert.Contains("etl_cluster_members", await http.GetStringAsync($"http://127.0.0.1:{httpPort + 1}/metrics"), StringComparison.Ordinal);

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

    private static Task<ProcessResult> ScriptAsync(Dictionary<string, string> environment, params string[] args) =>
        EtlProcess.RunProgramAsync("bash", [Path.Combine(RepoPaths.Root, "cluster", "local.sh"), .. args], RepoPaths.Root, environment);

    // A stopped node whose parent shell has gone may linger as a zombie until reaped: that is not running.
    private static bool IsRunning(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        return File.Exists(stat) && File.ReadAllText(stat).Split(' ')[2] != "Z";
    }

    public void Dispose() => _dir.Dispose();
}
