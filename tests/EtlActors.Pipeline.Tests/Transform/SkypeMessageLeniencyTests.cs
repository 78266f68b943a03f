using static EtlActors.Pipeline.Tests.Transform.SkypeTestRecords;

namespace EtlActors.Pipeline.Tests.Transform;

/// <summary>Variations found in real exports that must load rather than be quarantined.</summary>
public class SkypeMessageLeniencyTests
{
    [Theory]
    [InlineData("1594819354321.0", 1594819354321)]
    [InlineData("1.594819354321E12", 1594819354321)]
    [InlineData("1594819354321.9", 1594819354321)]
    [InlineData("\"1594819354321\"", 1594819354321)]
    [InlineData("null", 0)]
    public void Version_may_be_a_float_a_string_or_null(string version, long expectedRevision)
    {
        var row = Assert.Single(Message(MessageJson(version: version)).Messages);

        Assert.Equal(expectedRevision, row.Revision);
    }

    [Fact]
    public void Version_may_be_missing()
    {
        var row = Assert.Single(Message("""{"id":"1","originalarrivaltime":"2020-07-15T13:22:34Z","messagetype":"RichText","content":"x","conversationid":"8:live:friend","from":"8:live:me"}""").Messages);

        Assert.Equal(0, row.Revision);
    }

    [Theory]
    [InlineData("2020-07-15T13:22:34.321Z", 321, 34)]
    [InlineData("2020-07-15T13:22:34Z", 0, 34)]
    [InlineData("2020-07-15T13:22Z", 0, 0)]
    [InlineData("2020-07-15T15:22:34.321+02:00", 321, 34)]
    public void Arrival_time_may_lack_milliseconds_or_seconds_or_carry_an_offset(string time, int ms, int seconds)
    {
        var row = Assert.Single(Message(MessageJson(time: time)).Messages);

        Assert.Equal(new DateTimeOffset(2020, 7, 15, 13, 22, seconds, ms, TimeSpan.Zero), row.SentAt);
        Assert.Equal(TimeSpan.Zero, row.SentAt!.Value.Offset);
    }

    [Fact]
    public void Numeric_message_id_is_kept_as_its_digits()
    {
        var result = Message(MessageJson(id: "1594819354321"));

        Assert.Equal("1594819354321", Assert.Single(result.Messages).MessageId);
        Assert.Equal("message/8:live:friend/1594819354321", Assert.Single(result.RawRecords).RecordKey);
    }

    [Theory]
    [InlineData("live:bob", "8:live:bob")]
    [InlineData("bob.smith", "8:bob.smith")]
    [InlineData("8:live:bob", "8:live:bob")]
    [InlineData("28:concierge", "28:concierge")]
    [InlineData("https://azscus1-client-s.gateway.messenger.live.com/v1/users/ME/contacts/8:live:bob", "8:live:bob")]
    [InlineData("https://client-s.gateway.messenger.live.com/v1/users/ME/contacts/live:bob", "8:live:bob")]
    public void Sender_id_gets_its_type_prefix_back(string from, string expected)
    {
        var result = Message(MessageJson(from: from));

        Assert.Equal(expected, Assert.Single(result.Messages).SenderId);
        Assert.Equal(expected, Assert.Single(result.Participants).ParticipantId);
    }

    [Fact]
    public void Display_name_and_properties_may_be_missing_altogether()
    {
        var result = Message("""{"id":"7","originalarrivaltime":"2020-07-15T13:22:34Z","messagetype":"RichText","content":"hi","conversationid":"8:live:friend","from":"8:live:me"}""");

        var row = Assert.Single(result.Messages);
        Assert.Null(row.SenderName);
        Assert.Null(row.PropertiesJson);
        Assert.Null(row.EditedAt);
        Assert.Null(row.DeletedAt);
        Assert.Null(Assert.Single(result.Participants).DisplayName);
    }

    [Fact]
    public void Null_display_name_and_properties_are_the_same_as_missing()
    {
        var row = Assert.Single(Message(MessageJson(displayName: "null", properties: "null")).Messages);

        Assert.Null(row.SenderName);
        Assert.Null(row.PropertiesJson);
    }

    [Fact]
    public void Message_type_missing_loads_with_an_empty_type()
    {
        var row = Assert.Single(Message("""{"id":"7","originalarrivaltime":"2020-07-15T13:22:34Z","content":"a &lt; b","conversationid":"8:live:friend","from":"8:live:me"}""").Messages);

        Assert.Equal("", row.MessageType);
        Assert.Equal("a < b", row.ContentText);
    }

    [Fact]
    public void Epoch_millisecond_arrival_time_is_accepted()
    {
        var row = Assert.Single(Message("""{"id":"7","originalarrivaltime":1594819354321,"messagetype":"RichText","content":"hi","conversationid":"8:live:friend","from":"8:live:me"}""").Messages);

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1594819354321), row.SentAt);
    }

    [Fact]
    public void Half_an_emoji_becomes_a_replacement_character_instead_of_losing_the_message()
    {
        const string payload = """{"id":"12","conversationid":"8:live:friend","originalarrivaltime":"2020-07-15T13:22:34Z","from":"8:live:me","content":"tab\there \uD83D\uDE00 and \uD83D\/cut \"q\" \\ \u0041"}""";

        var result = Message(payload);

        var row = Assert.Single(result.Messages);
        Assert.Equal("tab\there \U0001F600 and \uFFFD/cut \"q\" \\ A", row.ContentRaw);
        Assert.Equal("tab here \U0001F600 and \uFFFD/cut \"q\" \\ A", row.ContentText);
        Assert.Empty(result.Quarantined);
    }
}
