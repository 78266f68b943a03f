using EtlActors.Pipeline.Records;
using Microsoft.Data.Sqlite;

namespace EtlActors.Pipeline.Load;

/// <summary>
/// Loads into a SQLite file (created with its folder when missing) over one WAL-mode connection,
/// one transaction per batch. Same upsert rules as <see cref="PostgresSink"/>. Not thread-safe.
/// Microsoft.Data.Sqlite has no real async I/O, so the work runs on the caller's thread.
/// </summary>
public sealed class SqliteSink : ISink
{
    private readonly string _path;
    private readonly string _connectionString;
    private SqliteConnection? _connection;
    private Upserts? _upserts;
    private SqliteTables? _tables;

    public SqliteSink(DatabaseAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Kind != DatabaseKind.Sqlite)
            throw new ArgumentException("a SqliteSink needs a sqlite: address", nameof(address));
        _path = address.SqlitePath!;
        _connectionString = address.ToConnectionString();
        Description = address.Description;
    }

    public string Description { get; }

    public Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connection = Open();
        // BEGIN IMMEDIATE: a second process opening the same file waits instead of adding the column twice.
        using var tx = connection.BeginTransaction(deferred: false);
        Execute(connection, SqliteSql.CreateSchema, tx);
        foreach (var added in SqliteSql.AddedColumns)
        {
            using var check = connection.CreateCommand();
            check.Transaction = tx;
            check.CommandText = SqliteSql.HasColumn;
            check.Parameters.AddWithValue("$table", added.Table);
            check.Parameters.AddWithValue("$column", added.Column);
            if ((long)check.ExecuteScalar()! == 0)
            {
                Execute(connection, added.Add, tx);
                if (added.Backfill is { } backfill)
                    Execute(connection, backfill, tx);
            }
        }
        tx.Commit();
        return Task.CompletedTask;
    }

    public Task LoadAsync(LoadBatch batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var b = BatchConsolidator.Consolidate(batch);
        if (b.RowCount == 0)
            return Task.CompletedTask;
        var connection = Open();
        var upserts = _upserts ??= new Upserts(connection);
        var tables = _tables ??= new SqliteTables(connection);
        foreach (var set in b.Tables ?? [])
            tables.Ensure(set.Table); // before the batch's transaction: SQLite has no nested ones
        using var tx = connection.BeginTransaction();
        upserts.Conversations.Run(tx, b.Conversations, b.JobId);
        upserts.Participants.Run(tx, b.Participants, b.JobId);
        upserts.Messages.Run(tx, b.Messages, b.JobId);
        upserts.RawRecords.Run(tx, b.RawRecords, b.JobId);
        upserts.Quarantine.Run(tx, b.Quarantined, b.JobId);
        foreach (var set in b.Tables ?? [])
            tables.Run(tx, set, b.JobId);
        tx.Commit();
        return Task.CompletedTask;
    }

    public Task FinalizeAsync(string tenantId, string source, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var command = Open().CreateCommand();
        command.CommandText = SqliteSql.Finalize;
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$source", source);
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public Task<SinkTotals> GetTotalsAsync(string tenantId, string source, string jobId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var command = Open().CreateCommand();
        command.CommandText = SqliteSql.Totals;
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$source", source);
        command.Parameters.AddWithValue("$job", jobId);
        using var reader = command.ExecuteReader();
        reader.Read();
        return Task.FromResult(new SinkTotals(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
    }

    public Task<long> CountTableRowsAsync(string table, string tenantId, string source, string jobId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var command = Open().CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $table";
        command.Parameters.AddWithValue("$table", table);
        if ((long)command.ExecuteScalar()! == 0)
            return Task.FromResult(0L);
        command.CommandText = $"SELECT count(*) FROM {TableSql.Quote(table)} WHERE tenant_id = $tenant AND source = $source AND job_id = $job";
        command.Parameters.AddWithValue("$tenant", tenantId);
        command.Parameters.AddWithValue("$source", source);
        command.Parameters.AddWithValue("$job", jobId);
        return Task.FromResult((long)command.ExecuteScalar()!);
    }

    public ValueTask DisposeAsync()
    {
        _upserts?.Dispose();
        _upserts = null;
        _tables?.Dispose();
        _tables = null;
        _connection?.Dispose();
        _connection = null;
        return ValueTask.CompletedTask;
    }

    public override string ToString() => Description;

    private SqliteConnection Open()
    {
        if (_connection is not null)
            return _connection;
        var folder = Path.GetDirectoryName(_path);
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            Execute(connection, SqliteSql.Pragmas);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return _connection = connection;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed class Upserts(SqliteConnection c) : IDisposable
    {
        public SqliteUpsert<ConversationRow> Conversations { get; } = new(c, SqliteSql.UpsertConversations, static (r, v) =>
        {
            v[0] = SinkText.Clean(r.TenantId); v[1] = SinkText.Clean(r.Source); v[2] = SinkText.Clean(r.ConversationId);
            v[3] = SinkText.Clean(r.Kind); v[4] = SinkText.Clean(r.DisplayName); v[5] = SinkText.Clean(r.Topic);
            v[6] = r.MemberCount; v[7] = r.PropertiesJson;
        });

        public SqliteUpsert<ParticipantRow> Participants { get; } = new(c, SqliteSql.UpsertParticipants, static (r, v) =>
        {
            v[0] = SinkText.Clean(r.TenantId); v[1] = SinkText.Clean(r.Source); v[2] = SinkText.Clean(r.ParticipantId);
            v[3] = SinkText.Clean(r.DisplayName); v[4] = SinkText.Timestamp(r.NameSeenAt);
        });

        public SqliteUpsert<MessageRow> Messages { get; } = new(c, SqliteSql.UpsertMessages, static (r, v) =>
        {
            v[0] = SinkText.Clean(r.TenantId); v[1] = SinkText.Clean(r.Source); v[2] = SinkText.Clean(r.ConversationId);
            v[3] = SinkText.Clean(r.MessageId); v[4] = SinkText.Clean(r.SenderId); v[5] = SinkText.Clean(r.SenderName);
            v[6] = SinkText.Timestamp(r.SentAt); v[7] = SinkText.Clean(r.MessageType); v[8] = SinkText.Clean(r.ContentText);
            v[9] = SinkText.Clean(r.ContentRaw); v[10] = SinkText.Timestamp(r.EditedAt); v[11] = SinkText.Timestamp(r.DeletedAt);
            v[12] = r.PropertiesJson; v[13] = r.Revision; v[14] = SinkText.Clean(r.JobId); v[15] = SinkText.Clean(r.ThreadId);
        });

        public SqliteUpsert<RawRecordRow> RawRecords { get; } = new(c, SqliteSql.UpsertRawRecords, static (r, v) =>
        {
            v[0] = SinkText.Clean(r.TenantId); v[1] = SinkText.Clean(r.Source); v[2] = SinkText.Clean(r.RecordKey);
            v[3] = r.Payload; v[4] = SinkText.Clean(r.JobId); v[5] = SinkText.Timestamp(r.ExtractedAt);
        });

        public SqliteUpsert<QuarantineRow> Quarantine { get; } = new(c, SqliteSql.UpsertQuarantine, static (r, v) =>
        {
            v[0] = SinkText.Clean(r.JobId); v[1] = r.RecordOffset; v[2] = SinkText.Clean(r.ErrorCode);
            v[3] = SinkText.Clean(r.Message); v[4] = SinkText.Clean(r.Payload);
        });

        public void Dispose()
        {
            Conversations.Dispose();
            Participants.Dispose();
            Messages.Dispose();
            RawRecords.Dispose();
            Quarantine.Dispose();
        }
    }
}
