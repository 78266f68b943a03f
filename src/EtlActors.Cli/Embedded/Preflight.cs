using EtlActors.Pipeline.Load;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EtlActors.Cli.Embedded;

/// <summary>
/// Reaches the sink and the journal before the engine starts, so a wrong host, password or path is
/// one clear line (exit 2) instead of a job that retries against a database that will never answer.
/// </summary>
internal static class Preflight
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    /// <returns>Null when both are reachable, else what is wrong.</returns>
    public static async Task<string?> CheckAsync(RunRequest request, CancellationToken cancellationToken)
    {
        foreach (var (what, text) in new[] { ("sink", request.Spec.Sink), ("journal", request.Journal) })
        {
            var address = SinkAddress.Parse(text);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Limit);
            try
            {
                if (what == "sink")
                {
                    await using var sink = SinkFactory.Create(address);
                    await sink.EnsureSchemaAsync(timeout.Token);
                }
                else
                {
                    await ConnectAsync(address, timeout.Token); // the journal creates its own tables
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or SqliteException or IOException or UnauthorizedAccessException or OperationCanceledException)
            {
                var reason = ex is OperationCanceledException ? $"no answer within {Limit.TotalSeconds:0} s" : Describe(ex);
                return $"cannot reach the {what} {address.Description}: {reason}";
            }
        }
        return null;
    }

    private static async Task ConnectAsync(SinkAddress address, CancellationToken cancellationToken)
    {
        if (address.Kind == SinkKind.PostgreSql)
        {
            await using var connection = new NpgsqlConnection(address.ToConnectionString());
            await connection.OpenAsync(cancellationToken);
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
