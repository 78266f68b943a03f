using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Tests.Files;

public sealed class CsvFilesTests : IDisposable
{
    private const string Orders = """
        into: table
        table: orders
        key: [order_id]
        source: shop
        columns:
          order_id: { from: id, type: int }
          customer: name
          note: note
          total: { from: total, type: decimal }
          paid: { from: paid, type: bool }
          placed_at: { from: placed, type: timestamp, format: "dd/MM/yyyy HH:mm" }
        """;

    private readonly FilesRun _run = new();

    [Fact]
    public async Task Quoted_fields_embedded_newlines_and_a_bom_read_as_values_with_the_line_each_record_starts_on()
    {
        var csv = _run.File("orders.csv", string.Join("\r\n",
            "id,name,note,total,paid,placed",
            "1,\"Smith, Jane\",\"said \"\"hi\"\"\",12.50,yes,01/02/2026 10:30",
            "2,Bob,\"two",
            "lines\",7,0,02/02/2026 11:00",
            "",
            "3,Ann,,0.1,true,03/02/2026 12:00") + "\r\n", bom: true);

        var result = await _run.RunAsync(csv, Orders);

        Assert.Empty(result.Quarantined);
        var set = Assert.Single(result.Tables);
        Assert.Equal("orders", set.Table.Name);
        Assert.Equal(
            [
                "acme|shop|job-1|line 2|1;Smith, Jane;said \"hi\";12.50;true;2026-02-01T10:30:00.0000000+00:00",
                "acme|shop|job-1|line 3|2;Bob;two\r\nlines;7;false;2026-02-02T11:00:00.0000000+00:00",
                "acme|shop|job-1|line 6|3;Ann;∅;0.1;true;2026-02-03T12:00:00.0000000+00:00",
            ],
            set.Rows.Select(Show));
        Assert.Equal(["orders.csv:2", "orders.csv:3", "orders.csv:6"], result.RawRecords.Select(r => r.RecordKey));
        Assert.Equal("\"2,Bob,\\\"two\\r\\nlines\\\",7,0,02/02/2026 11:00\"", result.RawRecords[1].Payload); // the record as read, as a JSON string
        Assert.All(result.RawRecords, r => Assert.Equal("shop", r.Source));
    }

