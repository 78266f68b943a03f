using System.Data.Common;
using System.Globalization;
using EtlActors.Pipeline.Load;
using EtlActors.Pipeline.Records;
using EtlActors.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EtlActors.Pipeline.Tests.Load;

/// <summary>Tables a mapping names, on both sinks: created on first sight, upserted idempotently, keyed per tenant.</summary>
public abstract class TableSinkTests : IAsyncLifetime
{
    private static readonly TableShape Orders = new("orders",
        [new("order_id", ColumnType.Int), new("customer", ColumnType.String), new("total", ColumnType.Decimal),
         new("paid", ColumnType.Bool), new("placed_at", ColumnType.Timestamp), new("order", ColumnType.String)],
        ["order_id"]);

    private ISink? _sink;

    protected ISink Sink => _sink ?? throw new InvalidOperationException("not initialised");

    protected abstract Task<DatabaseAddress> CreateAddressAsync();

    protected abstract DbConnection OpenConnection();

    protected abstract string Table(string name);

    /// <summary>The stored row's values as the test writes them: decimals and timestamps as text.</summary>
    protected abstract string Render(object value);

    /// <summary>The boolean column as true/false (SQLite keeps 1/0).</summary>
    protected virtual string Paid => "paid";

    public async Task InitializeAsync()
    {
        _sink = SinkFactory.Create(await CreateAddressAsync());
        await _sink.EnsureSchemaAsync(default);
    }

    public async Task DisposeAsync()
    {
        if (_sink is not null)
            await _sink.DisposeAsync();
    }

    private static TableRow Row(long id, string? customer, long line, string job = "job-1", string tenant = "acme") =>
        new(tenant, "shop", [id.ToString(CultureInfo.InvariantCulture), customer, "12.50", "true", "2026-02-01T10:30:00.0000000+00:00", "keyword column"], line, job);

    private static LoadBatch Batch(TableShape shape, params TableRow[] rows) =>
        new(rows.Select(r => r.JobId).FirstOrDefault() ?? "job-1", 0, 0, [], [], [], [], [], [new TableRowSet(shape, rows)]);

    private async Task<List<string>> DumpAsync(string extraColumns = "")
    {
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT tenant_id, source, order_id, customer, total, {Paid}, placed_at, \"order\", source_line, job_id{extraColumns} FROM {Table("orders")} ORDER BY tenant_id, order_id";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "∅" : Render(reader.GetValue(i)))));
        return rows;
    }

    [Fact]
    public async Task The_table_is_created_with_its_key_and_stamps_and_rows_land_typed()
    {
        await Sink.LoadAsync(Batch(Orders, Row(2, "Bob", 3), Row(1, null, 2)), default);

        Assert.Equal(
            [
                "acme | shop | 1 | ∅ | 12.50 | true | 2026-02-01T10:30:00.000Z | keyword column | 2 | job-1",
                "acme | shop | 2 | Bob | 12.50 | true | 2026-02-01T10:30:00.000Z | keyword column | 3 | job-1",
            ],
            await DumpAsync());
    }

    [Fact]
    public async Task A_replayed_batch_changes_nothing_and_the_same_jobs_later_line_wins_in_any_order()
    {
        await Sink.LoadAsync(Batch(Orders, Row(1, "newer", 9)), default);
        var before = await DumpAsync();

        await Sink.LoadAsync(Batch(Orders, Row(1, "newer", 9)), default);
        await Sink.LoadAsync(Batch(Orders, Row(1, "older", 4)), default); // an earlier line committed late

        Assert.Equal(before, await DumpAsync());
    }

    [Fact]
    public async Task Another_job_replaces_the_row_and_tenants_keep_their_own_rows_of_one_key()
    {
        await Sink.LoadAsync(Batch(Orders, Row(1, "first", 9)), default);

        await Sink.LoadAsync(Batch(Orders, Row(1, "second", 2, job: "job-2"), Row(1, "globex", 5, job: "job-2", tenant: "globex")), default);

        Assert.Equal(
            [
                "acme | shop | 1 | second | 12.50 | true | 2026-02-01T10:30:00.000Z | keyword column | 2 | job-2",
                "globex | shop | 1 | globex | 12.50 | true | 2026-02-01T10:30:00.000Z | keyword column | 5 | job-2",
            ],
            await DumpAsync());
    }

    [Fact]
    public async Task A_jobs_rows_of_a_table_are_counted_and_a_table_never_loaded_counts_none()
    {
        Assert.Equal(0, await Sink.CountTableRowsAsync("orders", "acme", "shop", "job-1", default));

        await Sink.LoadAsync(Batch(Orders, Row(1, "a", 2), Row(2, "b", 3), Row(4, "d", 5, tenant: "globex")), default);
        await Sink.LoadAsync(Batch(Orders, Row(3, "c", 4, job: "job-2")), default); // a batch is one job's

        Assert.Equal(2, await Sink.CountTableRowsAsync("orders", "acme", "shop", "job-1", default));
        Assert.Equal(1, await Sink.CountTableRowsAsync("orders", "acme", "shop", "job-2", default));
    }

    [Fact]
    public async Task Versions_of_a_key_in_one_batch_collapse_to_the_later_line()
    {
        await Sink.LoadAsync(Batch(Orders, Row(1, "v1", 2), Row(1, "v3", 7), Row(1, "v2", 5)), default);

        Assert.Equal(["acme | shop | 1 | v3 | 12.50 | true | 2026-02-01T10:30:00.000Z | keyword column | 7 | job-1"], await DumpAsync());
    }

    [Fact]
    public async Task A_column_the_mapping_adds_later_is_added_to_the_table_and_another_key_is_refused()
    {
        await Sink.LoadAsync(Batch(Orders, Row(1, "a", 2)), default);
        var wider = new TableShape("orders", [.. Orders.Columns, new TableColumn("region", ColumnType.String)], ["order_id"]);
        var row = Row(2, "b", 3);

        await using (var other = SinkFactory.Create(await CreateAddressAsync()))
            await other.LoadAsync(Batch(wider, row with { Values = [.. row.Values, "north"] }), default);

        Assert.Equal(["acme | shop | 1 | a | 12.50 | true | 2026-02-01T10:30:00.000Z | keyword column | 2 | job-1 | ∅",
                      "acme | shop | 2 | b | 12.50 | true | 2026-02-01T10:30:00.000Z | keyword column | 3 | job-1 | north"], await DumpAsync(", region"));
        var rekeyed = new TableShape("orders", Orders.Columns, ["customer"]);
        await using var third = SinkFactory.Create(await CreateAddressAsync());
        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => third.LoadAsync(Batch(rekeyed, Row(3, "c", 4)), default));
        Assert.StartsWith("table 'orders' exists with primary key (tenant_id, source, order_id), but the mapping's key makes it (tenant_id, source, customer)", ex.Message, StringComparison.Ordinal);
    }
}

