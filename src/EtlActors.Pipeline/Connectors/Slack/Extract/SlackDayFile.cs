using System.Text;
using System.Text.Json;

namespace EtlActors.Pipeline.Connectors.Slack.Extract;

/// <summary>One element of a day file: its JSON text exactly as in the file, and the fields the reader's hints need.</summary>
internal readonly record struct SlackElement(string Raw, bool IsObject, string? User, string? ParentUser, string? Text);

/// <summary>
/// Splits a day file into its elements with a <see cref="Utf8JsonReader"/> over one buffer the reader keeps for the
/// whole export. JsonDocument.ParseAsync rents a buffer the size of each file from the shared pool, and the pool keeps
/// one per size and thread: over a 22,000-file export that cache grew peak memory by a fifth.
/// </summary>
internal sealed class SlackDayFile
{
    private byte[] _buffer = new byte[64 * 1024];

    /// <summary>The file's bytes, in the buffer (valid until the next read).</summary>
    public async Task<ReadOnlyMemory<byte>> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length)
                Array.Resize(ref _buffer, _buffer.Length * 2);
            var read = await stream.ReadAsync(_buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                return _buffer.AsMemory(0, length);
            length += read;
        }
    }

    /// <summary>
    /// The elements of a day file's array; an empty list for <c>null</c>. Throws <see cref="JsonException"/> when the
    /// file is not JSON, and <see cref="FormatException"/> (naming what it found) when it is JSON but not an array.
    /// </summary>
    public static List<SlackElement> Elements(ReadOnlySpan<byte> utf8)
    {
        if (utf8.StartsWith("\uFEFF"u8))
            utf8 = utf8[3..];
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read())
            throw new JsonException("the file is empty", null, 0, 0);
        var elements = new List<SlackElement>();
        if (reader.TokenType == JsonTokenType.Null)
        {
            reader.Read(); // rejects anything after it
            return elements;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            var found = reader.TokenType switch
            {
                JsonTokenType.StartObject => "object",
                JsonTokenType.String => "string",
                JsonTokenType.Number => "number",
                _ => "boolean",
            };
            reader.Skip();
            reader.Read();
            throw new FormatException($"expected an array of messages, found {found}");
        }
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            var isObject = reader.TokenType == JsonTokenType.StartObject;
            reader.Skip();
            var element = utf8[start..(int)reader.BytesConsumed];
            elements.Add(isObject ? Fields(element) : new SlackElement(Encoding.UTF8.GetString(element), false, null, null, null));
        }
        reader.Read(); // rejects anything after the array
        return elements;
    }

    // The top-level fields the hints need, read from the element's own bytes.
    private static SlackElement Fields(ReadOnlySpan<byte> element)
    {
        string? user = null, parent = null, text = null;
        var reader = new Utf8JsonReader(element);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                if (name.SequenceEqual("user"u8))
                    user = reader.GetString();
                else if (name.SequenceEqual("parent_user_id"u8))
                    parent = reader.GetString();
                else if (name.SequenceEqual("text"u8))
                    text = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }
        return new SlackElement(Encoding.UTF8.GetString(element), true, user, parent, text);
    }
}
