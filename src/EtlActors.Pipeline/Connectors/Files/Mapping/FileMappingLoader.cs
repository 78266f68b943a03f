using System.Text.RegularExpressions;
using EtlActors.Pipeline.Records;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EtlActors.Pipeline.Connectors.Files.Mapping;

/// <summary>
/// Reads a mapping's YAML through YamlDotNet's node model rather than a deserializer: every node keeps its
/// line, so each problem is reported where it is, and an unknown key is an error instead of being ignored.
/// </summary>
internal static partial class FileMappingLoader
{
    private static readonly string[] TopKeys = ["format", "source", "into", "table", "key", "columns", "csv"];

    /// <summary>The keys of a mapping whose records are JSON objects that come from elsewhere (an HTTP resource): no file format, no CSV.</summary>
    internal static readonly string[] RecordKeys = ["source", "into", "table", "key", "columns"];
    private static readonly string[] ColumnKeys = ["from", "type", "format"];
    private static readonly string[] ContractTables = ["conversations", "participants", "messages", "raw_records", "quarantine"];
    private static readonly string[] ReservedColumns = ["tenant_id", "source", "job_id", "source_line"];

    /// <summary>The messages columns a mapping may fill, with their types (a string column takes any type's text).</summary>
    internal static readonly IReadOnlyDictionary<string, ColumnType> MessageColumns = new Dictionary<string, ColumnType>
    {
        ["conversation_id"] = ColumnType.String, ["message_id"] = ColumnType.String, ["conversation_name"] = ColumnType.String,
        ["sender_id"] = ColumnType.String, ["sender_name"] = ColumnType.String, ["message_type"] = ColumnType.String,
        ["content_text"] = ColumnType.String, ["content_raw"] = ColumnType.String, ["sent_at"] = ColumnType.Timestamp,
        ["edited_at"] = ColumnType.Timestamp, ["deleted_at"] = ColumnType.Timestamp, ["revision"] = ColumnType.Int,
        ["thread_id"] = ColumnType.String,
    };

