using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EtlActors.Pipeline.Connectors.Files.Mapping;

namespace EtlActors.Pipeline.Connectors.Files.Extract;

/// <summary>
/// The payload of one file record as the reader hands it to the normaliser: where it is (file and the line it
/// starts on), its text as read, and the raw value of each mapped column (a JSON value from NDJSON, a string or
/// null from CSV), or the reason the reader could not take values from it. Typing the values is the normaliser's
/// job, so the single reading stream does only what it must and the transformer entities do the rest.
/// </summary>
internal sealed class FileRecordWriter(string file, FileFormat format)
{
    // Only ever parsed back by FilesNormalizer: no need to escape non-ASCII text.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private Utf8JsonWriter? _writer;

    /// <summary>Starts the record that begins on <paramref name="line"/>; then <see cref="Value(string, string?)"/>s, then <see cref="End"/>.</summary>
    public void Begin(long line, string text, string? rawId = null)
    {
        _buffer.ResetWrittenCount();
        if (_writer is null)
            _writer = new Utf8JsonWriter(_buffer, Options);
        else
            _writer.Reset(_buffer);
        _writer.WriteStartObject();
        _writer.WriteString("file", file);
        _writer.WriteString("format", format == FileFormat.Csv ? "csv" : "ndjson");
        _writer.WriteNumber("line", line);
        _writer.WriteString("text", text);
        if (rawId is not null)
            _writer.WriteString("raw_id", rawId);
        _writer.WriteStartObject("values");
    }

    public void Value(string column, string? value)
    {
        if (value is null)
            _writer!.WriteNull(column);
        else
            _writer!.WriteString(column, value);
    }

    public void Value(string column, JsonElement value)
    {
        _writer!.WritePropertyName(column);
        _writer.WriteRawValue(value.GetRawText(), skipInputValidation: true); // as in the source: an object keeps its spacing
    }

    public string End()
    {
        _writer!.WriteEndObject();
        _writer.WriteEndObject();
        _writer.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }

    /// <summary>A record the reader could not take values from: the normaliser quarantines it with <paramref name="code"/>.</summary>
    public string Error(long line, string text, string code, string problem)
    {
        Begin(line, text);
        _writer!.WriteEndObject();
        _writer.WriteString("error", code);
        _writer.WriteString("problem", problem);
        _writer.WriteEndObject();
        _writer.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }
}