public sealed class SqliteTableSinkTests : TableSinkTests, IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), "etl-tables-" + Guid.NewGuid().ToString("N")[..12] + ".db");

    protected override Task<DatabaseAddress> CreateAddressAsync() => Task.FromResult(DatabaseAddress.Parse("sqlite:" + _file));

    protected override DbConnection OpenConnection()
    {
        var connection = new SqliteConnection($"Data Source={_file};Pooling=False");
        connection.Open();
        return connection;
    }

    protected override string Table(string name) => name;

    protected override string Paid => "CASE paid WHEN 1 THEN 'true' WHEN 0 THEN 'false' END";

    protected override string Render(object value) => value switch
    {
        long l => l.ToString(CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    [Fact]
    public async Task Booleans_are_integers_and_decimals_keep_their_exact_text()
    {
        await Sink.LoadAsync(new LoadBatch("job-1", 0, 0, [], [], [], [], [],
            [new TableRowSet(new TableShape("t", [new("k", ColumnType.String), new("b", ColumnType.Bool), new("d", ColumnType.Decimal)], ["k"]),
                [new TableRow("acme", "shop", ["x", "false", "0.10000000000000000001"], 1, "job-1")])]), default);

        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT typeof(b), b, typeof(d), d FROM t";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("integer", 0L, "text", "0.10000000000000000001"), (reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3)));
    }

    public void Dispose()
    {
        foreach (var file in new[] { _file, _file + "-wal", _file + "-shm" })
            File.Delete(file);
    }
}

public sealed class PostgresTableSinkTests : TableSinkTests
{
    private TestDatabase? _database;

    protected override async Task<DatabaseAddress> CreateAddressAsync()
    {
        if (_database is null)
        {
            var server = await PostgresServer.SharedAsync();
            _database = await server.CreateDatabaseAsync("table_sink");
        }
        return DatabaseAddress.Parse(_database.Url);
    }

    protected override DbConnection OpenConnection()
    {
        var connection = new NpgsqlConnection(_database!.ConnectionString);
        connection.Open();
        return connection;
    }

    protected override string Table(string name) => "etl." + name;

    protected override string Render(object value) => value switch
    {
        bool b => b ? "true" : "false",
        DateTime t => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    [Fact]
    public async Task The_table_has_typed_columns_and_a_replay_writes_no_row_version()
    {
        var row = new TableRow("acme", "shop", ["1", "a", "12.50", "true", "2026-02-01T10:30:00.0000000+00:00", "x"], 2, "job-1");
        var batch = new LoadBatch("job-1", 0, 0, [], [], [], [], [], [new TableRowSet(new TableShape("orders",
            [new("order_id", ColumnType.Int), new("customer", ColumnType.String), new("total", ColumnType.Decimal),
             new("paid", ColumnType.Bool), new("placed_at", ColumnType.Timestamp), new("order", ColumnType.String)], ["order_id"]), [row])]);
        await Sink.LoadAsync(batch, default);
        await using var connection = OpenConnection();
        async Task<object?> ScalarAsync(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteScalarAsync();
        }
        var version = await ScalarAsync("SELECT xmin::text FROM etl.orders");

        await Sink.LoadAsync(batch, default);

        Assert.Equal(version, await ScalarAsync("SELECT xmin::text FROM etl.orders")); // not even rewritten with the same values
        Assert.Equal("bigint text numeric boolean timestamp with time zone text bigint text", await ScalarAsync(
            "SELECT string_agg(data_type, ' ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = 'etl' AND table_name = 'orders' AND column_name NOT IN ('tenant_id', 'source')"));
    }
}
