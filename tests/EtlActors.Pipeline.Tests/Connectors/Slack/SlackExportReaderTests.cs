using EtlActors.Pipeline.Connectors;
using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Tests.Extract;
using EtlActors.Testing.Slack;

namespace EtlActors.Pipeline.Tests.Connectors.Slack;

/// <summary>What the reader makes of an export's files: the order, the zip and folder forms, resuming, and bad input.</summary>
public sealed class SlackExportReaderTests : IDisposable
{
    private readonly ExtractFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Users_then_conversations_then_day_files_folder_by_folder_with_ordinals_as_positions()
    {
        var records = await SlackRecords.ReadAsync(SlackSampleExport.WriteFolder(_files.PathOf("export")));

        Assert.Equal(Enumerable.Range(0, records.Count).Select(i => (long)i), records.Select(r => r.Offset));
        Assert.Equal(4 + SlackSampleExport.Conversations + SlackSampleExport.Messages, records.Count);
        Assert.All(records.Take(4), r => Assert.Equal((RecordKind.Participant, "@users"), (r.Kind, r.ConversationId)));
        Assert.Equal(["C01", "C02", "G01", "D01", "G02", "old-project"],
            records.Where(r => r.Kind == RecordKind.Conversation).Select(r => r.ConversationId));
        // Folders in ordinal order (D01 before general), day files by date; each folder's messages carry its conversation.
        Assert.Equal(
            ["D01", "C01", "C01", "C01", "C01", "C01", "C01", "C01", "C01", "C01", "C01", "C01", "C01", "C01", "C01", "C01", "C01", "G02", "old-project", "C02", "G01"],
            records.Where(r => r.Kind == RecordKind.Message).Select(r => r.ConversationId));
        var reply = records.Single(r => r.Payload.Contains("a reply a day later"));
        Assert.Equal(_files.PathOf("export") + "/general/2024-01-02.json", reply.Hints!["file"]);
        Assert.Equal("0", reply.Hints["index"]);
        Assert.Equal("Bob Brown", reply.Hints["@U02"]);
        Assert.Equal("Alice A", reply.Hints["@U01"]); // the parent's author
    }

    [Fact]
    public async Task The_zip_Slack_gives_reads_exactly_as_its_unpacked_folder()
    {
        var folder = await SlackRecords.ReadAsync(SlackSampleExport.WriteFolder(_files.PathOf("export")));
        var zip = await SlackRecords.ReadAsync(SlackSampleExport.WriteZip(_files.PathOf("export.zip")));

        Assert.Equal(folder.Select(Show("export")), zip.Select(Show("export.zip")));
    }

    [Fact]
    public async Task A_resumed_read_starts_at_its_position_with_the_same_records()
    {
        var path = SlackSampleExport.WriteZip(_files.PathOf("export.zip"));
        var all = await SlackRecords.ReadAsync(path);

        var tail = await SlackRecords.ReadAsync(path, from: 17);

        Assert.Equal(all.Skip(17).Select(SlackRecords.Show), tail.Select(SlackRecords.Show));
    }

    [Fact]
    public async Task Missing_null_and_blank_metadata_files_mean_none_and_their_folders_are_still_conversations()
    {
        var files = SlackSampleExport.Files.Where(f => f.Key is not ("dms.json" or "groups.json")).ToDictionary();
        files["mpims.json"] = "null";
        files["channels.json"] = """[""]""";

        var records = await SlackRecords.ReadAsync(SlackSampleExport.WriteFolder(_files.PathOf("export"), files));

        Assert.Equal(["D01", "general", "mpdm-alice--bob--carol-1", "old-project", "random", "secret-plans"],
            records.Where(r => r.Kind == RecordKind.Conversation).Select(r => r.ConversationId));
        Assert.Equal(SlackSampleExport.Messages, records.Count(r => r.Kind == RecordKind.Message));
    }

    [Fact]
    public async Task A_day_file_that_is_not_JSON_is_one_record_for_quarantine_and_the_next_days_are_read()
    {
        var files = SlackSampleExport.Files.ToDictionary();
        files["general/2024-01-02.json"] = "[{\"ts\": \"1\",\n  oops]";

        var records = await SlackRecords.ReadAsync(SlackSampleExport.WriteFolder(_files.PathOf("export"), files));

        var bad = Assert.Single(records, r => r.Hints?.ContainsKey("error") == true);
        Assert.StartsWith("line 2, byte 2: not valid JSON: ", bad.Hints!["error"]);
        Assert.Equal(files["general/2024-01-02.json"], bad.Payload);
        Assert.Equal(SlackSampleExport.Messages - 4 + 1, records.Count(r => r.Kind == RecordKind.Message));
        Assert.Contains(records, r => r.Payload.Contains("hi from another workspace"));
    }

