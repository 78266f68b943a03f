using Npgsql;

namespace EtlActors.IntegrationTests.Support;

/// <summary>
/// Stops a running load at a given count of raw records and holds it there, so a test's kill lands at the point it
/// names. Polling alone cannot promise that near the end: the last few batches load faster than a poll and a kill,
/// and the job completes before it is killed. The gate is an EXCLUSIVE lock on <c>etl.raw_records</c> (readers pass,
/// writers wait): near the count it opens only between two lock requests, which lets through just the batches
/// already waiting (one per loader), and it stays shut once the count is reached. While it is held, no batch can
/// commit, so the job cannot complete whatever the machine's speed.
/// </summary>
public sealed class LoadGate : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private NpgsqlTransaction? _held;

    private LoadGate(NpgsqlConnection connection) => _connection = connection;

    /// <summary>The committed raw records when the gate shut; at least the count asked for.</summary>
    public long Loaded { get; private set; }

    /// <summary>
    /// Waits until at least <paramref name="records"/> raw records are committed and returns with the load held there.
    /// Batches must be small beside the records left after <paramref name="records"/> (two loaders' batches can pass
    /// at the last opening); the gate steps from <paramref name="stepFrom"/> records on and polls freely before that.
    /// </summary>
    public static async Task<LoadGate> HoldAtAsync(string connectionString, TimeSpan within, long records, long stepFrom)
    {
        var gate = new LoadGate(new NpgsqlConnection(connectionString));
        try
        {
            await gate._connection.OpenAsync();
            using var deadline = new CancellationTokenSource(within);
            using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            while (await gate.CountAsync(deadline.Token) < Math.Max(1, stepFrom))
                await ticks.WaitForNextTickAsync(deadline.Token);
            while (true)
            {
                gate._held = await gate._connection.BeginTransactionAsync(deadline.Token);
                await using (var lockTable = new NpgsqlCommand("LOCK TABLE etl.raw_records IN EXCLUSIVE MODE", gate._connection, gate._held))
                    await lockTable.ExecuteNonQueryAsync(deadline.Token);
                gate.Loaded = await gate.CountAsync(deadline.Token);
                if (gate.Loaded >= records)
                    return gate;
                await gate._held.CommitAsync(deadline.Token);
                await gate._held.DisposeAsync();
                gate._held = null;
            }
        }
        catch
        {
            await gate.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_held is not null)
            await _held.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM etl.raw_records", _connection, _held);
        try
        {
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0; // the schema is not there yet
        }
    }
}
