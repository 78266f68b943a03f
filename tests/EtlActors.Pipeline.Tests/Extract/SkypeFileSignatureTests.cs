using System.IO.Compression;
using System.Text;

namespace EtlActors.Pipeline.Tests.Extract;

/// <summary>A file a user mistakes for an export (compressed, zipped, saved as UTF-16) is named for what it is, with what to do.</summary>
public sealed class SkypeFileSignatureTests : IDisposable
{
    private const string Export = """{"conversations":[]}""";

    private readonly ExtractFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task A_gzipped_export_is_told_to_be_decompressed()
    {
        var path = _files.PathOf("export.tar.gz");
        await using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            await gzip.WriteAsync(await File.ReadAllBytesAsync(ExtractFiles.SampleTar));
        }

        Assert.Equal($"{path}: not a tar archive or a JSON file (it is gzip-compressed: decompress it first)", (await ExtractFiles.FailureAsync(path)).Message);
    }

    [Fact]
    public async Task A_zipped_export_is_told_to_be_extracted()
    {
        var path = _files.PathOf("export.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            await using var entry = zip.CreateEntry("messages.json").Open();
            await entry.WriteAsync(Encoding.UTF8.GetBytes(Export));
        }

        Assert.Equal($"{path}: not a tar archive or a JSON file (it is a zip archive: extract the export from it first)", (await ExtractFiles.FailureAsync(path)).Message);
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    public async Task Json_saved_as_utf16_is_told_to_be_saved_as_utf8(string encoding)
    {
        var path = _files.Bytes("messages.json", [.. Encoding.GetEncoding(encoding).GetPreamble(), .. Encoding.GetEncoding(encoding).GetBytes(Export)]);

        Assert.Equal($"{path}: not a tar archive or a JSON file (it is UTF-16 text: save it as UTF-8)", (await ExtractFiles.FailureAsync(path)).Message);
    }

    [Fact]
    public async Task Json_saved_as_utf32_is_not_taken_for_utf16()
    {
        var utf32 = new UTF32Encoding(bigEndian: false, byteOrderMark: true);
        var path = _files.Bytes("messages.json", [.. utf32.GetPreamble(), .. utf32.GetBytes(Export)]);

        Assert.Equal($"{path}: not a tar archive or a JSON file (it is UTF-32 text: save it as UTF-8)", (await ExtractFiles.FailureAsync(path)).Message);
    }

    [Fact]
    public async Task Whitespace_before_a_zip_signature_gets_no_advice()
    {
        // The signature counts only at the start of the file.
        var path = _files.Bytes("export.tar", [.. Encoding.ASCII.GetBytes(new string(' ', 600)), .. "PK\u0003\u0004"u8]);

        Assert.Equal($"{path}: not a tar archive or a JSON file", (await ExtractFiles.FailureAsync(path)).Message);
    }
}