    [Fact]
    public async Task A_metadata_file_that_is_not_JSON_stops_the_read_naming_the_file_and_position()
    {
        var files = SlackSampleExport.Files.ToDictionary();
        files["channels.json"] = "[\n  {\"id\": \"C01\",}\n]";
        var path = SlackSampleExport.WriteFolder(_files.PathOf("export"), files);

        var error = await Assert.ThrowsAsync<SourceFormatException>(() => SlackRecords.ReadAsync(path));

        Assert.StartsWith($"{path}/channels.json: line 2, byte ", error.Message);
        Assert.Contains("not valid JSON", error.Message);
    }

    [Fact]
    public async Task A_metadata_file_that_is_not_an_array_is_refused()
    {
        var files = SlackSampleExport.Files.ToDictionary();
        files["users.json"] = """{"members": []}""";
        var path = SlackSampleExport.WriteZip(_files.PathOf("export.zip"), files);

        var error = await Assert.ThrowsAsync<SourceFormatException>(() => SlackRecords.ReadAsync(path));

        Assert.Equal($"{path}/users.json: expected an array, found object", error.Message);
    }

    [Fact]
    public async Task A_zip_that_is_not_a_Slack_export_and_a_file_that_is_not_a_zip_are_refused_with_what_was_expected()
    {
        var other = SlackSampleExport.WriteZip(_files.PathOf("other.zip"), new Dictionary<string, string> { ["notes/a.json"] = "[]" });
        var notZip = _files.Text("fake.zip", "PK\u0003\u0004 but not really");

        var notSlack = await Assert.ThrowsAsync<SourceFormatException>(() => SlackRecords.ReadAsync(other));
        var broken = await Assert.ThrowsAsync<SourceFormatException>(() => SlackRecords.ReadAsync(notZip));

        Assert.Equal($"{other}: not a Slack export: it holds neither channels.json nor users.json at its top level", notSlack.Message);
        Assert.StartsWith($"{notZip}: not a Slack export: not a folder, and not a readable zip archive (", broken.Message);
    }

    [Fact]
    public void Detection_tells_a_Slack_export_from_a_Skype_one_and_refuses_an_unknown_folder()
    {
        var connectors = SourceConnectors.Builtin();
        var folder = SlackSampleExport.WriteFolder(_files.PathOf("export"));
        var zip = SlackSampleExport.WriteZip(_files.PathOf("export.zip"));
        Directory.CreateDirectory(_files.PathOf("empty"));

        Assert.Equal("slack", connectors.Detect(folder).Kind);
        Assert.Equal("slack", connectors.Detect(zip).Kind);
        Assert.Equal("skype", connectors.Detect(ExtractFiles.SampleTar).Kind);
        // Any other zip goes to the first kind, whose reader says to extract it.
        var zippedSkype = SlackSampleExport.WriteZip(_files.PathOf("skype.zip"), new Dictionary<string, string> { ["messages.json"] = "{}" });
        Assert.Equal("skype", connectors.Detect(zippedSkype).Kind);
        var error = Assert.Throws<UnknownSourceKindException>(() => connectors.Detect(_files.PathOf("empty")));
        Assert.Equal($"{_files.PathOf("empty")}: no connector reads this folder (a Slack export folder holds channels.json or users.json, an unpacked Skype export messages.json); name its kind with --source (skype, slack, files, http)", error.Message);
    }

    [Fact]
    public async Task Symbolic_links_inside_an_export_folder_are_not_followed()
    {
        var outside = _files.Text("secret.json", """[{"type": "message", "user": "U01", "text": "outside", "ts": "1.000001"}]""");
        Directory.CreateDirectory(_files.PathOf("elsewhere"));
        File.WriteAllText(_files.PathOf("elsewhere/2024-01-01.json"), File.ReadAllText(outside));
        var folder = SlackSampleExport.WriteFolder(_files.PathOf("export"));
        File.CreateSymbolicLink(Path.Combine(folder, "general", "2024-01-03.json"), outside);
        Directory.CreateSymbolicLink(Path.Combine(folder, "linked"), _files.PathOf("elsewhere"));

        var records = await SlackRecords.ReadAsync(folder);

        Assert.DoesNotContain(records, r => r.Payload.Contains("outside"));
        Assert.Equal(SlackSampleExport.Messages, records.Count(r => r.Kind == RecordKind.Message));
    }

    // The file hint names the export's own path; the rest must be identical.
    private Func<ExtractedRecord, string> Show(string exportName) =>
        r => SlackRecords.Show(r).Replace(_files.PathOf(exportName), "<export>", StringComparison.Ordinal);
}
