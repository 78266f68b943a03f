using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using EtlActors.Pipeline.Connectors.Files.Mapping;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Connectors.Files.Extract;

/// <summary>
/// Streams an NDJSON file a line at a time. Each non-blank line is a record; its position is its ordinal among
/// them, and its line number goes with it for quarantine. A line that is not a JSON object is still a record,
/// which the normaliser quarantines; invalid UTF-8 fails the job, naming the line.
/// </summary>
internal static class NdjsonFileReader
{
    public static async IAsyncEnumerable<ExtractedRecord> ReadAsync(
        string path, FileMapping mapping, long fromOffset, SourceProgress? progress,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var columns = mapping.Columns.Select(c => (c.Name, Path: JsonPath.Parse(c.From))).ToArray();
        var keyColumns = PartitionKeys.Columns(mapping);
        var writer = new FileRecordWriter(Path.GetFileName(path), FileFormat.Ndjson);
        using var reader = FileText.Open(path);
        var length = reader.BaseStream.Length;
        var lines = new LineReader(reader, path);
        var ordinal = 0L;
        while (await lines.ReadAsync(cancellationToken).ConfigureAwait(false) is var (text, tooLong))
        {
            if (string.IsNullOrWhiteSpace(text))
                continue;
            var offset = ordinal++;
            if (offset < fromOffset)
                continue;
            progress?.Report(reader.BaseStream.Position, length);
            yield return tooLong
                ? Bad(offset, writer.Error(lines.Line, text, FilesErrorCodes.RecordTooLong,
                    $"longer than {LineReader.MaxLineChars} characters (its first {LineReader.KeptOfTooLong} are kept here)"))
                : Record(offset, lines.Line, text, mapping, columns, keyColumns, writer);
        }
        progress?.Report(length, length);
    }

    private static ExtractedRecord Record(
        long offset, long line, string text, FileMapping mapping, (string Name, JsonPath Path)[] columns,
        IReadOnlyList<string> keyColumns, FileRecordWriter writer)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            return Bad(offset, writer.Error(line, text, FilesErrorCodes.InvalidJson, $"not valid JSON: {ex.Message}"));
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Bad(offset, writer.Error(line, text, FilesErrorCodes.InvalidJson, $"not a JSON object (found {root.ValueKind.ToString().ToLowerInvariant()})"));
            writer.Begin(line, text);
            var keys = new string?[keyColumns.Count];
            foreach (var (name, jsonPath) in columns)
            {
                if (jsonPath.Find(root) is not { } value)
                    continue;
                writer.Value(name, value);
                var k = IndexOf(keyColumns, name);
                if (k >= 0)
                    keys[k] = PartitionKeys.TextOf(value);
            }
            return new ExtractedRecord(offset, RecordKind.Message, PartitionKeys.Of(mapping, keys), writer.End());
        }
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

    // RecordKind.Message for every file record: the normaliser goes by the mapping, not the kind.
    private static ExtractedRecord Bad(long offset, string payload) => new(offset, RecordKind.Message, PartitionKeys.Unkeyed, payload);
}

/// <summary>Opening a file's text: UTF-8 (a byte order mark is skipped), and invalid UTF-8 is an error, not U+FFFD.</summary>
internal static class FileText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static StreamReader Open(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan),
            StrictUtf8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);

    /// <summary>
    /// Invalid UTF-8 met while reading towards <paramref name="line"/>: text is decoded a buffer ahead of the
    /// line being parsed, so the bad bytes are there or a little after.
    /// </summary>
    public static SourceFormatException InvalidUtf8(string path, long line, Exception inner) =>
        new(path, $"not valid UTF-8 at or after line {line}", null, null, inner);
}
