using System.IO.Compression;
using System.Text;

using EtlActors.Testing;

namespace EtlActors.IntegrationTests.Corpus;

/// <summary>Ways to write a case's file. Large files are streamed to disk a chunk at a time, never built in memory.</summary>
internal static class CorpusFiles
{
    private static readonly UTF8Encoding _utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static byte[] Utf8(string text) => _utf8.GetBytes(text);

    public static Func<string, Task> Text(string text) => path => File.WriteAllTextAsync(path, text, _utf8);

    /// <summary>Text made only when the case runs: for the larger generated exports.</summary>
    public static Func<string, Task> Text(Func<string> text) => path => File.WriteAllTextAsync(path, text(), _utf8);

    public static Func<string, Task> Bytes(params byte[][] parts) => path => File.WriteAllBytesAsync(path, parts.SelectMany(p => p).ToArray());

    /// <summary>Seeded, so a failing case shows the same bytes on every run.</summary>
    public static byte[] Random(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary><paramref name="head"/>, then <paramref name="count"/> copies of <paramref name="fill"/>, then <paramref name="tail"/>.</summary>
    public static Func<string, Task> Streamed(string head, string fill, long count, string tail) => async path =>
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await file.WriteAsync(Utf8(head));
        var chunk = Utf8(string.Concat(Enumerable.Repeat(fill, Math.Max(1, (1 << 20) / fill.Length))));
        var perChunk = chunk.Length / Utf8(fill).Length;
        for (var left = count; left > 0; left -= perChunk)
        {
            await file.WriteAsync(chunk.AsMemory(0, (int)Math.Min(left, perChunk) * Utf8(fill).Length));
        }

        await file.WriteAsync(Utf8(tail));
    };

    public static Func<string, Task> Tar(params byte[][] entries) => Bytes(RawTar.Archive(entries));

    public static Func<string, Task> Gzip(byte[] content) => async path =>
    {
        await using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        await gzip.WriteAsync(content);
    };

    public static Func<string, Task> Zip(string entryName, byte[] content) => async path =>
    {
        await using var zip = await ZipArchive.CreateAsync(File.Create(path), ZipArchiveMode.Create, leaveOpen: false, entryNameEncoding: null);
        await using var entry = await zip.CreateEntry(entryName).OpenAsync();
        await entry.WriteAsync(content);
    };
}
