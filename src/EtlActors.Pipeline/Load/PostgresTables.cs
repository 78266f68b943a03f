using EtlActors.Pipeline.Records;
using Npgsql;
using NpgsqlTypes;

namespace EtlActors.Pipeline.Load;

/// <summary>
/// Named tables in a PostgreSQL sink's schema: created (or given new columns) on first sight, then upserted
/// with one statement per table and batch, its rows passed as one array per column and unnested.
/// </summary>
internal sealed class PostgresTables(string schema)
{
    private readonly Dictionary<string, string> _upserts = [];

    /// <summary>Makes <paramref name="shape"/>'s table exist with all its columns; once per table and sink.</summary>
    public async Task EnsureAsync(NpgsqlConnection connection, TableShape shape, CancellationToken ct)
    {
        if (_upserts.ContainsKey(shape.Signature))
            return;
        var table = $"{schema}.{TableSql.Quote(shape.Name)}";
        var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (tx.ConfigureAwait(false))
        {
            // Concurrent CREATE … IF NOT EXISTS can still collide in the catalog: loaders take turns per table.
            await ExecuteAsync(connection, tx, $"SELECT pg_advisory_xact_lock(hashtext('etl-actors table {schema}.{shape.Name}'))", ct).ConfigureAwait(false);
            await ExecuteAsync(connection, tx, Create(table, shape), ct).ConfigureAwait(false);
            var existing = await ColumnsAsync(connection, tx, shape.Name, ct).ConfigureAwait(false);
            foreach (var column in shape.Columns.Where(c => !existing.Contains(c.Name)))
                await ExecuteAsync(connection, tx, $"ALTER TABLE {table} ADD COLUMN {TableSql.Quote(column.Name)} {Type(column.Type)}", ct).ConfigureAwait(false);
            var key = await PrimaryKeyAsync(connection, tx, table, ct).ConfigureAwait(false);
            if (!key.Order(StringComparer.Ordinal).SequenceEqual(TableSql.PrimaryKey(shape).Order(StringComparer.Ordinal)))
                throw TableSql.KeyMismatch(shape, key);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
        _upserts[shape.Signature] = Upsert(table, shape);
    }

    /// <summary>The upsert of <paramref name="set"/>, for the batch's NpgsqlBatch; its table must be ensured first.</summary>
    public NpgsqlBatchCommand Upsert(TableRowSet set, string jobId)
    {
        var shape = set.Table;
        var command = new NpgsqlBatchCommand(_upserts[shape.Signature]);
        command.Parameters.Add(Texts(set.Rows.Select(r => (string?)r.TenantId)));
        command.Parameters.Add(Texts(set.Rows.Select(r => (string?)r.Source)));
        for (var i = 0; i < shape.Columns.Count; i++)
        {
            var at = i;
            command.Parameters.Add(Texts(set.Rows.Select(r => r.Values[at])));
        }
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = set.Rows.Select(r => r.SourceLine).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = SinkText.Clean(jobId) });
        return command;
    }

    private static NpgsqlParameter<string?[]> Texts(IEnumerable<string?> values) =>
        new() { TypedValue = values.Select(SinkText.Clean).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static string Create(string table, TableShape shape)
    {
        var columns = shape.Columns.Select(c =>
            $"{TableSql.Quote(c.Name)} {Type(c.Type)}{(shape.Key.Contains(c.Name) ? (c.Type == ColumnType.String ? " COLLATE \"C\"" : "") + " NOT NULL" : "")}");
        return $"""
            CREATE TABLE IF NOT EXISTS {table} (
                tenant_id text COLLATE "C" NOT NULL, source text COLLATE "C" NOT NULL, {string.Join(", ", columns)},
                source_line bigint NOT NULL, job_id text NOT NULL,
                PRIMARY KEY ({TableSql.KeyList(shape)}))
            """;
    }

    // $1, $2: tenant_id and source; $3…: the mapped columns as text (cast here); then source_line; last the job.
    // Rows go in key order, so two loaders writing the same keys lock them in the same order.
    private static string Upsert(string table, TableShape shape)
    {
        var columns = TableSql.InsertColumns(shape);
        var unnest = string.Join(", ", columns.Select((_, i) => $"${i + 1}::{(i == columns.Count - 1 ? "bigint" : "text")}[]"));
        var aliases = string.Join(", ", columns.Select((_, i) => "c" + i));
        var select = string.Join(", ", columns.Select((_, i) =>
            i is 0 or 1 || i == columns.Count - 1 ? "s.c" + i : $"s.c{i}{Cast(shape.Columns[i - 2].Type)}"));
        var order = string.Join(", ", TableSql.PrimaryKey(shape).Select(k => columns.ToList().IndexOf(k) + 1));
        var (set, where) = TableSql.Update(shape, "t", "IS DISTINCT FROM");
        return $"""
            INSERT INTO {table} AS t ({string.Join(", ", columns.Select(TableSql.Quote))}, job_id)
            SELECT {select}, ${columns.Count + 1} FROM unnest({unnest}) AS s({aliases}) ORDER BY {order}
            ON CONFLICT ({TableSql.KeyList(shape)}) DO UPDATE SET {set}
            WHERE {where}
            """;
    }

    private static string Cast(ColumnType type) => type switch
    {
        ColumnType.Int => "::bigint",
        ColumnType.Decimal => "::numeric",
        ColumnType.Bool => "::boolean",
        ColumnType.Timestamp => "::timestamptz", // the text is ISO-8601 with its offset, so the session's time zone plays no part
        _ => "",
    };

    private static string Type(ColumnType type) => type switch
    {
        ColumnType.Int => "bigint",
        ColumnType.Decimal => "numeric",
        ColumnType.Bool => "boolean",
        ColumnType.Timestamp => "timestamptz",
        _ => "text",
    };

    private async Task<HashSet<string>> ColumnsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string table, CancellationToken ct)
    {
        using var command = new NpgsqlCommand("SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2", connection, tx);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        var columns = new HashSet<string>();
        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                columns.Add(reader.GetString(0));
        }
        return columns;
    }

    private static async Task<List<string>> PrimaryKeyAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string table, CancellationToken ct)
    {
        using var command = new NpgsqlCommand("""
            SELECT a.attname FROM pg_index i
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = $1::regclass AND i.indisprimary
            """, connection, tx);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        var key = new List<string>();
        var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                key.Add(reader.GetString(0));
        }
        return key;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
