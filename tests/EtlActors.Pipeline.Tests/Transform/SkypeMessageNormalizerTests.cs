using EtlActors.Pipeline.Records;
using static EtlActors.Pipeline.Tests.Transform.SkypeTestRecords;

namespace EtlActors.Pipeline.Tests.Transform;

public class SkypeMessageNormalizerTests
{
    private static readonly DateTimeOffset Sent = new(2020, 7, 15, 13, 22, 34, 321, TimeSpan.Zero);

    [Fact]
    public void Rich_text_message_becomes_one_message_row_one_raw_record_and_its_sender()
    {
        const string payload = """{"id":"1594819354321","displayName":"Me Myself","originalarrivaltime":"2020-07-15T13:22:34.321Z","messagetype":"RichText","version":1594819354321,"content":"Hello <b>world</b> &amp; <ss type=\"smile\">:)</ss>","conversationid":"8:live:friend","from":"8:live:me","properties":null,"amsreferences":null}""";

        var result = Message(payload);

        var row = Assert.Single(result.Messages);
        Assert.Equal(new MessageRow("tenant-a", "skype", "8:live:friend", "1594819354321", "8:live:me", "Me Myself", Sent,
            "RichText", "Hello world & :)", "Hello <b>world</b> &amp; <ss type=\"smile\">:)</ss>", null, null, null,
            1594819354321, "job-1"), row);
        Assert.Equal(TimeSpan.Zero, row.SentAt!.Value.Offset);
        var raw = Assert.Single(result.RawRecords);
        Assert.Equal(new RawRecordRow("tenant-a", "skype", "message/8:live:friend/1594819354321", payload, "job-1", ExtractedAt), raw);
        Assert.Equal(new ParticipantRow("tenant-a", "skype", "8:live:me", "Me Myself", Sent), Assert.Single(result.Participants));
        Assert.Empty(result.Conversations);
        Assert.Empty(result.Quarantined);
    }

    [Theory]
    [InlineData("Event/Call", """<partlist type="missed" alt=""><part identity="8:live:bob"><name>Bob</name></part></partlist>""", "Missed call")]
    [InlineData("ThreadActivity/AddMember", "<addmember><eventtime>1594819354321</eventtime><initiator>8:live:me</initiator><target>8:live:bob</target></addmember>", "8:live:me added 8:live:bob")]
    [InlineData("RichText/UriObject", """<URIObject type="File.1" uri="https://api.asm.skype.com/v1/objects/0-x"><Title>Title: report.pdf</Title><OriginalName v="report.pdf"/></URIObject>""", "report.pdf")]
    [InlineData("Poll", "<Poll><Question>Lunch?</Question></Poll>", "Poll: Lunch?")]
    [InlineData("Notice", "Notice: <b>maintenance</b> tonight", "Notice: maintenance tonight")]
    [InlineData("SomethingNew/Unheard", "<x-new>future &lt;stuff&gt;</x-new>", "future <stuff>")]
    public void Every_message_type_loads_as_exactly_one_message_row_with_its_raw_content(string type, string content, string expectedText)
    {
        var result = Message(MessageJson(type: type, content: content));

        var row = Assert.Single(result.Messages);
        Assert.Equal(type, row.MessageType);
        Assert.Equal(content, row.ContentRaw);
        Assert.Equal(expectedText, row.ContentText);
        Assert.Single(result.RawRecords);
        Assert.Empty(result.Quarantined);
    }

