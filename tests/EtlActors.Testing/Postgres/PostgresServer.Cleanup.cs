using Npgsql;

namespace EtlActors.Testing;

public sealed partial class PostgresServer
{
    // The test host is often killed moments after this runs, so only the instant part happens here
    // (an immediate-shutdown signal); the watchdog started with the server removes the folder.
    private void ShutdownAtExit()
    {
        if (IsExternal)
            DropDatabases();
        else if (_running)
            PostgresTools.SignalImmediateShutdown(DataDirectory);
    }

    private void DropDatabases()
    {
        string[] names;
        lock (_databases)
        {
            names = [.. _databases];
            _databases.Clear();
        }
        try
        {
            using var connection = new NpgsqlConnection(AdminConnectionString);
            connection.Open();
            foreach (var name in names)
            {
                using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
                command.ExecuteNonQuery();
            }
        }
        catch (NpgsqlException)
        {
            // Best effort at exit: a leftover test database is harmless.
        }
    }

    private void DeleteFolder()
    {
        try
        {
            if (_folder is not null && Directory.Exists(_folder))
                Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
