using System.Text.Json;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Connectors.Skype.Extract;

/// <summary>
/// Finds a conversation's <c>id</c> when its <c>MessageList</c> comes first: messages are routed
/// by that id, and holding them back until it appears would make memory grow with the
/// conversation. Instead the probe re-reads the conversation object from its start on the same
/// (seekable) stream, a token at a time, then puts the stream back where it was.
/// </summary>
internal sealed class ConversationIdProbe
{
    private readonly JsonChunkBuffer _buffer;
    private bool _nextIsId;
    private string? _found;

    private ConversationIdProbe(JsonChunkBuffer buffer) => _buffer = buffer;

    /// <summary>
    /// The id of the conversation whose opening brace is at <paramref name="objectStart"/>, or
    /// "" when it has none (or the data is broken: the main pass reports that where it is).
    /// </summary>
    public static async ValueTask<string> FindAsync(
        Stream stream, long objectStart, string file, SkypeReaderOptions options, ReaderStats? stats, CancellationToken cancellationToken)
    {
        if (!stream.CanSeek)
        {
            return string.Empty;
        }

        var resume = stream.Position;
        try
        {
            stream.Position = objectStart;
            var probe = new ConversationIdProbe(new JsonChunkBuffer(stream, file, options, stats, skipBom: false));
            while (!probe.Scan())
            {
                if (!await probe._buffer.RefillAsync(cancellationToken).ConfigureAwait(false))
                {
                    return string.Empty;
                }
            }

            return probe._found ?? string.Empty;
        }
        catch (Exception exception) when (exception is JsonException or SourceFormatException)
        {
            return string.Empty;
        }
        finally
        {
            stream.Position = resume;
        }
    }

    /// <summary>
    /// The string the reader is on; "" when its escapes do not decode (a lone surrogate), so the
    /// conversation is quarantined downstream rather than failing the whole file.
    /// </summary>
    public static string DecodeId(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString() ?? string.Empty;
        }
        catch (InvalidOperationException)
        {
            return string.Empty;
        }
    }

    /// <summary>True when the answer is known; false when more data is needed.</summary>
    private bool Scan()
    {
        var reader = _buffer.CreateReader();
        while (reader.Read())
        {
            if (_nextIsId)
            {
                _found = reader.TokenType == JsonTokenType.String ? DecodeId(ref reader) : null;
                return true;
            }

            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("id"u8))
            {
                _nextIsId = true;
            }
            else if (reader.CurrentDepth == 0 && reader.TokenType == JsonTokenType.EndObject)
            {
                return true;
            }
        }

        // Read stops after the last whole token, so what it read can be kept.
        _buffer.Commit(reader);
        return false;
    }
}
