using System.Text.Json;
using EtlActors.Pipeline.Connectors.Skype.Extract;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Tests.Extract;

/// <summary>The hand-written sample in samples/: every message type and field variation a real export shows.</summary>
public sealed class SkypeExportReaderSampleTests
{
    private const string Anna = "8:live:anna";
    private const string Group = "19:3f5c8a1e9b2d4c7f8e6a@thread.skype";
    private const string Bot = "28:concierge";
    private const string Dave = "8:live:dave";

    [Fact]
    public async Task Tar_and_bare_json_give_the_same_records()
    {
        var fromJson = await ExtractFiles.ReadAllAsync(ExtractFiles.SampleJson);
        var fromTar = await ExtractFiles.ReadAllAsync(ExtractFiles.SampleTar);

        Assert.Equal(31, fromJson.Count);
        Assert.Equal(fromJson, fromTar);
    }

    [Fact]
    public async Task Records_come_in_source_order_with_offsets_0_to_n_minus_1()
    {
        var records = await ExtractFiles.ReadAllAsync(ExtractFiles.SampleTar);

        Assert.Equal(Enumerable.Range(0, records.Count).Select(i => (long)i), records.Select(r => r.Offset));
        // Each conversation's messages, then the conversation itself when its object closes.
        var shape = records.Select(r => (r.Kind, r.ConversationId)).ToList();
        var expected = Enumerable.Repeat((RecordKind.Message, Anna), 11).Append((RecordKind.Conversation, Anna))
            .Concat(Enumerable.Repeat((RecordKind.Message, Group), 11)).Append((RecordKind.Conversation, Group))
            .Concat(Enumerable.Repeat((RecordKind.Message, Bot), 3)).Append((RecordKind.Conversation, Bot))
            .Concat(Enumerable.Repeat((RecordKind.Message, Dave), 2)).Append((RecordKind.Conversation, Dave));
        Assert.Equal(expected, shape);
    }

    [Fact]
    public async Task Message_payloads_are_the_exact_source_text_in_file_order()
    {
        var source = await File.ReadAllTextAsync(ExtractFiles.SampleJson);
        var records = await ExtractFiles.ReadAllAsync(ExtractFiles.SampleJson);

        var at = 0;
        foreach (var message in records.Where(r => r.Kind == RecordKind.Message))
        {
            var found = source.IndexOf(message.Payload, at, StringComparison.Ordinal);
            Assert.True(found > at, $"message {message.Offset} is not the source text that follows the previous one");
            Assert.Equal('{', message.Payload[0]);
            at = found + message.Payload.Length;
        }

        var first = string.Join('\n',
            "{",
            "          \"id\": \"1594819354321\",",
            "          \"displayName\": null,",
            "          \"originalarrivaltime\": \"2020-07-15T13:22:34.321Z\",",
            "          \"messagetype\": \"RichText\",",
            "          \"version\": 1594819354321,",
            "          \"content\": \"See you at <b>8</b> then <ss type=\\\"smile\\\">:)</ss>\",",
            "          \"conversationid\": \"8:live:anna\",",
            "          \"from\": \"8:live:me\",",
            "          \"properties\": null,",
            "          \"amsreferences\": null",
            "        }");
        Assert.Equal(first, records[0].Payload);
    }

