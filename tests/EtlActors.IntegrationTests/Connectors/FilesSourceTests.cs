using System.Text;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Connectors;

/// <summary>
/// NDJSON and CSV files mapped by YAML, through the real `etl run` process: into messages and into a table the
/// mapping names, bad lines quarantined with their line numbers while the rest loads, and the same command run
/// again changes nothing.
/// </summary>
public abstract class FilesSourceTests : IAsyncLifetime
{
    private const string ChatMapping = """
        # tickets of the help desk, one JSON object a line
        into: messages
        source: helpdesk
        columns:
          conversation_id: ticket
          message_id: id
          sender_id: author.id
          sender_name: author.name
          sent_at: { from: at, type: timestamp }
          content_text: text
        """;

    private const string OrdersMapping = """
        into: table
        table: orders
        source: shop
        key: [order_id]
        columns:
          order_id: { from: Order ID, type: int }
          customer: Customer
          note: Note
          total: { from: Total, type: decimal }
          paid: { from: Paid, type: bool }
          placed_at: { from: Placed, type: timestamp, format: "dd/MM/yyyy HH:mm" }
        """;

    protected readonly TempFolder Dir = new();
    private string _sink = "";
    private Tables _tables = null!;

    protected abstract Task<(string Sink, Tables Tables)> CreateSinkAsync();

    public async Task InitializeAsync() => (_sink, _tables) = await CreateSinkAsync();

    private string Write(string name, string text, bool bom = false)
    {
        var path = Dir.File(name);
        File.WriteAllBytes(path, [.. bom ? Encoding.UTF8.Preamble : [], .. Encoding.UTF8.GetBytes(text)]);
        return path;
    }

    [Fact]
    public async Task Ndjson_lines_load_as_messages_bad_lines_are_quarantined_with_their_line_and_a_second_run_changes_nothing()
    {
        var source = Write("tickets.ndjson", string.Join("\n",
            """{"id": "m1", "ticket": "T-1", "author": {"id": "u1", "name": "Ann"}, "at": "2026-01-05T09:00:00Z", "text": "Printer jams"}""",
            """{"id": "m2", "ticket": "T-1", "author": {"id": "u2", "name": "Bob"}, "at": "2026-01-05T09:05:00Z", "text": "Try turning it off"}""",
            """{"id": "m3", "ticket": "T-2", "author": {"id": "u1", "name": "Ann"}, "at": "2026-01-06T10:00:00+01:00", "text": "VPN down"}""",
            """{"id": "m4", "ticket": "T-2", "author": {"id": "u3"}, "at": "not a time", "text": "lost"}""",
            "",
            """{"id": "m5", "ticket": "T-2", "author": {"id": "u2", "name": "Bob"}, "at": "2026-01-06T10:30:00Z", "text": "Fixed \"now\""}""",
            """{"id": "m6", "ticket": """) + "\n");
        var mapping = Write("tickets.yaml", ChatMapping);
        string[] run = ["run", source, "--mapping", mapping, "--sink", _sink, "--tenant", "acme", "--job-id", "tickets-1", "--batch-size", "2"];

        var first = await EtlProcess.RunAsync(Dir.Path, run);

        Assert.True(first.ExitCode == 0, first.Stderr + first.Stdout);
        Assert.Contains("quarantined    2", first.Stdout, StringComparison.Ordinal);
        Assert.Equal(
            [
                "acme | helpdesk | T-1 | m1 | u1 | Ann | 2026-01-05T09:00:00.000Z | Text | Printer jams | tickets-1",
                "acme | helpdesk | T-1 | m2 | u2 | Bob | 2026-01-05T09:05:00.000Z | Text | Try turning it off | tickets-1",
                "acme | helpdesk | T-2 | m3 | u1 | Ann | 2026-01-06T09:00:00.000Z | Text | VPN down | tickets-1",
                "acme | helpdesk | T-2 | m5 | u2 | Bob | 2026-01-06T10:30:00.000Z | Text | Fixed \"now\" | tickets-1",
            ],
            await _tables.RowsAsync("SELECT tenant_id, source, conversation_id, message_id, sender_id, sender_name, sent_at, message_type, content_text, job_id FROM {t}messages ORDER BY message_id"));
        Assert.Equal(["T-1 | other | 2", "T-2 | other | 2"], await _tables.RowsAsync("SELECT conversation_id, kind, message_count FROM {t}conversations WHERE source = 'helpdesk' ORDER BY 1"));
        Assert.Equal(["u1 | Ann", "u2 | Bob"], await _tables.RowsAsync("SELECT participant_id, display_name FROM {t}participants WHERE source = 'helpdesk' ORDER BY 1"));
        Assert.Equal(["tickets.ndjson:1", "tickets.ndjson:2", "tickets.ndjson:3", "tickets.ndjson:6"],
            await _tables.RowsAsync("SELECT record_key FROM {t}raw_records WHERE tenant_id = 'acme' AND source = 'helpdesk' ORDER BY 1"));
        var quarantine = await _tables.RowsAsync("SELECT record_offset, error_code, message, payload FROM {t}quarantine WHERE job_id = 'tickets-1' ORDER BY record_offset");
        Assert.Equal(2, quarantine.Count);
        Assert.Equal("""3 | invalid_value | tickets.ndjson: line 4: column 'sent_at' (from 'at'): 'not a time' is not a timestamp (ISO-8601 expected) | {"id": "m4", "ticket": "T-2", "author": {"id": "u3"}, "at": "not a time", "text": "lost"}""", quarantine[0]);
        Assert.StartsWith("5 | invalid_json | tickets.ndjson: line 7: not valid JSON: ", quarantine[1], StringComparison.Ordinal);
        Assert.EndsWith("""| {"id": "m6", "ticket": """, quarantine[1], StringComparison.Ordinal);

        var before = await EverythingAsync("messages", "conversations", "participants", "raw_records", "quarantine");
        var second = await EtlProcess.RunAsync(Dir.Path, run);

        Assert.True(second.ExitCode == 0, second.Stderr + second.Stdout);
        Assert.Equal(before, await EverythingAsync("messages", "conversations", "participants", "raw_records", "quarantine"));
    }

