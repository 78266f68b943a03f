using EtlActors.Pipeline.Load;
using Npgsql;

namespace EtlActors.Cli.Embedded;

/// <summary>
/// One embedded run per journal at a time. Each `etl run` hosts its own engine, and two of them on one journal
/// would both write its job registry (and a job run by both, its supervisor) under the same persistence ids:
/// failed persists and retries. The second run waits for the first and says so.
/// </summary>
internal sealed class JournalLock : IAsyncDisposable
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(250);
    private readonly IAsyncDisposable _held;

    private JournalLock(IAsyncDisposable held) => _held = held;

    /// <summary>Takes the journal's lock, calling <paramref name="waiting"/> once if another run holds it.</summary>
    public static async Task<JournalLock> AcquireAsync(string journal, Action<string> waiting, CancellationToken cancellationToken)
    {
        var address = DatabaseAddress.Parse(journal);
        var said = false;
        while (true)
        {
            var held = address.Kind == DatabaseKind.Sqlite
                ? TryLockFile(address.SqlitePath! + ".lock")
                : await TryLockPostgresAsync(address, cancellationToken);
            if (held is not null)
                return new JournalLock(held);
            if (!said)
                waiting($"waiting: another etl run is using the journal {address.Description}; this run starts when it ends");
            said = true;
            await Task.Delay(RetryEvery, cancellationToken);
        }
    }

    private static FileStream? TryLockFile(string path)
    {
        try
        {
            // FileShare.None takes an flock, which the OS releases if this process dies, so a killed run never
            // leaves the journal locked. The file stays: deleting it on close would let a third run lock a new one.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task<IAsyncDisposable?> TryLockPostgresAsync(DatabaseAddress address, CancellationToken cancellationToken)
    {
        // A session lock: held by this connection until it closes, or the server sees the process gone.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(address.ToConnectionString()) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtext('etl-actors embedded journal'))", connection);
        if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
            return connection;
        await connection.DisposeAsync();
        return null;
    }

    public ValueTask DisposeAsync() => _held.DisposeAsync();
}
