using System.Buffers;
using System.Text;

namespace EtlActors.Pipeline.Connectors.Skype.Extract;

/// <summary>
/// Builds a conversation's payload: a JSON object of its fields except <c>MessageList</c>, names
/// and values copied byte for byte from the source. One instance is reused for every
/// conversation, so it holds at most the largest conversation's fields.
/// </summary>
internal sealed class ConversationPayload
{
    private readonly ArrayBufferWriter<byte> _bytes = new(1024);

    private readonly ReaderStats? _stats;
    private bool _empty = true;

    public ConversationPayload(int maxBytes, ReaderStats? stats)
    {
        MaxBytes = maxBytes;
        _stats = stats;
    }

    public int MaxBytes { get; }

    /// <summary>The conversation's id, once its <c>id</c> field was read as a string.</summary>
    public string? Id { get; set; }

    /// <summary>Stream offset of the conversation's opening brace (for the id look-ahead).</summary>
    public long StartPosition { get; private set; }

    public void Begin(long startPosition)
    {
        _bytes.ResetWrittenCount();
        _bytes.GetSpan(1)[0] = (byte)'{';
        _bytes.Advance(1);
        _empty = true;
        Id = null;
        StartPosition = startPosition;
    }

    /// <summary>Adds one field; false when the payload would pass the record limit.</summary>
    public bool TryAdd(ReadOnlySpan<byte> escapedName, ReadOnlySpan<byte> rawValue)
    {
        var size = escapedName.Length + rawValue.Length + 4; // comma, two quotes, colon
        if (_bytes.WrittenCount + size + 1 > MaxBytes)
        {
            return false;
        }

        var span = _bytes.GetSpan(size);
        var at = 0;
        if (!_empty)
        {
            span[at++] = (byte)',';
        }

        span[at++] = (byte)'"';
        escapedName.CopyTo(span[at..]);
        at += escapedName.Length;
        span[at++] = (byte)'"';
        span[at++] = (byte)':';
        rawValue.CopyTo(span[at..]);
        at += rawValue.Length;
        _bytes.Advance(at);
        _empty = false;
        return true;
    }

    public string Finish()
    {
        _bytes.GetSpan(1)[0] = (byte)'}';
        _bytes.Advance(1);
        _stats?.SawPayload(_bytes.Capacity);
        return Encoding.UTF8.GetString(_bytes.WrittenSpan);
    }
}