    [Fact]
    public async Task Csv_records_load_into_the_named_table_with_quotes_newlines_and_a_bom_and_a_second_run_changes_nothing()
    {
        var source = Write("orders.csv", string.Join("\r\n",
            "Order ID,Customer,Note,Total,Paid,Placed",
            "1001,\"Smith, Jane\",\"said \"\"hi\"\"\",12.50,yes,01/02/2026 10:30",
            "1002,Bob,\"two",
            "lines\",7,no,02/02/2026 11:00",
            "1003,Ann,,oops,yes,03/02/2026 12:00",
            "1004,Cid,short",
            "1001,\"Smith, Jane\",updated,13.00,yes,01/02/2026 10:30",
            "1005,Dee,,0.1,true,04/02/2026 08:15") + "\r\n", bom: true);
        var mapping = Write("orders.yaml", OrdersMapping);
        string[] run = ["run", source, "--mapping", mapping, "--sink", _sink, "--tenant", "acme", "--job-id", "orders-1", "--batch-size", "2"];

        var first = await EtlProcess.RunAsync(Dir.Path, run);

        Assert.True(first.ExitCode == 0, first.Stderr + first.Stdout);
        Assert.Contains("  orders         3\n", first.Stdout, StringComparison.Ordinal); // the summary counts the named table's rows
        Assert.Contains("  quarantined    2\n", first.Stdout, StringComparison.Ordinal);
        const string rows = "SELECT order_id, tenant_id, source, customer, note, total, paid, placed_at, source_line, job_id FROM {t}orders ORDER BY order_id";
        Assert.Equal(
            [
                "1001 | acme | shop | Smith, Jane | updated | 13.00 | 1 | 2026-02-01T10:30:00.000Z | 7 | orders-1",
                "1002 | acme | shop | Bob | two\r\nlines | 7 | 0 | 2026-02-02T11:00:00.000Z | 3 | orders-1",
                "1005 | acme | shop | Dee | ∅ | 0.1 | 1 | 2026-02-04T08:15:00.000Z | 8 | orders-1",
            ],
            await _tables.RowsAsync(rows));
        Assert.Equal(
            [
                "2 | invalid_value | orders.csv: line 5: column 'total' (from 'Total'): 'oops' is not a decimal number | 1003,Ann,,oops,yes,03/02/2026 12:00",
                "3 | wrong_column_count | orders.csv: line 6: has 3 field(s), the header has 6 | 1004,Cid,short",
            ],
            await _tables.RowsAsync("SELECT record_offset, error_code, message, payload FROM {t}quarantine WHERE job_id = 'orders-1' ORDER BY record_offset"));
        Assert.Equal("\"1002,Bob,\\\"two\\r\\nlines\\\",7,no,02/02/2026 11:00\"",
            await _tables.ScalarAsync("SELECT payload FROM {t}raw_records WHERE record_key = 'orders.csv:3'") is { } p ? p.ToString() : null);

        var before = await EverythingAsync("orders", "raw_records", "quarantine");
        var versions = await RowVersionsAsync();
        var second = await EtlProcess.RunAsync(Dir.Path, run);

        Assert.True(second.ExitCode == 0, second.Stderr + second.Stdout);
        Assert.Equal(before, await EverythingAsync("orders", "raw_records", "quarantine"));
        Assert.Equal(versions, await RowVersionsAsync());
    }

