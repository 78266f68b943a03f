using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EtlActors.IntegrationTests.Support;

/// <summary>Reads what a user would query: whole tables as text rows, scalar counts, one row by key.</summary>
public sealed class Tables(Func<DbConnection> connect, string prefix) : IAsyncDisposable
{
    private DbConnection? _connection;

    public static Tables Sqlite(string file) => new(() => new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False"), "");

    public static Tables Postgres(string connectionString) => new(() => new NpgsqlConnection(connectionString), "etl.");

    public async Task<long> CountAsync(string table, string where = "1=1") =>
        Convert.ToInt64(await ScalarAsync($"SELECT count(*) FROM {prefix}{table} WHERE {where}"), CultureInfo.InvariantCulture);

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var command = (await OpenAsync()).CreateCommand();
        command.CommandText = sql.Replace("{t}", prefix, StringComparison.Ordinal);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    /// <summary>Every row of a table as one line of text, in key order, optionally without some columns.</summary>
    public async Task<IReadOnlyList<string>> DumpAsync(string table, string orderBy, params string[] exceptColumns)
    {
        await using var command = (await OpenAsync()).CreateCommand();
        command.CommandText = $"SELECT * FROM {prefix}{table} ORDER BY {orderBy}";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var cells = Enumerable.Range(0, reader.FieldCount)
                .Where(i => !exceptColumns.Contains(reader.GetName(i)))
                .Select(i => reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture));
            rows.Add(string.Join(" | ", cells));
        }
        return rows;
    }

    /// <summary>
    /// The rows of <paramref name="sql"/> (<c>{t}</c> is the schema prefix), one line each, written alike on both databases:
    /// timestamps as ISO-8601 UTC with milliseconds, booleans as 1/0 (SQLite's), NULL as ∅.
    /// </summary>
    public async Task<IReadOnlyList<string>> RowsAsync(string sql)
    {
        await using var command = (await OpenAsync()).CreateCommand();
        command.CommandText = sql.Replace("{t}", prefix, StringComparison.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) switch
            {
                DBNull => "∅",
                DateTime t => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                bool b => b ? "1" : "0",
                var v => Convert.ToString(v, CultureInfo.InvariantCulture),
            })));
        }
        return rows;
    }

    /// <summary>One row as column → value (null for SQL NULL), or null when there is none.</summary>
    public async Task<IReadOnlyDictionary<string, object?>?> RowAsync(string table, string where)
    {
        await using var command = (await OpenAsync()).CreateCommand();
        command.CommandText = $"SELECT * FROM {prefix}{table} WHERE {where}";
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
            return null;
        return Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i));
    }

    private async Task<DbConnection> OpenAsync()
    {
        if (_connection is null)
        {
            _connection = connect();
            await _connection.OpenAsync();
        }
        return _connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync();
    }
}
