using System.Diagnostics;
using System.Globalization;

namespace EtlActors.Testing;

/// <summary>The machine's PostgreSQL binaries, run as the <c>postgres</c> user when we are root (initdb refuses root).</summary>
internal static class PostgresTools
{
    private const string Root = "/usr/lib/postgresql";

    public static bool AsPostgresUser { get; } = Environment.UserName == "root";

    public static string FindBinDirectory()
    {
        var newest = Directory.Exists(Root)
            ? Directory.GetDirectories(Root)
                .Select(dir => (Dir: Path.Combine(dir, "bin"), Version: int.TryParse(Path.GetFileName(dir), out var v) ? v : -1))
                .Where(c => c.Version >= 0 && File.Exists(Path.Combine(c.Dir, "pg_ctl")) && File.Exists(Path.Combine(c.Dir, "initdb")))
                .OrderByDescending(c => c.Version)
                .Select(c => c.Dir)
                .FirstOrDefault()
            : null;
        return newest ?? throw new InvalidOperationException(
            $"No PostgreSQL server binaries under {Root}/<version>/bin: install the server package " +
            "(e.g. `apt-get install postgresql`), or set ETL_TEST_POSTGRES to an admin connection string of a running server.");
    }

    /// <summary>The folder and its contents become the postgres user's, and every parent lets that user through.</summary>
    public static async Task HandOverAsync(string folder)
    {
        if (!AsPostgresUser || OperatingSystem.IsWindows())
            return;
        for (var dir = Path.GetDirectoryName(folder); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            var mode = File.GetUnixFileMode(dir);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
                File.SetUnixFileMode(dir, mode | UnixFileMode.OtherExecute);
        }
        var (code, output) = await RunAsync("chown", ["-R", "postgres", folder], folder).ConfigureAwait(false);
        if (code != 0)
            throw new InvalidOperationException($"chown -R postgres {folder} failed ({code}): {output}");
    }

    /// <summary>Runs a PostgreSQL tool (as postgres when root) and returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RunToolAsync(string binDirectory, string tool, IEnumerable<string> args, string workingDirectory)
    {
        var path = Path.Combine(binDirectory, tool);
        return AsPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. args], workingDirectory)
            : RunAsync(path, args, workingDirectory);
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> args, string workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The test's own folder may be closed to the postgres user.
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish within 2 minutes");
        }
        return (process.ExitCode, ((await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false))).Trim());
    }

    /// <summary>
    /// A detached shell that outlives this process (even a kill -9) and then stops the server with
    /// <c>pg_ctl stop -m immediate</c> and deletes its folder, so no test run leaves a server behind.
    /// </summary>
    public static async Task StartWatchdogAsync(string binDirectory, string dataDirectory, string folder)
    {
        const string script = """
            exec </dev/null >/dev/null 2>&1
            while kill -0 "$1" 2>/dev/null; do sleep 1; done
            if [ "$5" = root ]; then runuser -u postgres -- "$2" -D "$3" -m immediate -w stop; else "$2" -D "$3" -m immediate -w stop; fi
            rm -rf "$4"
            """;
        var (code, output) = await RunAsync("setsid", ["-f", "sh", "-c", script, "etl-pg-watchdog",
            Environment.ProcessId.ToString(CultureInfo.InvariantCulture), Path.Combine(binDirectory, "pg_ctl"), dataDirectory, folder,
            AsPostgresUser ? "root" : "user"], folder).ConfigureAwait(false);
        if (code != 0)
            throw new InvalidOperationException($"could not start the server's clean-up watchdog ({code}): {output}");
    }

    /// <summary>What <c>pg_ctl stop -m immediate</c> does, without waiting: SIGQUIT to the postmaster.</summary>
    public static void SignalImmediateShutdown(string dataDirectory)
    {
        try
        {
            var pid = File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First().Trim();
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-QUIT", pid]) { UseShellExecute = false });
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // The watchdog stops it anyway.
        }
    }

    public static string LogTail(string logFile, int lines = 30)
    {
        try
        {
            return File.Exists(logFile) ? string.Join('\n', File.ReadLines(logFile).TakeLast(lines)) : "(no server log)";
        }
        catch (IOException ex)
        {
            return $"(server log unreadable: {ex.Message})";
        }
    }
}
