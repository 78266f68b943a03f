using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Connectors.Skype.Extract;

/// <summary>
/// A refillable window over a JSON stream for <see cref="Utf8JsonReader"/>. Callers create a
/// reader on the unconsumed bytes, and <see cref="Commit"/> what it fully read; when the reader
/// runs dry they <see cref="RefillAsync"/>, which keeps the unconsumed tail and grows the buffer
/// only when one unit (a record) does not fit, up to the record limit. It also tracks lines
/// and validates UTF-8, which the reader does not do inside strings.
/// </summary>
internal sealed class JsonChunkBuffer
{
    private static readonly byte[] _utf8Bom = [0xEF, 0xBB, 0xBF];

    private readonly Stream _stream;
    private readonly string _file;
    private readonly int _maxBytes;
    private readonly ReaderStats? _stats;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _bufferOrigin; // stream offset of _buffer[0]
    private long _line;         // newlines before _start
    private long _lineStart;    // stream offset where the current line begins
    private bool _bomChecked;
    private bool _endOfStream;
    private JsonReaderState _state;

    public JsonChunkBuffer(Stream stream, string file, SkypeReaderOptions options, ReaderStats? stats, bool skipBom = true)
    {
        _stream = stream;
        _file = file;
        _maxBytes = options.MaxRecordBytes;
        _stats = stats;
        _buffer = new byte[options.InitialBufferBytes];
        _stats?.SawBuffer(_buffer.Length);
        _bomChecked = !skipBom;
        _bufferOrigin = stream.CanSeek ? stream.Position : 0;
        _lineStart = _bufferOrigin;
    }

    /// <summary>Stream offset of the first unconsumed byte.</summary>
    public long Position => _bufferOrigin + _start;

    public Utf8JsonReader CreateReader() => new(_buffer.AsSpan(_start, _end - _start), isFinalBlock: false, _state);

    /// <summary>Bytes of the current reader's input, from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public ReadOnlySpan<byte> Slice(long from, long to) => _buffer.AsSpan(_start + (int)from, (int)(to - from));

    /// <summary>Consumes what <paramref name="reader"/> read, after checking it is valid UTF-8.</summary>
    public void Commit(in Utf8JsonReader reader)
    {
        var consumed = _buffer.AsSpan(_start, (int)reader.BytesConsumed);
        if (!Utf8.IsValid(consumed))
        {
            throw Error("invalid UTF-8", _start + FirstInvalidUtf8(consumed));
        }

        var newlines = consumed.Count((byte)'\n');
        if (newlines > 0)
        {
            _line += newlines;
            _lineStart = _bufferOrigin + _start + consumed.LastIndexOf((byte)'\n') + 1;
        }

        _start += consumed.Length;
        _state = reader.CurrentState;
    }

    /// <summary>
    /// Reads more of the stream behind the unconsumed bytes. False when the stream has ended.
    /// Throws when the unconsumed bytes already fill a buffer of the record limit.
    /// </summary>
    public async ValueTask<bool> RefillAsync(CancellationToken cancellationToken)
    {
        if (_endOfStream)
        {
            return false;
        }

        MakeRoom();
        var added = 0;
        while (_end < _buffer.Length)
        {
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _endOfStream = true;
                break;
            }

            _end += read;
            added += read;
        }

        SkipBom();
        return added > 0;
    }

    /// <summary>A format error at <paramref name="readerIndex"/> of the current reader's input.</summary>
    public SourceFormatException ErrorAtReader(string problem, long readerIndex) => Error(problem, _start + (int)readerIndex);

    /// <summary>A format error at the first byte of the next record (after separators).</summary>
    public SourceFormatException ErrorAtNextToken(string problem)
    {
        var pending = _buffer.AsSpan(_start, _end - _start);
        var skip = pending.IndexOfAnyExcept(" \t\r\n,"u8);
        return Error(problem, _start + (skip < 0 ? pending.Length : skip));
    }

    /// <summary>A format error at the end of the data read so far.</summary>
    public SourceFormatException ErrorAtEnd(string problem) => Error(problem, _end);

    public SourceFormatException Wrap(JsonException exception)
    {
        // The reader state carries its line count across buffers, so these are file positions.
        var detail = exception.Message;
        var cut = detail.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            detail = detail[..cut];
        }

        return new SourceFormatException(_file, $"invalid JSON: {detail}", (exception.LineNumber ?? 0) + 1, exception.BytePositionInLine, exception);
    }

    /// <summary>Consumes trailing whitespace; anything else after the document is an error.</summary>
    public async ValueTask ExpectOnlyWhitespaceAsync(CancellationToken cancellationToken)
    {
        do
        {
            var rest = _buffer.AsSpan(_start, _end - _start);
            var other = rest.IndexOfAnyExcept(" \t\r\n"u8);
            if (other >= 0)
            {
                throw Error("unexpected data after the end of the JSON document", _start + other);
            }

            _start = _end;
        }
        while (await RefillAsync(cancellationToken).ConfigureAwait(false));
    }

    private void MakeRoom()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _bufferOrigin += _start;
            _end -= _start;
            _start = 0;
        }

        if (_end < _buffer.Length)
        {
            return;
        }

        if (_buffer.Length >= _maxBytes)
        {
            throw ErrorAtNextToken($"record larger than {_maxBytes} bytes");
        }

        var grown = new byte[(int)Math.Min((long)_buffer.Length * 2, _maxBytes)];
        _buffer.AsSpan(0, _end).CopyTo(grown);
        _buffer = grown;
        _stats?.SawBuffer(grown.Length);
    }

    private void SkipBom()
    {
        if (_bomChecked || (_end - _start < _utf8Bom.Length && !_endOfStream))
        {
            return;
        }

        _bomChecked = true;
        if (_buffer.AsSpan(_start, _end - _start).StartsWith(_utf8Bom))
        {
            // Positions count from after the BOM, as an editor shows them.
            _start += _utf8Bom.Length;
            _lineStart = _bufferOrigin + _start;
        }
    }

    private SourceFormatException Error(string problem, int bufferIndex)
    {
        var before = _buffer.AsSpan(_start, bufferIndex - _start);
        var newlines = before.Count((byte)'\n');
        var lineStart = newlines == 0 ? _lineStart : _bufferOrigin + _start + before.LastIndexOf((byte)'\n') + 1;
        return new SourceFormatException(_file, problem, _line + newlines + 1, _bufferOrigin + bufferIndex - lineStart);
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var index = 0;
        while (index < bytes.Length && Rune.DecodeFromUtf8(bytes[index..], out _, out var length) == System.Buffers.OperationStatus.Done)
        {
            index += length;
        }

        return index;
    }
}
