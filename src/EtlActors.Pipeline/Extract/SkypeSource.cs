using System.Formats.Tar;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Extract;

/// <summary>
/// An opened Skype export: the <c>messages.json</c> stream, whether the file is that JSON itself
/// or a tar holding it. The kind is told by content (tar magic, or a leading brace), not name.
/// </summary>
internal sealed class SkypeSource : IAsyncDisposable
{
    private const int TarHeaderBytes = 512;
    private const int TarMagicOffset = 257;
    private const int ChecksumOffset = 148;
    private const int ChecksumBytes = 8;

    private readonly FileStream _file;
    private readonly TarReader? _tar;

    private SkypeSource(FileStream file, TarReader? tar, Stream json)
    {
        _file = file;
        _tar = tar;
        Json = json;
    }

    /// <summary>The JSON document; seekable, positioned at its start.</summary>
    public Stream Json { get; }

    public static async Task<SkypeSource> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var file = Open(path);
        try
        {
            var kind = await DetectAsync(file, path, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            if (kind == SourceKind.Json)
            {
                return new SkypeSource(file, null, file);
            }

            var tar = new TarReader(file, leaveOpen: true);
            try
            {
                var json = await FindMessagesJsonAsync(tar, path, cancellationToken).ConfigureAwait(false);
                return new SkypeSource(file, tar, json);
            }
            catch
            {
                await tar.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_tar is not null)
        {
            await _tar.DisposeAsync().ConfigureAwait(false);
        }

        await _file.DisposeAsync().ConfigureAwait(false);
    }

    private static FileStream Open(string path)
    {
        try
        {
            // Our own buffer does the buffering; FileStream's would only copy twice.
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SourceFormatException(path, "file not found", inner: exception);
        }
    }

    private static async Task<SourceKind> DetectAsync(FileStream file, string path, CancellationToken cancellationToken)
    {
        var head = new byte[TarHeaderBytes];
        var length = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (length == 0)
        {
            throw new SourceFormatException(path, "the file is empty");
        }

        if (length == TarHeaderBytes && IsTarHeader(head))
        {
            return SourceKind.Tar;
        }

        var first = FirstNonWhitespace(head, length, skipBom: true);
        while (first < 0 && length == head.Length)
        {
            // Leading whitespace may run past the first block: keep reading until something shows.
            length = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            first = FirstNonWhitespace(head, length, skipBom: false);
        }

        return first < 0 ? throw new SourceFormatException(path, "the file is empty")
            : head[first] is (byte)'{' or (byte)'[' ? SourceKind.Json
            : throw new SourceFormatException(path, "not a tar archive or a JSON file");
    }

    /// <summary>
    /// The ustar magic and a matching header checksum: the magic alone could be chance, e.g.
    /// "gustar" at byte 257 of a Spanish chat.
    /// </summary>
    private static bool IsTarHeader(ReadOnlySpan<byte> header)
    {
        if (!header[TarMagicOffset..].StartsWith("ustar"u8))
        {
            return false;
        }

        var field = header.Slice(ChecksumOffset, ChecksumBytes);
        var stored = 0L;
        foreach (var digit in field.Trim(" \0"u8))
        {
            if (digit is < (byte)'0' or > (byte)'7')
            {
                return false;
            }

            stored = (stored * 8) + (digit - '0');
        }

        // The checksum counts its own field as spaces; old writers summed signed bytes.
        long unsigned = ChecksumBytes * ' ', signed = ChecksumBytes * ' ';
        for (var i = 0; i < header.Length; i++)
        {
            if (i is < ChecksumOffset or >= ChecksumOffset + ChecksumBytes)
            {
                unsigned += header[i];
                signed += (sbyte)header[i];
            }
        }

        return stored == unsigned || stored == signed;
    }

    private static int FirstNonWhitespace(byte[] head, int length, bool skipBom)
    {
        var from = skipBom && head.AsSpan(0, length).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var index = head.AsSpan(from, length - from).IndexOfAnyExcept(" \t\r\n"u8);
        return index < 0 ? -1 : from + index;
    }

    private static async Task<Stream> FindMessagesJsonAsync(TarReader tar, string path, CancellationToken cancellationToken)
    {
        try
        {
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile
                    && (entry.Name == "messages.json" || entry.Name.EndsWith("/messages.json", StringComparison.Ordinal)))
                {
                    return entry.DataStream is { Length: > 0 } data
                        ? data
                        : throw new SourceFormatException(path, "the archive's messages.json is empty");
                }
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new SourceFormatException(path, "the tar archive is damaged", inner: exception);
        }

        throw new SourceFormatException(path, "the archive holds no messages.json");
    }

    private enum SourceKind { Json, Tar }
}
