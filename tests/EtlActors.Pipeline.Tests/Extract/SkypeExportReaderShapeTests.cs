using System.Text;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Tests.Extract;

/// <summary>Layouts a real export may take: field order, missing or null fields, unknown fields, archive layout.</summary>
public sealed class SkypeExportReaderShapeTests : IDisposable
{
    private const string Message1 = """{"id":"2","messagetype":"Text","content":"b","conversationid":"c1","from":"8:x"}""";
    private const string Message2 = """{ "id" : "1" ,"content":"a \"quoted\" \u00e9"}""";
    private readonly ExtractFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("""{"id":"c1","displayName":"X","MessageList":[M1,M2]}""", """{"id":"c1","displayName":"X"}""")]
    [InlineData("""{"MessageList":[M1,M2],"id":"c1","displayName":"X"}""", """{"id":"c1","displayName":"X"}""")]
    [InlineData("""{"id":"c1","MessageList":[M1,M2],"displayName":"X"}""", """{"id":"c1","displayName":"X"}""")]
    [InlineData("""{ "displayName" : "X", "MessageList" : [ M1 ,\n M2 ] ,\n "id" : "c1" }""", """{"displayName":"X","id":"c1"}""")]
    public async Task MessageList_may_come_before_or_after_the_other_fields(string conversation, string payload)
    {
        var body = conversation.Replace("M1", Message1).Replace("M2", Message2).Replace("\\n", "\n");
        var json = $$"""{"userId":"8:live:me","conversations":[{{body}}]}""";

        var records = await ExtractFiles.ReadAllAsync(_files.Text("messages.json", json));

        Assert.Equal(
            [
                new ExtractedRecord(0, RecordKind.Message, "c1", Message1),
                new ExtractedRecord(1, RecordKind.Message, "c1", Message2),
                new ExtractedRecord(2, RecordKind.Conversation, "c1", payload),
            ],
            records);
    }

    [Fact]
    public async Task Top_level_fields_may_come_in_any_order_and_unknown_ones_are_skipped()
    {
        var json = """
            {
              "conversations": [ {"id": "a", "MessageList": []} ],
              "future": {"nested": [1, 2, {"deep": [[], {}]}], "text": "}]"},
              "userId": "8:live:me",
              "conversations": [ {"id": "b", "MessageList": null} ],
              "exportDate": "2020-07-15T13:22"
            }
            """;

        var records = await ExtractFiles.ReadAllAsync(_files.Text("messages.json", json));

        Assert.Equal(
            [
                new ExtractedRecord(0, RecordKind.Conversation, "a", """{"id":"a"}"""),
                new ExtractedRecord(1, RecordKind.Conversation, "b", """{"id":"b"}"""),
            ],
            records);
    }

    [Fact]
    public async Task Unknown_and_null_conversation_fields_are_kept_raw_in_its_payload()
    {
        var json = """
            {"conversations": [{"id": "c", "displayName": null, "properties": null,
              "threadProperties": {"membercount": 3, "members": "[\"8:a\",\"8:b\"]", "topic": "caf\u00e9"},
              "futureField": [1, 2.50, true],
              "MessageList": []}]}
            """;

        var record = Assert.Single(await ExtractFiles.ReadAllAsync(_files.Text("messages.json", json)));

        var expected = """{"id":"c","displayName":null,"properties":null,"threadProperties":{"membercount": 3, "members": "[\"8:a\",\"8:b\"]", "topic": "caf\u00e9"},"futureField":[1, 2.50, true]}""";
        Assert.Equal(new ExtractedRecord(0, RecordKind.Conversation, "c", expected), record);
    }

    [Theory]
    [InlineData("""{"displayName":"No id","MessageList":[{"id":"1"}]}""", """{"displayName":"No id"}""")]
    [InlineData("""{"MessageList":[{"id":"1"}],"displayName":"No id"}""", """{"displayName":"No id"}""")]
    [InlineData("""{"id":null,"MessageList":[{"id":"1"}]}""", """{"id":null}""")]
    [InlineData("""{"MessageList":[{"id":"1"}],"id":7}""", """{"id":7}""")]
    [InlineData("""{"id":"\uD800","MessageList":[{"id":"1"}]}""", """{"id":"\uD800"}""")]
    [InlineData("""{"MessageList":[{"id":"1"}],"id":"\uD800"}""", """{"id":"\uD800"}""")]
    public async Task A_conversation_without_a_string_id_gets_an_empty_id(string conversation, string payload)
    {
        var records = await ExtractFiles.ReadAllAsync(_files.Text("messages.json", $$"""{"conversations":[{{conversation}}]}"""));

        Assert.Equal(
            [
                new ExtractedRecord(0, RecordKind.Message, "", """{"id":"1"}"""),
                new ExtractedRecord(1, RecordKind.Conversation, "", payload),
            ],
            records);
    }

    [Fact]
    public async Task Messages_and_conversations_are_not_validated_here()
    {
        var json = """{"conversations":[{"id":"c","MessageList":[{},{"content":"no id"},42,"text",[1,{"a":2}],null]}, "not a conversation", [1]]}""";

        var records = await ExtractFiles.ReadAllAsync(_files.Text("messages.json", json));

        Assert.Equal(
            [
                new ExtractedRecord(0, RecordKind.Message, "c", "{}"),
                new ExtractedRecord(1, RecordKind.Message, "c", """{"content":"no id"}"""),
                new ExtractedRecord(2, RecordKind.Message, "c", "42"),
                new ExtractedRecord(3, RecordKind.Message, "c", "\"text\""),
                new ExtractedRecord(4, RecordKind.Message, "c", """[1,{"a":2}]"""),
                new ExtractedRecord(5, RecordKind.Message, "c", "null"),
                new ExtractedRecord(6, RecordKind.Conversation, "c", """{"id":"c"}"""),
                new ExtractedRecord(7, RecordKind.Conversation, "", "\"not a conversation\""),
                new ExtractedRecord(8, RecordKind.Conversation, "", "[1]"),
            ],
            records);
    }

    [Fact]
    public async Task An_empty_export_gives_no_records()
    {
        Assert.Empty(await ExtractFiles.ReadAllAsync(_files.Text("messages.json", """{"userId":"8:live:me","conversations":[]}""")));
    }

    [Fact]
    public async Task A_byte_order_mark_and_surrounding_whitespace_are_accepted()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("\r\n  {\"conversations\":[{\"id\":\"c\",\"MessageList\":[{\"id\":\"1\"}]}]}\r\n\r\n")).ToArray();

        var records = await ExtractFiles.ReadAllAsync(_files.Bytes("messages.json", bytes));

        Assert.Equal([new ExtractedRecord(0, RecordKind.Message, "c", """{"id":"1"}"""), new ExtractedRecord(1, RecordKind.Conversation, "c", """{"id":"c"}""")], records);
    }

    [Fact]
    public async Task The_format_is_told_by_content_not_by_file_name()
    {
        var json = """{"conversations":[{"id":"c","MessageList":[{"id":"1"}]}]}""";
        var tarNamedJson = _files.Tar("export.json", ("messages.json", Encoding.UTF8.GetBytes(json)));
        var jsonNamedTar = _files.Text("export.tar", json);

        var expected = await ExtractFiles.ReadAllAsync(_files.Text("messages.json", json));

        Assert.Equal(2, expected.Count);
        Assert.Equal(expected, await ExtractFiles.ReadAllAsync(tarNamedJson));
        Assert.Equal(expected, await ExtractFiles.ReadAllAsync(jsonNamedTar));
    }

    [Fact]
    public async Task Json_that_happens_to_hold_ustar_at_the_tar_magic_offset_is_still_json()
    {
        var prefix = "{\"userId\": \"";
        var json = prefix + new string('a', 257 - prefix.Length) + "ustar gustar\", \"conversations\": [{\"id\": \"c\", \"MessageList\": []}]}";
        Assert.Equal("ustar", json.Substring(257, 5));

        var records = await ExtractFiles.ReadAllAsync(_files.Text("export.tar", json));

        Assert.Equal([new ExtractedRecord(0, RecordKind.Conversation, "c", """{"id":"c"}""")], records);
    }

    [Fact]
    public async Task The_archive_may_hold_media_and_other_files_and_a_nested_messages_json()
    {
        var json = """{"conversations":[{"id":"c","MessageList":[{"id":"1"}]}]}""";
        var tar = _files.Tar(
            "export.tar",
            ("export/", null),
            ("export/media/", null),
            ("export/media/0-weu-d3-abc.1.jpg", new byte[3000]),
            ("export/old-messages.json", Encoding.UTF8.GetBytes("not this one")),
            ("export/messages.json", Encoding.UTF8.GetBytes(json)),
            ("export/endpoints.json", Encoding.UTF8.GetBytes("{}")));

        var records = await ExtractFiles.ReadAllAsync(tar);

        Assert.Equal([new ExtractedRecord(0, RecordKind.Message, "c", """{"id":"1"}"""), new ExtractedRecord(1, RecordKind.Conversation, "c", """{"id":"c"}""")], records);
    }
}