    public static FileMapping Load(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(name);
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new FileMappingException(name, ex.Start.Line, "not valid YAML: " + YamlPosition().Replace(ex.Message, ""));
        }
        if (yaml.Documents.Count != 1)
            throw new FileMappingException(name, null, yaml.Documents.Count == 0 ? "the mapping is empty" : "the mapping must be one YAML document");
        return Load(yaml.Documents[0].RootNode, text, name, TopKeys);
    }

    /// <summary>
    /// The mapping at <paramref name="node"/>, which may sit inside a larger document (an HTTP source's resource):
    /// problems then carry that document's lines and columns. Only <paramref name="keys"/> may appear (<see cref="RecordKeys"/>
    /// for records that are not read from a file); <paramref name="text"/> becomes the mapping's <see cref="FileMapping.Text"/>.
    /// </summary>
    internal static FileMapping Load(YamlNode node, string text, string name, string[] keys)
    {
        var reader = new MappingNodes(name);
        var root = reader.Mapping(node, "the mapping");
        reader.OnlyKeys(root, keys, "the mapping");

        var format = reader.Optional(root, "format") is { } f
            ? reader.OneOf(f, "format", ["ndjson", "csv"]) == "csv" ? FileFormat.Csv : FileFormat.Ndjson
            : (FileFormat?)null;
        var source = FileMapping.DefaultSource;
        if (reader.Optional(root, "source") is { } s)
        {
            source = reader.Scalar(s, "source");
            if (!SourcePattern().IsMatch(source))
                throw reader.Fail(s, $"source '{source}' is not valid: use 1-64 letters, digits, '.', '_' or '-'");
        }
        var intoNode = reader.Optional(root, "into") ?? throw reader.Fail(root, "'into' is missing: say 'into: messages' or 'into: table'");
        var target = reader.OneOf(intoNode, "into", ["messages", "table"]) == "messages" ? MappingTarget.Messages : MappingTarget.Table;
        var columns = Columns(reader, root, target);
        var table = target == MappingTarget.Table ? Table(reader, root, columns) : null;
        if (target == MappingTarget.Messages)
        {
            foreach (var key in new[] { "table", "key" })
            {
                if (reader.Optional(root, key) is { } keyNode)
                    throw reader.Fail(keyNode, $"'{key}' is only for 'into: table' (messages are keyed by conversation_id and message_id)");
            }
            foreach (var required in new[] { "conversation_id", "message_id" })
            {
                if (columns.All(c => c.Name != required))
                    throw reader.Fail(root, $"messages need column '{required}'");
            }
        }
        var separator = Separator(reader, root, format);
        return new FileMapping(text, format, source, target, columns, table, separator);
    }

    private static List<MappedColumn> Columns(MappingNodes reader, YamlMappingNode root, MappingTarget target)
    {
        var node = reader.Optional(root, "columns") ?? throw reader.Fail(root, "'columns' is missing");
        var columns = new List<MappedColumn>();
        foreach (var (keyNode, valueNode) in reader.Mapping(node, "columns").Children)
        {
            var name = reader.Scalar(keyNode, "a column name");
            if (target == MappingTarget.Messages && !MessageColumns.ContainsKey(name))
                throw reader.Fail(keyNode, $"'{name}' is not a messages column (known: {string.Join(", ", MessageColumns.Keys)})");
            if (target == MappingTarget.Table)
            {
                if (!IdentifierPattern().IsMatch(name))
                    throw reader.Fail(keyNode, $"column name '{name}' is not valid: use a lower-case letter or '_', then lower-case letters, digits or '_' (at most 63)");
                if (ReservedColumns.Contains(name))
                    throw reader.Fail(keyNode, $"column name '{name}' is reserved: every row gets {string.Join(", ", ReservedColumns)}");
            }
            columns.Add(Column(reader, name, valueNode, target));
        }
        if (columns.Count == 0)
            throw reader.Fail(node, "'columns' maps no column");
        return columns;
    }

    private static MappedColumn Column(MappingNodes reader, string name, YamlNode node, MappingTarget target)
    {
        var line = node.Start.Line;
        if (node is YamlScalarNode)
            return new MappedColumn(name, reader.NonEmpty(node, $"column '{name}'"), Implied(name, target), null, line);
        var spec = reader.Mapping(node, $"column '{name}'");
        reader.OnlyKeys(spec, ColumnKeys, $"column '{name}'");
        var from = reader.Optional(spec, "from") is { } f ? reader.NonEmpty(f, $"column '{name}': from") : throw reader.Fail(spec, $"column '{name}': 'from' is missing");
        var type = Implied(name, target);
        if (reader.Optional(spec, "type") is { } t)
        {
            type = Enum.Parse<ColumnType>(reader.OneOf(t, $"column '{name}': type", ["string", "int", "decimal", "bool", "timestamp"]), ignoreCase: true);
            if (target == MappingTarget.Messages && MessageColumns[name] != ColumnType.String && type != MessageColumns[name])
                throw reader.Fail(t, $"column '{name}' of messages is a {MessageColumns[name].ToString().ToLowerInvariant()}");
        }
        string? format = null;
        if (reader.Optional(spec, "format") is { } fmt)
        {
            if (type != ColumnType.Timestamp)
                throw reader.Fail(fmt, $"column '{name}': 'format' is only for timestamps");
            format = reader.NonEmpty(fmt, $"column '{name}': format");
        }
        return new MappedColumn(name, from, type, format, line);
    }

    private static ColumnType Implied(string name, MappingTarget target) =>
        target == MappingTarget.Messages ? MessageColumns[name] : ColumnType.String;

    private static TableShape Table(MappingNodes reader, YamlMappingNode root, List<MappedColumn> columns)
    {
        var node = reader.Optional(root, "table") ?? throw reader.Fail(root, "'table' is missing: 'into: table' needs the table's name");
        var name = reader.Scalar(node, "table");
        if (!IdentifierPattern().IsMatch(name))
            throw reader.Fail(node, $"table name '{name}' is not valid: use a lower-case letter or '_', then lower-case letters, digits or '_' (at most 63)");
        if (ContractTables.Contains(name) || name.StartsWith("sqlite_", StringComparison.Ordinal) || name.StartsWith("pg_", StringComparison.Ordinal))
            throw reader.Fail(node, $"table name '{name}' is reserved");
        var keyNode = reader.Optional(root, "key") ?? throw reader.Fail(root, "'key' is missing: name the column(s) that identify a row");
        var key = keyNode is YamlSequenceNode list
            ? list.Children.Select(k => reader.Scalar(k, "key")).ToList()
            : [reader.Scalar(keyNode, "key")];
        if (key.Count == 0)
            throw reader.Fail(keyNode, "'key' names no column");
        foreach (var k in key)
        {
            if (columns.All(c => c.Name != k))
                throw reader.Fail(keyNode, $"key column '{k}' is not one of the columns ({string.Join(", ", columns.Select(c => c.Name))})");
        }
        if (key.Distinct().Count() != key.Count)
            throw reader.Fail(keyNode, "'key' names a column twice");
        return new TableShape(name, columns.Select(c => new TableColumn(c.Name, c.Type)).ToList(), key);
    }

    private static char Separator(MappingNodes reader, YamlMappingNode root, FileFormat? format)
    {
        if (reader.Optional(root, "csv") is not { } node)
            return ',';
        if (format == FileFormat.Ndjson)
            throw reader.Fail(node, "'csv' settings do not apply to 'format: ndjson'");
        var csv = reader.Mapping(node, "csv");
        reader.OnlyKeys(csv, ["separator"], "csv");
        if (reader.Optional(csv, "separator") is not { } s)
            return ',';
        var text = reader.Scalar(s, "csv: separator");
        return text switch
        {
            "tab" or "\t" => '\t',
            { Length: 1 } when text[0] is not ('"' or '\r' or '\n') => text[0],
            _ => throw reader.Fail(s, $"csv: separator '{text}' is not one character (other than a quote or a line break) or 'tab'"),
        };
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex SourcePattern();

    // YamlDotNet puts "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 9, Idx: 24): " before its message; ours says the line.
    [GeneratedRegex(@"^(\(Line: \d+, Col: \d+, Idx: \d+\)\s*-?\s*)+:?\s*")]
    private static partial Regex YamlPosition();
}
