using System.Globalization;
using EtlActors.Pipeline.Records;
using Microsoft.Data.Sqlite;

namespace EtlActors.Pipeline.Load;

/// <summary>Named tables in a SQLite sink: created (or given new columns) on first sight, then upserted row by row.</summary>
internal sealed class SqliteTables(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteUpsert<TableRow>> _upserts = [];

    /// <summary>Makes <paramref name="shape"/>'s table exist with all its columns; once per table and connection.</summary>
    public void Ensure(TableShape shape)
    {
        if (_upserts.ContainsKey(shape.Signature))
            return;
        using (var tx = connection.BeginTransaction(deferred: false)) // another process creating the same table waits
        {
            Execute(Create(shape), tx);
            var existing = Columns(shape.Name, tx);
            foreach (var column in shape.Columns.Where(c => !existing.ContainsKey(c.Name)))
                Execute($"ALTER TABLE {TableSql.Quote(shape.Name)} ADD COLUMN {TableSql.Quote(column.Name)} {Type(column.Type)}", tx);
            var key = existing.Where(c => c.Value > 0).OrderBy(c => c.Value).Select(c => c.Key).ToList();
            if (key.Count > 0 && !key.SequenceEqual(TableSql.PrimaryKey(shape)))
                throw TableSql.KeyMismatch(shape, key);
            tx.Commit();
        }
        _upserts[shape.Signature] = new SqliteUpsert<TableRow>(connection, Upsert(shape), Binder(shape));
    }

    /// <summary>Upserts <paramref name="set"/> in the batch's transaction; its table must be <see cref="Ensure"/>d first.</summary>
    public void Run(SqliteTransaction tx, TableRowSet set, string jobId) => _upserts[set.Table.Signature].Run(tx, set.Rows, jobId);

    public void Dispose()
    {
        foreach (var upsert in _upserts.Values)
            upsert.Dispose();
        _upserts.Clear();
    }

    private static string Create(TableShape shape)
    {
        var columns = shape.Columns.Select(c =>
            $"{TableSql.Quote(c.Name)} {Type(c.Type)}{(shape.Key.Contains(c.Name) ? " NOT NULL" : "")}");
        return $"""
            CREATE TABLE IF NOT EXISTS {TableSql.Quote(shape.Name)} (
                tenant_id TEXT NOT NULL, source TEXT NOT NULL, {string.Join(", ", columns)},
                source_line INTEGER NOT NULL, job_id TEXT NOT NULL,
                PRIMARY KEY ({TableSql.KeyList(shape)}))
            """;
    }

    // Parameters $p0… in InsertColumns order, then $job (see SqliteUpsert).
    private static string Upsert(TableShape shape)
    {
        var columns = TableSql.InsertColumns(shape);
        var (set, where) = TableSql.Update(shape, TableSql.Quote(shape.Name), "IS NOT");
        return $"""
            INSERT INTO {TableSql.Quote(shape.Name)} ({string.Join(", ", columns.Select(TableSql.Quote))}, job_id)
            VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))}, {SqliteSql.JobParameter})
            ON CONFLICT ({TableSql.KeyList(shape)}) DO UPDATE SET {set}
            WHERE {where}
            """;
    }

    private static Action<TableRow, object?[]> Binder(TableShape shape)
    {
        var types = shape.Columns.Select(c => c.Type).ToArray();
        return (row, v) =>
        {
            v[0] = SinkText.Clean(row.TenantId);
            v[1] = SinkText.Clean(row.Source);
            for (var i = 0; i < types.Length; i++)
                v[i + 2] = Value(types[i], row.Values[i]);
            v[types.Length + 2] = row.SourceLine;
        };
    }

    private static object? Value(ColumnType type, string? value) => value is null ? null : type switch
    {
        ColumnType.Int => long.Parse(value, CultureInfo.InvariantCulture),
        ColumnType.Bool => value == "true" ? 1L : 0L,
        ColumnType.Timestamp => SinkText.Timestamp(TableSql.Instant(value)),
        _ => SinkText.Clean(value), // decimals as their exact text: SQLite has no exact decimal type
    };

    private static string Type(ColumnType type) => type switch
    {
        ColumnType.Int or ColumnType.Bool => "INTEGER",
        _ => "TEXT",
    };

    /// <summary>The table's columns, each with its position in the primary key (0 when not in it).</summary>
    private Dictionary<string, long> Columns(string table, SqliteTransaction tx)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT name, pk FROM pragma_table_info($table)";
        command.Parameters.AddWithValue("$table", table);
        using var reader = command.ExecuteReader();
        var columns = new Dictionary<string, long>();
        while (reader.Read())
            columns[reader.GetString(0)] = reader.GetInt64(1);
        return columns;
    }

    private void Execute(string sql, SqliteTransaction tx)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
