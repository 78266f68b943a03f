using Microsoft.Data.Sqlite;
using Npgsql;

namespace EtlActors.Pipeline.Load;

/// <summary>
/// Whether a database answers, told before a job starts, so a wrong host, password or path is one clear line
/// rather than a job retrying against a database that will never answer. Messages name no password.
/// </summary>
public static class Reachability
{
    /// <summary>Null when the sink answers and has (or now has) the data contract's tables, else what is wrong.</summary>
    public static Task<string?> CheckSinkAsync(DatabaseAddress address, TimeSpan limit, CancellationToken cancellationToken) =>
        CheckAsync("sink", address, limit, async token =>
        {
            await using var sink = SinkFactory.Create(address);
            await sink.EnsureSchemaAsync(token);
        }, cancellationToken);

    /// <summary>Null when a journal's database answers (the journal creates its own tables), else what is wrong.</summary>
    public static Task<string?> CheckJournalAsync(DatabaseAddress address, TimeSpan limit, CancellationToken cancellationToken) =>
        CheckDatabaseAsync("journal", address, limit, cancellationToken);

    /// <summary>
    /// Null when the database answers, else what is wrong, naming it as <paramref name="what"/>. Touches no table, so it
    /// suits a probe that runs every few seconds (a node's readiness), where <see cref="CheckSinkAsync"/>'s schema check would not.
    /// </summary>
    public static Task<string?> CheckDatabaseAsync(string what, DatabaseAddress address, TimeSpan limit, CancellationToken cancellationToken) =>
        CheckAsync(what, address, limit, token => ConnectAsync(address, token), cancellationToken);

    private static async Task<string?> CheckAsync(string what, DatabaseAddress address, TimeSpan limit, Func<CancellationToken, Task> reach, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await reach(timeout.Token);
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or SqliteException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            var reason = ex is OperationCanceledException ? $"no answer within {limit.TotalSeconds:0} s" : Describe(ex);
            return $"cannot reach the {what} {address.Description}: {reason}";
        }
    }

    private static async Task ConnectAsync(DatabaseAddress address, CancellationToken cancellationToken)
    {
        if (address.Kind == DatabaseKind.PostgreSql)
        {
            await using var connection = new NpgsqlConnection(address.ToConnectionString());
            await connection.OpenAsync(cancellationToken);
            // A round trip: a connection from the pool may have outlived its server, and opening it would not tell.
            await using var ping = new NpgsqlCommand("SELECT 1", connection);
            await ping.ExecuteScalarAsync(cancellationToken);
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(address.SqlitePath!)!);
        await using var file = new SqliteConnection(address.ToConnectionString());
        await file.OpenAsync(cancellationToken);
    }

    private static string Describe(Exception ex) => ex switch
    {
        PostgresException p => p.MessageText,
        _ => ex.GetBaseException().Message,
    };
}
