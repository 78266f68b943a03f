using System.Text.RegularExpressions;
using Npgsql;

namespace EtlActors.Testing;

/// <summary>
/// A throwaway PostgreSQL server for tests and benchmarks, started from the machine's binaries on a
/// free loopback port with durability switched off. ETL_TEST_POSTGRES (an Npgsql admin connection
/// string) selects an existing server instead; stopping and starting it is then not supported.
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    public const string EnvironmentVariable = "ETL_TEST_POSTGRES";

    private static readonly Lazy<Task<PostgresServer>> s_shared = new(StartSharedAsync);

    private readonly string? _binDirectory;
    private readonly string? _folder;
    private readonly NpgsqlConnectionStringBuilder _admin;
    private readonly List<string> _databases = [];
    private bool _shared;
    private bool _running;

    private PostgresServer(string? binDirectory, string? folder, NpgsqlConnectionStringBuilder admin)
    {
        _binDirectory = binDirectory;
        _folder = folder;
        _admin = admin;
    }

    public bool IsExternal => _folder is null;
    public string Host => _admin.Host!;
    public int Port => _admin.Port;
    public string AdminConnectionString => _admin.ConnectionString;
    public string? LogFile => _folder is null ? null : Path.Combine(_folder, "server.log");
    private string DataDirectory => Path.Combine(_folder!, "data");

    /// <summary>One server per test process, started on first use and removed when the process exits.</summary>
    public static Task<PostgresServer> SharedAsync() => s_shared.Value;

    /// <summary>A server of its own (or the ETL_TEST_POSTGRES one); stop it with <see cref="StopAsync"/>.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } external)
            return new PostgresServer(null, null, new NpgsqlConnectionStringBuilder(external));

        var bin = PostgresTools.FindBinDirectory();
        var folder = Path.Combine(Path.GetTempPath(), "etl-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var admin = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Username = "postgres", Database = "postgres" };
        var server = new PostgresServer(bin, folder, admin);
        try
        {
            await PostgresTools.HandOverAsync(folder).ConfigureAwait(false);
            var (code, output) = await PostgresTools.RunToolAsync(bin, "initdb",
                ["-D", server.DataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions"], folder).ConfigureAwait(false);
            if (code != 0)
                throw new InvalidOperationException($"initdb failed ({code}) in {folder}:\n{output}");
            await server.StartWithFreePortAsync().ConfigureAwait(false);
            await PostgresTools.StartWatchdogAsync(bin, server.DataDirectory, folder).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.StopAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<TestDatabase> CreateDatabaseAsync(string prefix)
    {
        var name = $"{Sanitize(prefix)}_{Guid.NewGuid().ToString("N")[..10]}";
        var connection = new NpgsqlConnection(AdminConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        lock (_databases)
            _databases.Add(name);
        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name };
        var password = string.IsNullOrEmpty(_admin.Password) ? "" : ":" + Uri.EscapeDataString(_admin.Password);
        var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
        var url = $"postgresql://{Uri.EscapeDataString(_admin.Username ?? "postgres")}{password}@{host}:{Port}/{name}";
        return new TestDatabase(name, builder.ConnectionString, url);
    }

    /// <summary>Stops the server cleanly (committed work survives); the port stays reserved for <see cref="StartServerAsync"/>.</summary>
    public async Task StopServerAsync()
    {
        EnsureOwnServer();
        var (code, output) = await PostgresTools.RunToolAsync(_binDirectory!, "pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], _folder!).ConfigureAwait(false);
        if (code != 0)
            throw new InvalidOperationException($"pg_ctl stop failed ({code}): {output}\n{PostgresTools.LogTail(LogFile!)}");
        _running = false;
        // Pooled connections to the stopped server are dead; clients should open new ones.
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Starts the stopped server again on the same port.</summary>
    public async Task StartServerAsync()
    {
        EnsureOwnServer();
        var (code, output) = await PostgresTools.RunToolAsync(_binDirectory!, "pg_ctl",
            ["-D", DataDirectory, "-l", LogFile!, "-w", "-t", "60", "-o", ServerOptions(), "start"], _folder!).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException(
                $"PostgreSQL did not start on 127.0.0.1:{Port} (pg_ctl exit {code}): {output}\n--- {LogFile} (last lines) ---\n{PostgresTools.LogTail(LogFile!)}");
        }
        _running = true;
    }

    public async Task RestartAsync()
    {
        await StopServerAsync().ConfigureAwait(false);
        await StartServerAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the server and deletes its folder (for the shared server, only at process exit).</summary>
    public async Task StopAsync()
    {
        if (_shared)
            return;
        if (IsExternal)
        {
            DropDatabases();
            return;
        }
        if (_running)
            await PostgresTools.RunToolAsync(_binDirectory!, "pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], _folder!).ConfigureAwait(false);
        _running = false;
        DeleteFolder();
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private static async Task<PostgresServer> StartSharedAsync()
    {
        var server = await StartAsync().ConfigureAwait(false);
        server._shared = true;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.ShutdownAtExit();
        return server;
    }

    private async Task StartWithFreePortAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            _admin.Port = Processes.FreePorts.One();
            try
            {
                await StartServerAsync().ConfigureAwait(false);
                return;
            }
            // Another process can take the port between our probe and the server's bind.
            catch (InvalidOperationException) when (attempt < 3 && PostgresTools.LogTail(LogFile!).Contains("already in use", StringComparison.Ordinal))
            {
            }
        }
    }

    // Durability is off (the data is thrown away) and checkpoints are rare, so bulk-load benchmarks
    // measure the loader rather than the disk.
    private string ServerOptions() =>
        $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={DataDirectory} "
        + "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        + "-c max_connections=200 -c shared_buffers=256MB -c max_wal_size=2GB -c checkpoint_timeout=30min";

    private void EnsureOwnServer()
    {
        if (IsExternal)
            throw new NotSupportedException($"The server from {EnvironmentVariable} cannot be stopped or started by tests.");
    }

    private static string Sanitize(string prefix)
    {
        var clean = NotIdentifier().Replace(prefix.ToLowerInvariant(), "_");
        clean = clean.Length == 0 || char.IsDigit(clean[0]) ? "db_" + clean : clean;
        return clean.Length > 40 ? clean[..40] : clean;
    }

    [GeneratedRegex("[^a-z0-9_]")]
    private static partial Regex NotIdentifier();
}
