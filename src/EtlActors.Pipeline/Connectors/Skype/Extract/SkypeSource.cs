using System.Formats.Tar;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Connectors.Skype.Extract;

/// <summary>
/// An opened Skype export: the <c>messages.json</c> stream, whether the file is that JSON itself,
/// a tar holding it, or the folder the tar unpacks to. The kind is told by content (tar magic, or a
/// leading brace), not name.
/// </summary>
internal sealed class SkypeSource : IAsyncDisposable
{
    private readonly FileStream _file;
    private readonly TarReader? _tar;

    private const string MessagesJson = "messages.json";

    private SkypeSource(FileStream file, TarReader? tar, Stream json, string name)
    {
        _file = file;
        _tar = tar;
        Json = json;
        Name = name;
    }

    /// <summary>The file errors name: the tar or the JSON given, or a folder's messages.json.</summary>
    public string Name { get; }

    /// <summary>How far into the file (the tar, the JSON or the folder's messages.json) reading has come, in bytes.</summary>
    public long Position => _file.Position;

    /// <summary>The file's length in bytes.</summary>
    public long Length => _file.Length;

    /// <summary>The JSON document; seekable, positioned at its start.</summary>
    public Stream Json { get; }

    public static async Task<SkypeSource> OpenAsync(string path, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
            path = MessagesJsonIn(path);
        var file = Open(path);
        try
        {
            var kind = await DetectAsync(file, path, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            if (kind == SourceKind.Json)
            {
                return new SkypeSource(file, null, file, path);
            }

            var tar = new TarReader(file, leaveOpen: true);
            try
            {
                var json = await SkypeTarEntries.FindMessagesJsonAsync(tar, file, path, cancellationToken).ConfigureAwait(false);
                return new SkypeSource(file, tar, json, path);
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

    private static string MessagesJsonIn(string folder)
    {
        var json = Path.Combine(folder, MessagesJson);
        var info = new FileInfo(json);
        if (!info.Exists)
            throw new SourceFormatException(folder, $"no {MessagesJson} in this folder (an unpacked Skype export holds it at the top)");
        // As a tar's link entries and a Slack folder's links: a node's sources root admits the folder's path only,
        // so a link inside must not lead the read elsewhere.
        if (info.LinkTarget is { } target)
            throw new SourceFormatException(folder, $"its {MessagesJson} is a link to '{target}', not a file; it is not followed");
        return json;
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
        var head = new byte[FileSignature.TarHeaderBytes];
        var length = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (length == 0)
        {
            throw new SourceFormatException(path, "the file is empty");
        }

        if (FileSignature.IsTarHeader(head.AsSpan(0, length)))
        {
            return SourceKind.Tar;
        }

        var first = FirstNonWhitespace(head, length, skipBom: true);
        var atStart = true;
        while (first < 0 && length == head.Length)
        {
            atStart = false;
            // Leading whitespace may run past the first block: keep reading until something shows.
            length = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            first = FirstNonWhitespace(head, length, skipBom: false);
        }

        return first < 0 ? throw new SourceFormatException(path, "the file is empty")
            : head[first] is (byte)'{' or (byte)'[' ? SourceKind.Json
            : throw NotAnExport(path, atStart ? head.AsSpan(0, length) : []);
    }

    /// <param name="head">The file's first block; empty when it was all whitespace.</param>
    private static SourceFormatException NotAnExport(string path, ReadOnlySpan<byte> head) =>
        FileSignature.IsCutTarHeader(head) ? new SourceFormatException(path, "the tar archive is truncated inside its first header")
        : FileSignature.Advice(head) is { } advice ? new SourceFormatException(path, $"not a tar archive or a JSON file ({advice})")
        : new SourceFormatException(path, "not a tar archive or a JSON file");

    private static int FirstNonWhitespace(byte[] head, int length, bool skipBom)
    {
        var from = skipBom && head.AsSpan(0, length).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var index = head.AsSpan(from, length - from).IndexOfAnyExcept(" \t\r\n"u8);
        return index < 0 ? -1 : from + index;
    }

    private enum SourceKind { Json, Tar }
}
