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
        var environment = ScriptEnvironment(Path.Combine(_dir.Path, "run"), basePort, httpPort);
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

    [Fact]
    public async Task Status_and_down_in_a_new_shell_find_the_cluster_up_started_elsewhere()
    {
        var basePort = FreePorts.Consecutive(1);
        var httpPort = FreePorts.Consecutive(1);
        var environment = ScriptEnvironment("run", basePort, httpPort); // the run folder relative to where 'up' ran
        var runDir = Path.Combine(_dir.Path, "run");
        try
        {
            var up = await EtlProcess.RunProgramAsync("bash", [Script, "up", "1"], _dir.Path, environment);
            Assert.True(up.ExitCode == 0, up.ToString());
            Assert.Contains("manage: cluster/local.sh status | kill I | down      (from any shell)\n", up.Stdout);
            var node = up.Stdout.Split('\n').Single(l => l.StartsWith("node1 ", StringComparison.Ordinal));

            // The submit hint is one command to paste here; from the repository with the default run folder it is the
            // README's, word for word.
            var submit = up.Stdout.Split('\n').Single(l => l.StartsWith("submit: ", StringComparison.Ordinal))["submit: ".Length..];
            Assert.Contains(
                submit.Replace("source run/client.env", "source cluster/.run/client.env", StringComparison.Ordinal)
                    .Replace(RepoPaths.Root + "/", "", StringComparison.Ordinal),
                File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")), StringComparison.Ordinal);
            var pasted = await EtlProcess.RunProgramAsync("bash", ["-c", submit], _dir.Path, null);
            Assert.True(pasted.ExitCode == 0, $"{submit}\n{pasted}");
            Assert.Matches("^skype-[0-9a-f]{12}$", pasted.Stdout.Trim());

            var status = await NewShellAsync("status");
            Assert.True(status.ExitCode == 0, status.ToString());
            Assert.Equal($"{node} running", status.Stdout.Trim());

            var down = await NewShellAsync("down");
            Assert.True(down.ExitCode == 0, down.ToString());
            Assert.Equal(["node1 stopped", "postgres stopped"], down.Stdout.Trim().Split('\n'));
            var pid = int.Parse(node.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(IsRunning(pid), $"node1 (pid {pid}) still running after down\n{down}");
            Assert.False(File.Exists(Path.Combine(runDir, "state")), "down left the cluster's state");
        }
        finally
        {
            await ScriptAsync(new Dictionary<string, string>(environment) { ["ETL_RUN_DIR"] = runDir }, "down");
        }
    }

    [Fact]
    public async Task A_mistaken_command_gets_one_line_naming_the_commands_help_lists()
    {
        var help = await ScriptAsync([], "help");
        var mistake = await ScriptAsync([], "stat");

        Assert.Equal(0, help.ExitCode);
        // The commands' block: after the usage line, up to the next blank line; each command's line starts "  name".
        var commands = help.Stdout.Split('\n').SkipWhile(l => l != "").Skip(1).TakeWhile(l => l != "")
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, "^  ([a-z]+)( |$)"))
            .Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["up", "status", "kill", "down", "help"], commands);
        Assert.Equal(2, mistake.ExitCode);
        Assert.Equal(
            ["error: unknown command 'stat' (up, status, kill, down or help)", "see 'cluster/local.sh help'"],
            mistake.Stderr.TrimEnd().Split('\n'));
    }

    private static string Script => Path.Combine(RepoPaths.Root, "cluster", "local.sh");

    // Another shell: from the repository, and with none of the variables 'up' was given.
    private static Task<ProcessResult> NewShellAsync(string command) =>
        EtlProcess.RunProgramAsync("env", ["-u", "ETL_RUN_DIR", "-u", "ETL_BASE_PORT", "-u", "ETL_HTTP_BASE_PORT", "-u", "ETL_NODE_DLL", "bash", Script, command],
            RepoPaths.Root, null);

    // What the script reads, and the tolerant failure-detector timing its nodes inherit (they share CI's two cores).
    private static Dictionary<string, string> ScriptEnvironment(string runDir, int basePort, int httpPort) =>
        new(LocalCluster.StarvedNodeTiming)
        {
            ["ETL_NODE_DLL"] = Binaries.NodeDll(),
            ["ETL_RUN_DIR"] = runDir,
            ["ETL_BASE_PORT"] = basePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ETL_HTTP_BASE_PORT"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ETL_UP_TIMEOUT"] = "120",
        };

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
