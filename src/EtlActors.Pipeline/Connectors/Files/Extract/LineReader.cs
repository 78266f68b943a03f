using System.Text;

namespace EtlActors.Pipeline.Connectors.Files.Extract;

/// <summary>
/// Reads a text a line at a time (a line ends at <c>\n</c>; a <c>\r</c> before it is dropped) without ever holding
/// more than <see cref="MaxLineChars"/> of one line: StreamReader.ReadLine would hold a whole line, and a file with
/// no line break at all would take the process's memory. A longer line is still a line, reported as too long with
/// its start, so the job quarantines it and goes on.
/// </summary>
internal sealed class LineReader(StreamReader reader, string path)
{
    /// <summary>
    /// Far above any real record, yet bounding one record's cost (it is held as text, parsed and written as
    /// JSON downstream, several times its size in all), as the Skype reader's 4 MiB does.
    /// </summary>
    public const int MaxLineChars = 4 * 1024 * 1024;

    /// <summary>How much of a too-long line is kept, for its quarantine row.</summary>
    public const int KeptOfTooLong = 1024;

    private readonly char[] _buffer = new char[64 * 1024];
    private readonly StringBuilder _line = new();
    private int _start;
    private int _end;

    /// <summary>The 1-based number of the line last read.</summary>
    public long Line { get; private set; }

    /// <returns>The next line (its first <see cref="KeptOfTooLong"/> characters when too long), or null at the end.</returns>
    public async ValueTask<(string Text, bool TooLong)?> ReadAsync(CancellationToken cancellationToken)
    {
        _line.Clear();
        var tooLong = false;
        var started = false;
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
                return started ? End(tooLong) : null;
            started = true;
            var rest = _buffer.AsSpan(_start, _end - _start);
            var newline = rest.IndexOf('\n');
            var part = newline < 0 ? rest : rest[..newline];
            if (!tooLong && _line.Length + part.Length > MaxLineChars)
            {
                tooLong = true;
                _line.Length = Math.Min(_line.Length, KeptOfTooLong);
            }
            _line.Append(tooLong ? part[..Math.Min(part.Length, Math.Max(0, KeptOfTooLong - _line.Length))] : part);
            if (newline < 0)
            {
                _start = _end;
                continue;
            }
            _start += newline + 1;
            return End(tooLong);
        }
    }

    private (string, bool) End(bool tooLong)
    {
        Line++;
        if (!tooLong && _line.Length > 0 && _line[^1] == '\r')
            _line.Length--;
        return (_line.ToString(), tooLong);
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        try
        {
            _end = await reader.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (DecoderFallbackException ex)
        {
            throw FileText.InvalidUtf8(path, Line + 1, ex);
        }
        _start = 0;
        return _end > 0;
    }
}
