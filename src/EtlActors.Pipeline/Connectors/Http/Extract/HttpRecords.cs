using System.Text.Json;
using EtlActors.Pipeline.Connectors.Files;
using EtlActors.Pipeline.Connectors.Files.Extract;
using EtlActors.Pipeline.Connectors.Files.Mapping;
using EtlActors.Pipeline.Connectors.Http.Config;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Connectors.Http.Extract;

/// <summary>
/// Turns one API record into an <see cref="ExtractedRecord"/> the files normaliser reads (see FileRecordWriter): the
/// raw value of each mapped column by its JSON path, the record's text, where it was (resource, page, index) and the
/// id its raw row is kept under (resource and key, since an API record has no stable line).
/// </summary>
internal sealed class HttpRecords(HttpResource resource, string sourceName)
{
    /// <summary>The hint naming the resource a record belongs to: its mapping normalises it.</summary>
    public const string ResourceHint = "resource";

    private readonly (string Name, JsonPath Path, string? Field)[] _columns = resource.Mapping.Columns
        .Select(c => (c.Name, JsonPath.Parse(c.From), (string?)resource.Fields.FirstOrDefault(f => f.Key == c.From).Value))
        .ToArray();
    private readonly IReadOnlyList<string> _keyColumns = PartitionKeys.Columns(resource.Mapping);
    private readonly IReadOnlyList<string> _idColumns = resource.Mapping.KeyColumns;
    private readonly FileRecordWriter _writer = new($"{sourceName}: {resource.Name}", FileFormat.Ndjson);
    private readonly Dictionary<string, string> _hints = new() { [ResourceHint] = resource.Name };

    public ExtractedRecord Record(long offset, int page, int index, JsonElement item, ReadPosition position)
    {
        var text = item.GetRawText();
        var line = index + 1L; // shown as the record's place in its page
        if (item.ValueKind != JsonValueKind.Object)
        {
            var error = _writer.Error(line, text, FilesErrorCodes.InvalidJson, $"page {page}: not a JSON object (found {item.ValueKind.ToString().ToLowerInvariant()})");
            return new ExtractedRecord(offset, RecordKind.Message, PartitionKeys.Unkeyed, error, _hints, position);
        }
        var keys = new string?[_keyColumns.Count];
        var ids = new string?[_idColumns.Count];
        foreach (var (name, path, field) in _columns)
        {
            var found = path.Find(item) is { } value ? PartitionKeys.TextOf(value) : field;
            if (IndexOf(_keyColumns, name) is var k and >= 0)
                keys[k] = found;
            if (IndexOf(_idColumns, name) is var i and >= 0)
                ids[i] = found;
        }
        var rawId = ids.Any(string.IsNullOrEmpty) ? $"{resource.Name}/page {page}/{index}" : $"{resource.Name}/{string.Join('/', ids)}";
        _writer.Begin(line, text, rawId);
        foreach (var (name, path, field) in _columns)
        {
            if (path.Find(item) is { } value)
                _writer.Value(name, value);
            else if (field is not null)
                _writer.Value(name, field);
        }
        return new ExtractedRecord(offset, RecordKind.Message, PartitionKeys.Of(resource.Mapping, keys), _writer.End(), _hints, position);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
                return i;
        }
        return -1;
    }
}