    [Fact]
    public async Task A_bad_mapping_is_one_line_naming_the_file_and_the_problem_with_exit_code_2()
    {
        var source = Write("orders.csv", "id\n1\n");
        var mapping = Write("orders.yaml", "into: table\ntable: Orders\nkey: id\ncolumns:\n  id: id\n");

        var bad = await EtlProcess.RunAsync(Dir.Path, "run", source, "--mapping", mapping, "--sink", _sink);
        var none = await EtlProcess.RunAsync(Dir.Path, "run", source, "--sink", _sink);
        var submitted = await EtlProcess.RunAsync(Dir.Path, "submit", source, "--mapping", mapping, "--cluster", "127.0.0.1:9"); // checked before any cluster is reached

        Assert.Equal(2, bad.ExitCode);
        Assert.Equal($"error: {mapping}: line 2: table name 'Orders' is not valid: use a lower-case letter or '_', then lower-case letters, digits or '_' (at most 63)",
            bad.Stderr.Trim());
        Assert.Equal(2, submitted.ExitCode);
        Assert.Contains($"{mapping}: line 2: table name 'Orders' is not valid", submitted.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, none.ExitCode);
        Assert.Equal("error: --mapping: a files source is read by a mapping: give --mapping <file.yaml>", none.Stderr.Trim());
    }

    /// <summary>Every row of the tables, in key order, without the columns a database fills itself.</summary>
    private async Task<List<string>> EverythingAsync(params string[] tables)
    {
        var rows = new List<string>();
        foreach (var table in tables)
            // Messages of one conversation tie on the first three columns; message_id (the fourth) orders them.
            rows.AddRange((await _tables.DumpAsync(table, table == "messages" ? "1, 2, 3, 4" : "1, 2, 3", "quarantined_at")).Select(r => $"{table}: {r}"));
        return rows;
    }

    /// <summary>PostgreSQL's row versions (xmin) of the named table: a rewrite with the same values still changes them.</summary>
    protected virtual Task<IReadOnlyList<string>> RowVersionsAsync() => Task.FromResult<IReadOnlyList<string>>([]);

    protected Tables TablesOfSink => _tables;

    public async Task DisposeAsync()
    {
        await _tables.DisposeAsync();
        Dir.Dispose();
    }
}

public sealed class FilesSourceIntoSqliteTests : FilesSourceTests
{
    protected override Task<(string Sink, Tables Tables)> CreateSinkAsync()
    {
        var file = Dir.File("etl.db");
        return Task.FromResult(($"sqlite:{file}", Tables.Sqlite(file)));
    }
}

public sealed class FilesSourceIntoPostgresTests : FilesSourceTests
{
    protected override async Task<(string Sink, Tables Tables)> CreateSinkAsync()
    {
        var server = await PostgresServer.SharedAsync();
        var db = await server.CreateDatabaseAsync("files");
        return (db.Url, Tables.Postgres(db.ConnectionString));
    }

    protected override Task<IReadOnlyList<string>> RowVersionsAsync() => TablesOfSink.RowsAsync("SELECT order_id, xmin::text FROM {t}orders ORDER BY 1");
}
