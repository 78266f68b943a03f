using System.Text;
using EtlActors.Pipeline.Connectors.Skype.Extract;
using EtlActors.Pipeline.Records;
using EtlActors.Testing;

namespace EtlActors.Pipeline.Tests.Extract;

/// <summary>
/// A tar is read, never extracted: an entry that points outside the archive, a link standing in
/// for messages.json, or a header promising more bytes than the file holds is refused by name.
/// </summary>
public sealed class SkypeTarSafetyTests : IDisposable
{
    private static readonly byte[] _export = """{"conversations":[{"id":"8:live:bob","MessageList":[{"id":"1"}]}]}"""u8.ToArray();

    private readonly ExtractFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("/messages.json")]
    [InlineData("../messages.json")]
    [InlineData("export/../../messages.json")]
    [InlineData("..\\messages.json")]
    [InlineData("C:/export/messages.json")]
    public async Task A_messages_json_outside_the_archive_is_refused_by_name(string entryName)
    {
        var path = _files.Bytes("export.tar", RawTar.Archive(RawTar.Entry(entryName, _export)));

        var error = await ExtractFiles.FailureAsync(path);

        Assert.Equal(
            $"{path}: the archive's entry '{entryName}' points outside the archive (an absolute path or '..'); it is not read",
            error.Message);
    }

    [Theory]
    [InlineData("messages.json")]
    [InlineData("./messages.json")]
    [InlineData("export/messages.json")]
    [InlineData("export\\messages.json")]
    [InlineData("my..export/messages.json")]
    public async Task A_messages_json_inside_the_archive_is_read(string entryName)
    {
        var path = _files.Bytes("export.tar", RawTar.Archive(RawTar.Entry(entryName, _export)));

        var records = await ExtractFiles.ReadAllAsync(path);

        Assert.Equal(["""{"id":"1"}""", """{"id":"8:live:bob"}"""], records.Select(r => r.Payload));
    }

    [Fact]
    public async Task Other_entries_with_unsafe_paths_are_skipped_and_never_written()
    {
        var outside = Path.Combine(Path.GetDirectoryName(_files.Root)!, "etl-escaped-" + Guid.NewGuid().ToString("N"));
        var path = _files.Bytes("export.tar", RawTar.Archive(
            RawTar.Entry("../" + Path.GetFileName(outside), "#!/bin/sh\n"u8.ToArray()),
            RawTar.Entry(outside, "x"u8.ToArray()),
            RawTar.Entry("messages.json", _export)));

        var records = await ExtractFiles.ReadAllAsync(path);

        Assert.Equal(2, records.Count);
        Assert.False(File.Exists(outside));
        Assert.Equal(["export.tar"], Directory.GetFiles(_files.Root).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData('2')] // symbolic link
    [InlineData('1')] // hard link
    public async Task A_messages_json_that_is_a_link_is_not_followed(char type)
    {
        var path = _files.Bytes("export.tar", RawTar.Archive(RawTar.Entry("messages.json", [], type: type, linkName: "/etc/passwd")));

        var error = await ExtractFiles.FailureAsync(path);

        Assert.Equal($"{path}: the archive's entry 'messages.json' is a link to '/etc/passwd', not a file; it is not followed", error.Message);
    }

    [Fact]
    public async Task A_messages_json_declared_larger_than_the_file_is_refused_even_when_its_json_is_whole()
    {
        var path = _files.Bytes("export.tar", RawTar.Entry("messages.json", _export, declaredSize: 1 << 20)[..(RawTar.Block + _export.Length)]);

        var error = await ExtractFiles.FailureAsync(path);

        Assert.Equal(
            $"{path}: the tar archive is truncated: its entry 'messages.json' declares 1048576 bytes but only {_export.Length} follow its header",
            error.Message);
    }

    [Fact]
    public async Task An_earlier_entry_declared_larger_than_the_file_is_named()
    {
        var path = _files.Bytes("export.tar", RawTar.Archive(
            RawTar.Entry("media/a.jpg", new byte[100], declaredSize: 8L * 1024 * 1024 * 1024 - 1),
            RawTar.Entry("messages.json", _export)));

        var error = await ExtractFiles.FailureAsync(path);

        Assert.Equal(
            $"{path}: the tar archive is truncated: its entry 'media/a.jpg' declares 8589934591 bytes but only 2560 follow its header",
            error.Message);
    }

    [Fact]
    public async Task A_pax_archive_is_measured_from_its_data_not_its_extended_header()
    {
        var longName = "export/" + new string('d', 120) + "/messages.json"; // past ustar's 100 bytes: PAX records hold the name
        var path = _files.Tar("export.tar", ("media/", null), (longName, _export));

        Assert.Equal(2, (await ExtractFiles.ReadAllAsync(path)).Count);

        var cut = _files.Bytes("cut.tar", (await File.ReadAllBytesAsync(path))[..^(1024 + 512 - _export.Length + 10)]);
        var error = await ExtractFiles.FailureAsync(cut);
        Assert.Equal($"{cut}: the tar archive is truncated: its entry '{longName}' declares {_export.Length} bytes but only {_export.Length - 10} follow its header", error.Message);
    }

    [Fact]
    public async Task A_tar_cut_inside_its_first_header_is_named_so()
    {
        var path = _files.Bytes("export.tar", RawTar.Archive(RawTar.Entry("messages.json", _export))[..300]);

        Assert.Equal($"{path}: the tar archive is truncated inside its first header", (await ExtractFiles.FailureAsync(path)).Message);
    }

    [Fact]
    public void Names_are_judged_by_their_segments()
    {
        Assert.True(SkypeTarEntries.IsMessagesJson("a/b/messages.json"));
        Assert.False(SkypeTarEntries.IsMessagesJson("old-messages.json"));
        Assert.False(SkypeTarEntries.IsMessagesJson("messages.json/"));
        Assert.False(SkypeTarEntries.IsUnsafe("a/..b/c..d/messages.json"));
        Assert.True(SkypeTarEntries.IsUnsafe("a/b/.."));
        Assert.True(SkypeTarEntries.IsUnsafe("\\\\server\\share\\messages.json"));
    }
}
