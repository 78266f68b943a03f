using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Transform;
using static EtlActors.Pipeline.Tests.Transform.SkypeTestRecords;

namespace EtlActors.Pipeline.Tests.Transform;

public class SkypeQuarantineTests
{
    [Theory]
    [InlineData("""{"originalarrivaltime":"2020-07-15T13:22:34Z","conversationid":"8:live:friend","content":"x"}""",
        "missing_message_id", "message has no 'id'")]
    [InlineData("""{"id":"  ","originalarrivaltime":"2020-07-15T13:22:34Z","conversationid":"8:live:friend"}""",
        "missing_message_id", "message has no 'id'")]
    [InlineData("""{"id":"12","originalarrivaltime":"2020-07-15T13:22:34Z","content":"x"}""",
        "missing_conversation_id", "message 12 has no 'conversationid'")]
    [InlineData("""{"id":"12","conversationid":null,"originalarrivaltime":"2020-07-15T13:22:34Z"}""",
        "missing_conversation_id", "message 12 has no 'conversationid'")]
    [InlineData("""{"id":"12","conversationid":"8:live:friend","originalarrivaltime":"yesterday-ish"}""",
        "invalid_timestamp", "message 12 has an unparseable 'originalarrivaltime': \"yesterday-ish\"")]
    [InlineData("""{"id":"12","conversationid":"8:live:friend","originalarrivaltime":"2020-13-45T99:00:00Z"}""",
        "invalid_timestamp", "message 12 has an unparseable 'originalarrivaltime': \"2020-13-45T99:00:00Z\"")]
    [InlineData("""{"id":"12","conversationid":"8:live:friend","originalarrivaltime":true}""",
        "invalid_timestamp", "message 12 has an unparseable 'originalarrivaltime': true")]
    [InlineData("""{"id":"12","conversationid":"8:live:friend"}""",
        "invalid_timestamp", "message 12 has no 'originalarrivaltime'")]
    [InlineData("""[1,2,3]""", "invalid_record", "message is not a JSON object (found an array)")]
    [InlineData("""  "just text"  """, "invalid_record", "message is not a JSON object (found a string)")]
    [InlineData("null", "invalid_record", "message is not a JSON object (found null)")]
    public void Unusable_message_becomes_one_quarantine_row_and_nothing_else(string payload, string code, string message)
    {
        var result = Message(payload);

        Assert.Equal(new QuarantineRow("job-1", Offset, code, message, payload), Assert.Single(result.Quarantined));
        AssertNoRows(result);
    }

    [Theory]
    [InlineData("""{"id":"12","content":"unterminated""")]
    [InlineData("""{"id":"12"} trailing""")]
    [InlineData("")]
    [InlineData("{'id':'12'}")]
    public void Malformed_json_is_quarantined_as_an_invalid_record(string payload)
    {
        var result = Message(payload);

        var row = Assert.Single(result.Quarantined);
        Assert.Equal("invalid_record", row.ErrorCode);
        Assert.StartsWith("message is not valid JSON: ", row.Message, StringComparison.Ordinal);
        Assert.Equal(payload, row.Payload);
        Assert.Equal(Offset, row.RecordOffset);
        AssertNoRows(result);
    }

    [Theory]
    [InlineData("""{"displayName":"Team","threadProperties":{"topic":"Planning"}}""", "conversation has no 'id'")]
    [InlineData("""{"id":"","displayName":"Team"}""", "conversation has no 'id'")]
    [InlineData("""{"id":null}""", "conversation has no 'id'")]
    public void Conversation_without_id_is_quarantined(string payload, string message)
    {
        var result = Conversation(payload);

        Assert.Equal(new QuarantineRow("job-1", Offset, "missing_conversation_id", message, payload), Assert.Single(result.Quarantined));
        AssertNoRows(result);
    }

    [Fact]
    public void Conversation_that_is_not_an_object_is_an_invalid_record()
    {
        var result = Conversation("42");

        Assert.Equal(new QuarantineRow("job-1", Offset, "invalid_record", "conversation is not a JSON object (found a number)", "42"),
            Assert.Single(result.Quarantined));
        AssertNoRows(result);
    }

    [Fact]
    public void Unknown_record_kind_is_an_invalid_record()
    {
        var result = Run(new ExtractedRecord(Offset, (RecordKind)99, "c", "{}"));

        Assert.Equal(new QuarantineRow("job-1", Offset, "invalid_record", "record kind 99 is not a Skype message or conversation", "{}"),
            Assert.Single(result.Quarantined));
        AssertNoRows(result);
    }

    private static void AssertNoRows(TransformResult result)
    {
        Assert.Empty(result.Messages);
        Assert.Empty(result.RawRecords);
        Assert.Empty(result.Participants);
        Assert.Empty(result.Conversations);
    }
}