    [Fact]
    public async Task Bad_records_are_quarantined_with_their_line_and_text_and_the_rest_load()
    {
        var csv = _run.File("orders.csv", string.Join("\n",
            "id,name,note,total,paid,placed",
            "1,Ann,,1,yes,01/02/2026 10:30",
            "2,Bob,\"multi",
            "line\",2,no",
            "x,Cid,,3,yes,01/02/2026 10:30",
            "4,Dee,,four,yes,01/02/2026 10:30",
            "5,Eve,,5,maybe,01/02/2026 10:30",
            "6,Fay,,6,yes,2026-02-01",
            ",Gus,,7,yes,01/02/2026 10:30",
            "8,Hal,,8,yes,01/02/2026 10:30"));

        var records = await _run.ReadAsync(csv, Orders);
        var result = _run.Normalize(records, Orders);

        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), records.Select(r => r.Offset));
        Assert.Equal(["1", "8"], result.Tables.Single().Rows.Select(r => r.Values[0]));
        Assert.Equal(
            [
                (1L, "wrong_column_count", "orders.csv: line 3: has 5 field(s), the header has 6", "2,Bob,\"multi\nline\",2,no"),
                (2L, "invalid_value", "orders.csv: line 5: column 'order_id' (from 'id'): 'x' is not a whole number", "x,Cid,,3,yes,01/02/2026 10:30"),
                (3L, "invalid_value", "orders.csv: line 6: column 'total' (from 'total'): 'four' is not a decimal number", "4,Dee,,four,yes,01/02/2026 10:30"),
                (4L, "invalid_value", "orders.csv: line 7: column 'paid' (from 'paid'): 'maybe' is not a boolean (true/false, 1/0, yes/no)", "5,Eve,,5,maybe,01/02/2026 10:30"),
                (5L, "invalid_value", "orders.csv: line 8: column 'placed_at' (from 'placed'): '2026-02-01' is not a timestamp in format 'dd/MM/yyyy HH:mm'", "6,Fay,,6,yes,2026-02-01"),
                (6L, "missing_key", "orders.csv: line 9: key column 'order_id' (from 'id') has no value", ",Gus,,7,yes,01/02/2026 10:30"),
            ],
            result.Quarantined.Select(q => (q.RecordOffset, q.ErrorCode, q.Message, q.Payload)));
        Assert.All(result.Quarantined, q => Assert.Equal("job-1", q.JobId));
    }

    [Fact]
    public async Task A_resumed_read_starts_at_its_offset_with_the_same_lines()
    {
        var csv = _run.File("orders.csv", "id,name,note,total,paid,placed\n1,A,\"x\ny\",1,1,01/01/2026 00:00\n2,B,,2,1,01/01/2026 00:00\n3,C,,3,1,01/01/2026 00:00\n");

        var records = await _run.ReadAsync(csv, Orders, from: 1);

        Assert.Equal([1L, 2L], records.Select(r => r.Offset));
        Assert.Equal([4L, 5L], _run.Normalize(records, Orders).Tables.Single().Rows.Select(r => r.SourceLine));
    }

    [Fact]
    public async Task A_header_without_a_mapped_column_fails_the_read_naming_file_and_header()
    {
        var csv = _run.File("orders.csv", "id,name\n1,A\n");

        var ex = await Assert.ThrowsAsync<SourceFormatException>(() => _run.ReadAsync(csv, Orders));

        Assert.Equal($"{csv}: line 1, byte 0: the mapping's column 'note' reads header 'note', which the file does not have (its headers: id, name)", ex.Message);
    }

    [Fact]
    public async Task Versions_of_a_key_share_a_partition_and_rows_spread_over_buckets()
    {
        var lines = Enumerable.Range(0, 200).Select(i => $"{i % 50},n{i},,1,1,01/01/2026 00:00");
        var csv = _run.File("orders.csv", "id,name,note,total,paid,placed\n" + string.Join("\n", lines));

        var records = await _run.ReadAsync(csv, Orders);

        var byKey = records.GroupBy(r => r.Offset % 50).Select(g => g.Select(r => r.ConversationId).Distinct().Count());
        Assert.All(byKey, partitions => Assert.Equal(1, partitions));
        Assert.InRange(records.Select(r => r.ConversationId).Distinct().Count(), 8, 16);
        Assert.Equal("bucket-", records[0].ConversationId[..7]);
    }

    [Fact]
    public async Task A_semicolon_separated_file_reads_by_its_mapping()
    {
        var mapping = Orders + "\ncsv:\n  separator: \";\"\n";
        var csv = _run.File("orders.csv", "id;name;note;total;paid;placed\n1;\"a;b\";;1,5;no;01/01/2026 00:00\n");

        var result = await _run.RunAsync(csv, mapping);

        Assert.Equal("invalid_value", Assert.Single(result.Quarantined).ErrorCode); // 1,5 is not an invariant decimal
        var again = await _run.RunAsync(_run.File("o2.csv", "id;name;note;total;paid;placed\n1;\"a;b\";;1.5;no;01/01/2026 00:00\n"), mapping);
        Assert.Equal(["1", "a;b", null, "1.5", "false", "2026-01-01T00:00:00.0000000+00:00"], again.Tables.Single().Rows.Single().Values);
    }

    [Fact]
    public async Task Csv_records_become_messages_by_a_messages_mapping()
    {
        const string chat = """
            into: messages
            columns:
              conversation_id: channel
              message_id: ts
              sender_id: user
              sent_at: { from: ts, type: timestamp, format: unix }
              content_text: text
            """;
        var csv = _run.File("chat.csv", "channel,ts,user,text\r\ngeneral,1767225600,u1,\"Hello, \"\"world\"\"\"\r\ngeneral,1767225660,u2,\"multi\nline\"\r\n");

        var result = await _run.RunAsync(csv, chat);

        Assert.Empty(result.Quarantined);
        Assert.Equal(
            [
                new MessageRow("acme", "files", "general", "1767225600", "u1", null, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), "Text", "Hello, \"world\"", null, null, null, null, 0, "job-1"),
                new MessageRow("acme", "files", "general", "1767225660", "u2", null, new DateTimeOffset(2026, 1, 1, 0, 1, 0, TimeSpan.Zero), "Text", "multi\nline", null, null, null, null, 0, "job-1"),
            ],
            result.Messages);
        Assert.Equal(["chat.csv:2", "chat.csv:3"], result.RawRecords.Select(r => r.RecordKey));
    }

    public void Dispose() => _run.Dispose();

    private static string Show(TableRow r) => $"{r.TenantId}|{r.Source}|{r.JobId}|line {r.SourceLine}|{string.Join(";", r.Values.Select(v => v ?? "∅"))}";
}