    [Fact]
    public async Task Every_message_type_of_the_sample_comes_through()
    {
        var records = await ExtractFiles.ReadAllAsync(ExtractFiles.SampleTar);

        var types = records.Where(r => r.Kind == RecordKind.Message).Select(r => Field(r, "messagetype")).ToHashSet();
        string[] expected =
        [
            "RichText", "Text", "RichText/UriObject", "RichText/Media_Video", "RichText/Media_GenericFile", "Event/Call",
            "ThreadActivity/AddMember", "ThreadActivity/TopicUpdate", "ThreadActivity/DeleteMember", "Poll", "Notice", "RichText/Future_Type",
        ];
        Assert.Equal(expected.Order(), types.Order());
        var calls = records.Where(r => r.Kind == RecordKind.Message && Field(r, "messagetype") == "Event/Call").Select(r => Field(r, "content")).ToList();
        Assert.Contains(calls, c => c.Contains("type=\"started\"", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.Contains("type=\"ended\"", StringComparison.Ordinal) && c.Contains("<duration>754</duration>", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.Contains("type=\"missed\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Edited_deleted_and_irregular_messages_pass_through_untouched()
    {
        var messages = (await ExtractFiles.ReadAllAsync(ExtractFiles.SampleJson)).Where(r => r.Kind == RecordKind.Message).ToList();

        var deleted = Assert.Single(messages, m => m.Payload.Contains("deletetime", StringComparison.Ordinal));
        Assert.Equal(string.Empty, Field(deleted, "content"));
        var edited = Assert.Single(messages, m => m.Payload.Contains("\"edittime\": \"1594816260000\"", StringComparison.Ordinal));
        Assert.Equal("Can you send me the <i>final</i> report?", Field(edited, "content"));
        Assert.Single(messages, m => Field(m, "from") == "live:anna");
        Assert.Single(messages, m => Field(m, "originalarrivaltime") == "2020-07-15T12:29:41Z");
        Assert.Contains(messages, m => Field(m, "content").Contains("Grüße aus Köln 😀", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Conversation_payloads_keep_every_field_but_the_message_list()
    {
        var conversations = (await ExtractFiles.ReadAllAsync(ExtractFiles.SampleTar)).Where(r => r.Kind == RecordKind.Conversation).ToList();

        Assert.Equal([Anna, Group, Bot, Dave], conversations.Select(c => c.ConversationId));
        Assert.DoesNotContain(conversations, c => c.Payload.Contains("MessageList", StringComparison.Ordinal));
        // Values are copied raw: the float version stays a float, a null display name stays null.
        Assert.StartsWith("{\"id\":\"8:live:anna\",\"displayName\":\"Anna Schmidt\",\"version\":1594819354321.0,\"properties\":{\n", conversations[0].Payload, StringComparison.Ordinal);
        Assert.EndsWith("},\"threadProperties\":null}", conversations[0].Payload, StringComparison.Ordinal);
        using var group = JsonDocument.Parse(conversations[1].Payload);
        Assert.Equal(JsonValueKind.Null, group.RootElement.GetProperty("displayName").ValueKind);
        Assert.Equal("Hiking trip 2020", group.RootElement.GetProperty("threadProperties").GetProperty("topic").GetString());
        Assert.Equal("[\"8:live:me\", \"8:live:anna\", \"8:live:bob\"]", group.RootElement.GetProperty("threadProperties").GetProperty("members").GetString());
        // The bot has no properties at all; Dave's MessageList came before his id.
        Assert.Equal("{\"id\":\"28:concierge\",\"displayName\":\"Skype Concierge\",\"version\":1594371603300,\"threadProperties\":null}", conversations[2].Payload);
        Assert.Equal("{\"id\":\"8:live:dave\",\"displayName\":\"Dave\",\"version\":1593555249017,\"properties\":{\n        \"conversationblocked\": false\n      },\"threadProperties\":null}", conversations[3].Payload);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(100)]
    [InlineData(333)]
    [InlineData(4096)]
    public async Task Any_buffer_size_gives_the_same_records(int bufferBytes)
    {
        var expected = await ExtractFiles.ReadAllAsync(ExtractFiles.SampleJson);

        Assert.Equal(expected, await ExtractFiles.ReadAllAsync(ExtractFiles.SampleJson, new SkypeReaderOptions(BufferBytes: bufferBytes)));
        Assert.Equal(expected, await ExtractFiles.ReadAllAsync(ExtractFiles.SampleTar, new SkypeReaderOptions(BufferBytes: bufferBytes)));
    }

    private static string Field(ExtractedRecord record, string name)
    {
        using var json = JsonDocument.Parse(record.Payload);
        return json.RootElement.GetProperty(name).ToString();
    }
}
