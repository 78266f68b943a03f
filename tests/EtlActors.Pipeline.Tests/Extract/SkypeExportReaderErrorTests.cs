using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using EtlActors.Pipeline.Connectors.Skype.Extract;

namespace EtlActors.Pipeline.Tests.Extract;

/// <summary>Input that is not a Skype export fails with the file, the position and what is wrong.</summary>
public sealed class SkypeExportReaderErrorTests : IDisposable
{
    private readonly ExtractFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task A_missing_file_is_reported_as_not_found()
    {
        var path = _files.PathOf("nowhere/export.tar");

        var error = await ExtractFiles.FailureAsync(path);

        Assert.Equal($"{path}: file not found", error.Message);
    }

    [Fact]
    public async Task The_file_name_is_reported_as_the_user_gave_it()
    {
        var error = await ExtractFiles.FailureAsync("no-such-export.tar");

        Assert.Equal("no-such-export.tar: file not found", error.Message);
        Assert.Equal("no-such-export.tar", error.File);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \r\n\t ")]
    [InlineData("\uFEFF")]
    public async Task An_empty_file_is_reported_as_empty(string text)
    {
        var path = _files.Text("messages.json", text);

        Assert.Equal($"{path}: the file is empty", (await ExtractFiles.FailureAsync(path)).Message);
    }

    [Theory]
    [InlineData("hello, world")]
    [InlineData("<html></html>")]
    [InlineData("PK a text that starts like a zip")]
    public async Task A_file_that_is_neither_tar_nor_json_is_named_so(string text)
    {
        var path = _files.Text("export.tar", text);

        Assert.Equal($"{path}: not a tar archive or a JSON file", (await ExtractFiles.FailureAsync(path)).Message);
    }

    [Fact]
    public async Task An_archive_without_messages_json_is_named_so()
    {
        var path = _files.Tar("export.tar", ("media/", null), ("media/a.jpg", new byte[10]), ("messages.json.bak", "{}"u8.ToArray()));

        Assert.Equal($"{path}: the archive holds no messages.json", (await ExtractFiles.FailureAsync(path)).Message);
    }

    [Fact]
    public async Task A_tar_header_with_a_wrong_checksum_is_not_taken_for_a_tar()
    {
        var bytes = await File.ReadAllBytesAsync(ExtractFiles.SampleTar);
        bytes[0] ^= 0x20; // the entry name changes, the stored checksum does not
        var path = _files.Bytes("export.tar", bytes);

        Assert.Equal($"{path}: not a tar archive or a JSON file", (await ExtractFiles.FailureAsync(path)).Message);
    }

    [Fact]
    public async Task A_damaged_archive_is_named_so()
    {
        using var archive = new MemoryStream();
        using (var tar = new TarWriter(archive, TarEntryFormat.Ustar, leaveOpen: true))
        {
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "media/a.jpg") { DataStream = new MemoryStream(new byte[600]) });
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "messages.json") { DataStream = new MemoryStream("{}"u8.ToArray()) });
        }

        var bytes = archive.ToArray();
        bytes[512 + 1024 + 148] = (byte)'9'; // the second header's checksum field (after 512 + 600 bytes padded to 1024) is not octal
        var path = _files.Bytes("export.tar", bytes);

        var error = await ExtractFiles.FailureAsync(path);

        Assert.Equal($"{path}: the tar archive is damaged", error.Message);
        Assert.IsType<InvalidDataException>(error.InnerException);
    }

    [Fact]
    public async Task An_archive_with_an_empty_messages_json_is_named_so()
    {
        var path = _files.Tar("export.tar", ("messages.json", []));

        Assert.Equal($"{path}: the archive's messages.json is empty", (await ExtractFiles.FailureAsync(path)).Message);
    }

    [Fact]
    public async Task Truncated_json_reports_the_end_of_the_data()
    {
        var path = _files.Text("messages.json", "{\n  \"conversations\": [\n    {\"id\": \"a\", \"MessageList\": [{\"id\": \"1\", \"content\": \"hal");

        Assert.Equal($"{path}: line 3, byte 59: unexpected end of data", (await ExtractFiles.FailureAsync(path)).Message);
    }

    [Fact]
    public async Task A_truncated_archive_says_how_much_is_missing()
    {
        var whole = await File.ReadAllBytesAsync(ExtractFiles.SampleTar);
        var path = _files.Bytes("export.tar", whole[..4000]); // header (512) + the first 3488 bytes of messages.json
        var declared = new FileInfo(ExtractFiles.SampleJson).Length;

        var error = await ExtractFiles.FailureAsync(path);

        Assert.Equal($"{path}: the tar archive is truncated: its entry 'messages.json' declares {declared} bytes but only 3488 follow its header", error.Message);
    }

    [Fact]
    public async Task Invalid_json_reports_the_reader_error_at_its_position_and_keeps_it()
    {
        var path = _files.Text("messages.json", "{\"conversations\": [\n  {\"id\": \"a\", \"MessageList\": [\n    {\"id\": 1594819354321, \"content\": oops}]}]}");

        var error = await ExtractFiles.FailureAsync(path);

        Assert.Equal($"{path}: line 3, byte 37: invalid JSON: 'o' is an invalid start of a value.", error.Message);
        Assert.IsAssignableFrom<JsonException>(error.InnerException);
    }

    [Fact]
    public async Task Invalid_json_after_a_long_valid_part_reports_the_file_position()
    {
        var head = "{\"conversations\": [{\"id\": \"a\", \"MessageList\": [\n" + string.Concat(Enumerable.Repeat("{\"id\": \"1\", \"content\": \"0123456789\"},\n", 5000));
        var path = _files.Text("messages.json", head + "{\"id\": \"2\",, }]}]}");

        var error = await ExtractFiles.FailureAsync(path, new SkypeReaderOptions(BufferBytes: 1024));

        Assert.Equal($"{path}: line 5002, byte 11: invalid JSON: ',' is an invalid start of a property name. Expected a '\"'.", error.Message);
    }

    [Fact]
    public async Task Invalid_utf8_inside_a_message_is_reported_at_its_line()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"conversations\": [\n  {\"id\": \"a\", \"MessageList\": [\n    {\"id\": \"1\", \"content\": \"ok\"},\n    {\"id\": \"2\", \"content\": \"bad XX here\"}]}]}");
        var at = Array.IndexOf(bytes, (byte)'X');
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;
        var path = _files.Bytes("messages.json", bytes);

        Assert.Equal($"{path}: line 4, byte 32: invalid UTF-8", (await ExtractFiles.FailureAsync(path)).Message);
    }

    [Fact]
    public async Task Invalid_utf8_outside_any_record_is_reported_too()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"userId\": \"8:live:mX\", \"conversations\": []}");
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xFF;
        var path = _files.Bytes("messages.json", bytes);

        Assert.Equal($"{path}: line 1, byte 20: invalid UTF-8", (await ExtractFiles.FailureAsync(path)).Message);
    }

    [Theory]
    [InlineData("[{\"conversations\": []}]", "line 1, byte 0: the top level is not a JSON object")]
    [InlineData("{\"userId\": \"8:live:me\",\n \"conversations\": {}}", "line 2, byte 18: \"conversations\" is not an array")]
    [InlineData("{\"userId\": \"8:live:me\",\n \"conversations\": null}", "line 2, byte 18: \"conversations\" is not an array")]
    [InlineData("{\"userId\": \"8:live:me\"\n}", "line 2, byte 0: the export holds no \"conversations\" array")]
    [InlineData("{\"conversations\": [{\"id\": \"a\",\n  \"MessageList\": {}}]}", "line 2, byte 17: \"MessageList\" is not an array")]
    [InlineData("{\"conversations\": []}\n{\"conversations\": []}", "line 2, byte 0: unexpected data after the end of the JSON document")]
    public async Task A_document_that_is_not_shaped_like_an_export_is_named_so(string json, string expected)
    {
        var path = _files.Text("messages.json", json);

        Assert.Equal($"{path}: {expected}", (await ExtractFiles.FailureAsync(path)).Message);
    }

    [Fact]
    public async Task The_same_errors_come_from_inside_an_archive()
    {
        var path = _files.Tar("export.tar", ("messages.json", "{\"conversations\": [\n  {\"id\": \"a\", \"MessageList\": [}]}"u8.ToArray()));

        var error = await ExtractFiles.FailureAsync(path);

        Assert.Equal($"{path}: line 2, byte 30: invalid JSON: '}}' is an invalid start of a value.", error.Message);
    }

    [Fact]
    public async Task A_message_larger_than_the_limit_fails_clearly()
    {
        var big = new string('x', 5000);
        var path = _files.Text("messages.json", $"{{\"conversations\": [\n  {{\"id\": \"a\", \"MessageList\": [\n    {{\"id\": \"1\"}},\n    {{\"id\": \"2\", \"content\": \"{big}\"}}]}}]}}");

        var error = await ExtractFiles.FailureAsync(path, new SkypeReaderOptions(MaxRecordBytes: 1024, BufferBytes: 256));

        Assert.Equal($"{path}: line 4, byte 4: record larger than 1024 bytes", error.Message);
    }

    [Fact]
    public async Task A_conversation_field_larger_than_the_limit_fails_clearly()
    {
        var big = new string('x', 5000);
        var path = _files.Text("messages.json", $"{{\"conversations\": [\n  {{\"id\": \"a\",\n   \"threadProperties\": {{\"topic\": \"{big}\"}}, \"MessageList\": []}}]}}");

        var error = await ExtractFiles.FailureAsync(path, new SkypeReaderOptions(MaxRecordBytes: 1024));

        Assert.Equal($"{path}: line 3, byte 3: record larger than 1024 bytes", error.Message);
    }

    [Fact]
    public async Task Conversation_fields_together_larger_than_the_limit_fail_clearly()
    {
        var fields = string.Concat(Enumerable.Range(0, 40).Select(i => $"\"f{i}\": \"{new string('x', 40)}\",\n"));
        var path = _files.Text("messages.json", $"{{\"conversations\": [{{\"id\": \"a\",\n{fields}\"MessageList\": []}}]}}");

        var error = await ExtractFiles.FailureAsync(path, new SkypeReaderOptions(MaxRecordBytes: 1024));

        Assert.Equal("record larger than 1024 bytes", error.Problem);
        Assert.Equal(22, error.Line);
    }

    [Fact]
    public void Options_outside_their_range_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SkypeExportReader.ReadAsync("x.tar", new SkypeReaderOptions(MaxRecordBytes: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SkypeExportReader.ReadAsync("x.tar", new SkypeReaderOptions(BufferBytes: 0)));
    }
}