    [Fact]
    public void Edited_message_carries_the_edit_time_and_it_raises_the_revision()
    {
        var result = Message(MessageJson(content: "Hello again", version: "1594819354321",
            properties: """{"edittime":"1594819999000","isserversidegenerated":false}"""));

        var row = Assert.Single(result.Messages);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1594819999000), row.EditedAt);
        Assert.Null(row.DeletedAt);
        Assert.Equal("Hello again", row.ContentText);
        Assert.Equal(1594819999000, row.Revision);
        Assert.Equal("""{"edittime":"1594819999000","isserversidegenerated":false}""", row.PropertiesJson);
    }

    [Fact]
    public void Deleted_message_has_empty_text_and_the_deletion_time_but_keeps_its_raw_content()
    {
        var result = Message(MessageJson(content: "", properties: """{"deletetime":1594820000000}"""));

        var row = Assert.Single(result.Messages);
        Assert.Equal("", row.ContentText);
        Assert.Equal("", row.ContentRaw);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1594820000000), row.DeletedAt);
        Assert.Equal(1594820000000, row.Revision);
    }

    [Fact]
    public void Message_with_a_deletion_time_is_blank_even_when_content_remains()
    {
        var result = Message(MessageJson(content: "secret", properties: """{"deletetime":"2020-07-15T14:00:00Z"}"""));

        var row = Assert.Single(result.Messages);
        Assert.Equal("", row.ContentText);
        Assert.Equal("secret", row.ContentRaw);
        Assert.Equal(new DateTimeOffset(2020, 7, 15, 14, 0, 0, TimeSpan.Zero), row.DeletedAt);
    }

    [Fact]
    public void Empty_edit_and_delete_times_mean_neither_edited_nor_deleted()
    {
        var row = Assert.Single(Message(MessageJson(properties: """{"edittime":"","deletetime":null}""")).Messages);

        Assert.Null(row.EditedAt);
        Assert.Null(row.DeletedAt);
        Assert.Equal("Hello", row.ContentText);
        Assert.Equal(1594819354321, row.Revision);
    }

    [Fact]
    public void Revisions_order_original_then_edit_then_deletion()
    {
        long RevisionOf(string properties) =>
            Assert.Single(Message(MessageJson(version: "1594819354321", properties: properties)).Messages).Revision;

        var original = RevisionOf("null");
        var edited = RevisionOf("""{"edittime":"1594819400000"}""");
        var deleted = RevisionOf("""{"edittime":"1594819400000","deletetime":"1594819500000"}""");

        Assert.True(original < edited, $"{original} < {edited}");
        Assert.True(edited < deleted, $"{edited} < {deleted}");
    }

    [Fact]
    public void Revision_is_the_version_when_it_is_newer_than_the_edit_time()
    {
        var row = Assert.Single(Message(MessageJson(version: "1594819600000", properties: """{"edittime":"1594819400000"}""")).Messages);

        Assert.Equal(1594819600000, row.Revision);
    }

    [Fact]
    public void Revision_is_zero_without_version_or_edits_and_never_negative()
    {
        Assert.Equal(0, Assert.Single(Message(MessageJson(version: "null")).Messages).Revision);
        Assert.Equal(0, Assert.Single(Message(MessageJson(version: "-5")).Messages).Revision);
    }

    [Fact]
    public void Properties_that_are_not_an_object_are_not_kept()
    {
        var row = Assert.Single(Message(MessageJson(properties: "\"oops\"")).Messages);

        Assert.Null(row.PropertiesJson);
    }

    [Fact]
    public void Sender_without_display_name_is_recorded_without_a_name()
    {
        var result = Message(MessageJson(displayName: "\"\""));

        Assert.Null(Assert.Single(result.Messages).SenderName);
        Assert.Equal(new ParticipantRow("tenant-a", "skype", "8:live:me", null, Sent), Assert.Single(result.Participants));
    }

    [Fact]
    public void Message_without_sender_has_no_participant_row()
    {
        var result = Message("""{"id":"1","originalarrivaltime":"2020-07-15T13:22:34Z","messagetype":"RichText","content":"x","conversationid":"19:g@thread.skype"}""");

        var row = Assert.Single(result.Messages);
        Assert.Null(row.SenderId);
        Assert.Empty(result.Participants);
        Assert.Equal("message/19:g@thread.skype/1", Assert.Single(result.RawRecords).RecordKey);
    }

    [Fact]
    public void Conversation_id_comes_from_the_message_itself()
    {
        var result = Message(MessageJson(), conversationId: "8:live:routing-key");

        Assert.Equal("8:live:friend", Assert.Single(result.Messages).ConversationId);
        Assert.Equal("message/8:live:friend/1594819354321", Assert.Single(result.RawRecords).RecordKey);
    }

    [Fact]
    public void Nul_characters_are_removed_from_the_text_but_not_from_the_raw_content()
    {
        var row = Assert.Single(Message(MessageJson(content: "a\0b")).Messages);

        Assert.Equal("ab", row.ContentText);
        Assert.Equal("a\0b", row.ContentRaw);
    }

    [Fact]
    public void Null_content_gives_empty_text_and_null_raw_content()
    {
        var row = Assert.Single(Message("""{"id":"1","originalarrivaltime":"2020-07-15T13:22:34Z","messagetype":"Event/Call","content":null,"conversationid":"8:live:friend","from":"8:live:me"}""").Messages);

        Assert.Equal("", row.ContentText);
        Assert.Null(row.ContentRaw);
    }
}
