using EtlActors.Pipeline.Connectors.Files.Mapping;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Tests.Files;

public sealed class FileMappingTests
{
    private const string Orders = """
        format: csv
        source: shop
        into: table
        table: orders
        key: [order_id]
        columns:
          order_id: { from: id, type: int }
          customer: name
          total: { from: total, type: decimal }
          paid: { from: paid, type: bool }
          placed_at: { from: placed, type: timestamp, format: "dd/MM/yyyy HH:mm" }
        csv:
          separator: ";"
        """;

    [Fact]
    public void A_table_mapping_gives_its_shape_key_source_and_csv_settings()
    {
        var mapping = FileMapping.Parse(Orders, "orders.yaml");

        Assert.Equal(MappingTarget.Table, mapping.Target);
        Assert.Equal(FileFormat.Csv, mapping.Format);
        Assert.Equal("shop", mapping.Source);
        Assert.Equal(';', mapping.Separator);
        Assert.Equal("orders", mapping.Table!.Name);
        Assert.Equal(["order_id"], mapping.Table.Key);
        Assert.Equal(
            [new("order_id", ColumnType.Int), new("customer", ColumnType.String), new("total", ColumnType.Decimal), new("paid", ColumnType.Bool), new("placed_at", ColumnType.Timestamp)],
            mapping.Table.Columns);
        Assert.Equal(new MappedColumn("placed_at", "placed", ColumnType.Timestamp, "dd/MM/yyyy HH:mm", 11), mapping.Column("placed_at"));
        Assert.Equal(Orders, mapping.Text);
    }

    [Fact]
    public void A_messages_mapping_types_its_columns_by_the_contract_and_defaults_the_source_to_files()
    {
        var mapping = FileMapping.Parse("""
            into: messages
            columns:
              conversation_id: channel
              message_id: { from: id, type: int }
              sent_at: ts
              revision: version
            """, "chat.yaml");

        Assert.Equal(MappingTarget.Messages, mapping.Target);
        Assert.Equal("files", mapping.Source);
        Assert.Null(mapping.Format);
        Assert.Null(mapping.Table);
        Assert.Equal(["conversation_id", "message_id"], mapping.KeyColumns);
        Assert.Equal([ColumnType.String, ColumnType.Int, ColumnType.Timestamp, ColumnType.Int], mapping.Columns.Select(c => c.Type));
    }

    [Theory]
    [InlineData("into: messages\ncolumns:\n  conversation_id: c\n  message_id: m\n  colour: x\n", "chat.yaml: line 5: 'colour' is not a messages column (known: conversation_id, ")]
    [InlineData("into: messages\ncolumns:\n  conversation_id: c\n", "chat.yaml: line 1: messages need column 'message_id'")]
    [InlineData("columns:\n  a: b\n", "chat.yaml: line 1: 'into' is missing: say 'into: messages' or 'into: table'")]
    [InlineData("into: tables\n", "chat.yaml: line 1: into 'tables' is not one of messages, table")]
    [InlineData("into: table\ntable: orders\nkey: id\nsheet: 2\ncolumns:\n  id: id\n", "chat.yaml: line 4: unknown key 'sheet' in the mapping (known: format, source, into, table, key, columns, csv)")]
    [InlineData("into: table\ntable: Orders\nkey: id\ncolumns:\n  id: id\n", "chat.yaml: line 2: table name 'Orders' is not valid")]
    [InlineData("into: table\ntable: messages\nkey: id\ncolumns:\n  id: id\n", "chat.yaml: line 2: table name 'messages' is reserved")]
    [InlineData("into: table\ntable: orders\nkey: [id, nope]\ncolumns:\n  id: id\n", "chat.yaml: line 3: key column 'nope' is not one of the columns (id)")]
    [InlineData("into: table\ntable: orders\ncolumns:\n  id: id\n", "chat.yaml: line 1: 'key' is missing")]
    [InlineData("into: table\ntable: orders\nkey: id\ncolumns:\n  id: id\n  job_id: j\n", "chat.yaml: line 6: column name 'job_id' is reserved")]
    [InlineData("into: table\ntable: orders\nkey: id\ncolumns:\n  id: { from: id, type: money }\n", "chat.yaml: line 5: column 'id': type 'money' is not one of string, int, decimal, bool, timestamp")]
    [InlineData("into: table\ntable: orders\nkey: id\ncolumns:\n  id: { from: id, format: x }\n", "chat.yaml: line 5: column 'id': 'format' is only for timestamps")]
    [InlineData("into: table\ntable: orders\nkey: id\ncolumns:\n  id: { type: int }\n", "chat.yaml: line 5: column 'id': 'from' is missing")]
    [InlineData("into: messages\ncolumns:\n  conversation_id: c\n  message_id: m\n  sent_at: { from: t, type: int }\n", "chat.yaml: line 5: column 'sent_at' of messages is a timestamp")]
    [InlineData("into: messages\nsource: \"a b\"\ncolumns:\n  conversation_id: c\n  message_id: m\n", "chat.yaml: line 2: source 'a b' is not valid")]
    [InlineData("format: ndjson\ninto: messages\ncsv: { separator: ';' }\ncolumns:\n  conversation_id: c\n  message_id: m\n", "chat.yaml: line 3: 'csv' settings do not apply to 'format: ndjson'")]
    [InlineData("into: messages\ncolumns: [a, b]\n", "chat.yaml: line 2: columns must be a set of 'key: value' lines")]
    [InlineData("into: messages\ncolumns:\n  conversation_id: c\n   message_id: m\n", "chat.yaml: line 4: not valid YAML: ")]
    [InlineData("", "chat.yaml: the mapping is empty")]
    [InlineData("into: messages\ninto: table\n", "chat.yaml: line 2: not valid YAML: ")]
    public void A_bad_mapping_is_an_error_naming_the_file_the_line_and_the_problem(string yaml, string expected)
    {
        var ex = Assert.Throws<FileMappingException>(() => FileMapping.Parse(yaml, "chat.yaml"));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_format_comes_from_the_extension_unless_declared_and_json_paths_are_checked_for_ndjson()
    {
        var mapping = FileMapping.Parse("into: messages\ncolumns:\n  conversation_id: a.b\n  message_id: 'items[x]'\n", "m.yaml");

        Assert.Equal(FileFormat.Csv, mapping.FormatFor("/data/in.CSV", "m.yaml")); // a CSV header may hold anything
        var ex = Assert.Throws<FileMappingException>(() => mapping.FormatFor("/data/in.jsonl", "m.yaml"));
        Assert.Equal("m.yaml: line 4: column 'message_id': 'from: items[x]' is not a JSON path: 'items[x]' has an array index that is not [n] with n a whole number", ex.Message);
        var unknown = Assert.Throws<FileMappingException>(() => mapping.FormatFor("/data/in.txt", "m.yaml"));
        Assert.Equal("m.yaml: cannot tell the format of 'in.txt' from its extension (.ndjson, .jsonl or .csv): declare 'format: ndjson' or 'format: csv'", unknown.Message);
    }

    [Fact]
    public void A_missing_mapping_file_is_named()
    {
        var ex = Assert.Throws<FileMappingException>(() => FileMapping.Load("/no/such/mapping.yaml"));

        Assert.Equal("/no/such/mapping.yaml: file not found", ex.Message);
    }
}
