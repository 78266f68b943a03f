using System.Data;
using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Telemetry;
using Npgsql;

namespace EtlActors.Pipeline.Load;

/// <summary>
/// Loads into PostgreSQL over one connection (reopened when the server drops it), a batch per transaction: new
/// messages and raw records are binary-COPYed straight into their tables; rows that may be there already, and
/// conversations, participants, quarantine and mapped tables, into temp staging tables and upserted from there.
/// Not thread-safe: one loader owns one sink.
/// </summary>
public sealed class PostgresSink : ISink
{
    private readonly string _connectionString;
    private readonly PostgresSql _sql;
    private readonly PostgresTables _tables;
    private readonly string _schema;
    private const string DirectSavepoint = "etl_direct";
    private readonly DirectCopyPolicy _direct = new();
    private NpgsqlConnection? _connection;
    private bool _stagingReady;

    public PostgresSink(DatabaseAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Kind != DatabaseKind.PostgreSql)
            throw new ArgumentException("a PostgresSink needs a postgresql:// address", nameof(address));
        _connectionString = new NpgsqlConnectionStringBuilder(address.ToConnectionString())
        {
            ApplicationName = "etl-actors",
            // COPY streams faster through a larger buffer; the upserts are the same few statements every batch.
            WriteBufferSize = 64 * 1024,
            MaxAutoPrepare = 16,
        }.ToString();
        _sql = new PostgresSql(address.Schema);
        _tables = new PostgresTables(address.Schema);
        _schema = address.Schema;
        Description = address.Description;
    }

    public string Description { get; }

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (tx.ConfigureAwait(false))
        {
            await ExecuteAsync(connection, tx, _sql.LockSchema, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, tx, _sql.CreateSchema, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task LoadAsync(LoadBatch batch, CancellationToken cancellationToken)
    {
        var b = BatchConsolidator.Consolidate(batch);
        if (b.RowCount == 0)
            return;
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!_stagingReady)
        {
            await ExecuteAsync(connection, null, PostgresSql.CreateStaging, cancellationToken).ConfigureAwait(false);
            _stagingReady = true;
        }
        foreach (var set in b.Tables ?? [])
            await _tables.EnsureAsync(connection, set.Table, cancellationToken).ConfigureAwait(false);

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await LoadOnceAsync(connection, b, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < DeadlockAttempts)
            {
                // PostgreSQL broke a deadlock with another job loading the same new rows by failing this batch's
                // upsert (see TryCopyDirectAsync). The transaction was rolled back whole, and the other one goes on:
                // loading the batch again is safe, and spares the job a failed batch and its retry budget.
            }
        }
    }

    private const int DeadlockAttempts = 3;

    private async Task LoadOnceAsync(NpgsqlConnection connection, LoadBatch b, CancellationToken cancellationToken)
    {
        var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (tx.ConfigureAwait(false))
        {
            var path = await TryCopyDirectAsync(connection, tx, b, cancellationToken).ConfigureAwait(false);
            var staged = path != LoadPath.Direct;
            await PostgresCopy.ConversationsAsync(connection, PostgresCopy.Stage("conversations"), b.Conversations, cancellationToken).ConfigureAwait(false);
            await PostgresCopy.ParticipantsAsync(connection, PostgresCopy.Stage("participants"), b.Participants, cancellationToken).ConfigureAwait(false);
            if (staged)
            {
                await PostgresCopy.MessagesAsync(connection, PostgresCopy.Stage("messages"), b.Messages, cancellationToken).ConfigureAwait(false);
                await PostgresCopy.RawRecordsAsync(connection, PostgresCopy.Stage("raw_records"), b.RawRecords, cancellationToken).ConfigureAwait(false);
            }
            await PostgresCopy.QuarantineAsync(connection, PostgresCopy.Stage("quarantine"), b.Quarantined, cancellationToken).ConfigureAwait(false);

            // One round trip for every upsert of the batch. Conversations and participants last: every loader's batch
            // touches the same few of those rows, and their row locks last until the commit, so taken first they made
            // the other loader wait through this batch's whole upsert (bench/README.md, "Where etl's CPU goes"). Each
            // upsert takes its rows in key order, and every batch the tables in this order, so no two upserts can
            // deadlock. A direct COPY takes its rows in the batch's order; see TryCopyDirectAsync.
            using var upserts = new NpgsqlBatch(connection, tx);
            var jobId = SinkText.Clean(b.JobId);
            AddIf(upserts, staged ? b.Messages.Count : 0, _sql.UpsertMessages);
            AddIf(upserts, staged ? b.RawRecords.Count : 0, _sql.UpsertRawRecords);
            AddIf(upserts, b.Quarantined.Count, _sql.UpsertQuarantine);
            foreach (var set in b.Tables ?? [])
                upserts.BatchCommands.Add(_tables.Upsert(set, jobId));
            AddIf(upserts, b.Conversations.Count, _sql.UpsertConversations, jobId);
            AddIf(upserts, b.Participants.Count, _sql.UpsertParticipants, jobId);
            if (upserts.BatchCommands.Count > 0)
                await upserts.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            LastPath = path;
            PipelineMetrics.LoadBatch(path);
        }
    }

    /// <summary>How the last batch's messages and raw records went in (for tests; operators see <c>etl.load.batches</c>).</summary>
    internal LoadPath LastPath { get; private set; }

    // New rows go straight into messages and raw_records by COPY, inside a savepoint; a row already there (or
    // another job's uncommitted one) rolls the savepoint back, and the batch is staged and upserted as before
    // (DirectCopyPolicy). The batch is consolidated, so it cannot collide with itself. Only two jobs loading the same
    // new rows at once can deadlock here (a COPY takes its rows in the batch's order): PostgreSQL then fails one of
    // them, inside this savepoint (the batch is staged) or in the other job's upsert (LoadAsync loads it again).
    private async Task<LoadPath> TryCopyDirectAsync(NpgsqlConnection connection, NpgsqlTransaction tx, LoadBatch b, CancellationToken cancellationToken)
    {
        if (b.Messages.Count + b.RawRecords.Count == 0 || !_direct.TryDirect())
            return LoadPath.Staged;
        await tx.SaveAsync(DirectSavepoint, cancellationToken).ConfigureAwait(false);
        try
        {
            await PostgresCopy.MessagesAsync(connection, _sql.Messages, b.Messages, cancellationToken).ConfigureAwait(false);
            await PostgresCopy.RawRecordsAsync(connection, _sql.RawRecords, b.RawRecords, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected)
        {
            await tx.RollbackAsync(DirectSavepoint, cancellationToken).ConfigureAwait(false);
            _direct.Collided();
            return LoadPath.Collided;
        }
        _direct.Copied();
        return LoadPath.Direct;
    }

    public async Task FinalizeAsync(string tenantId, string source, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = new NpgsqlCommand(_sql.Finalize, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<SinkTotals> GetTotalsAsync(string tenantId, string source, string jobId, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = new NpgsqlCommand(_sql.Totals, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jobId });
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new SinkTotals(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
        }
    }

    public async Task<long> CountTableRowsAsync(string table, string tenantId, string source, string jobId, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var name = $"{_schema}.{TableSql.Quote(table)}";
        using var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
        exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            return 0;
        using var command = new NpgsqlCommand($"SELECT count(*) FROM {name} WHERE tenant_id = $1 AND source = $2 AND job_id = $3", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jobId });
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync().ConfigureAwait(false);
        _connection = null;
    }

    public override string ToString() => Description;

    // A restarted server or a dropped network leaves the connection broken: the next call starts afresh
    // (its staging tables went with the old session).
    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_connection is { FullState: ConnectionState.Open })
            return _connection;
        await DisposeAsync().ConfigureAwait(false);
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        _connection = connection;
        _stagingReady = false;
        return connection;
    }

    private static void AddIf(NpgsqlBatch batch, int rows, string sql, string? jobId = null)
    {
        if (rows == 0)
            return;
        var command = new NpgsqlBatchCommand(sql);
        if (jobId is not null)
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jobId });
        batch.BatchCommands.Add(command);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
