using EtlActors.Pipeline.Records;
using static EtlActors.Pipeline.Tests.Transform.SkypeTestRecords;

namespace EtlActors.Pipeline.Tests.Transform;

public class SkypeConversationNormalizerTests
{
    [Fact]
    public void Group_conversation_becomes_a_conversation_row_and_a_raw_record()
    {
        const string payload = """{"id":"19:abc@thread.skype","displayName":"Team","version":1594819354321.0,"properties":{"conversationblocked":false},"threadProperties":{"membercount":3,"members":"[\"8:a\",\"8:b\",\"8:c\"]","topic":"Planning"}}""";

        var result = Conversation(payload);

        Assert.Equal(new ConversationRow("tenant-a", "skype", "19:abc@thread.skype", "group", "Team", "Planning", 3,
                """{"properties":{"conversationblocked":false},"threadProperties":{"membercount":3,"members":"[\"8:a\",\"8:b\",\"8:c\"]","topic":"Planning"}}"""),
            Assert.Single(result.Conversations));
        Assert.Equal(new RawRecordRow("tenant-a", "skype", "conversation/19:abc@thread.skype", payload, "job-1", ExtractedAt),
            Assert.Single(result.RawRecords));
        Assert.Empty(result.Participants);
        Assert.Empty(result.Messages);
        Assert.Empty(result.Quarantined);
    }

    [Theory]
    [InlineData("8:live:friend", "direct")]
    [InlineData("19:abc@thread.skype", "group")]
    [InlineData("19:meeting_xyz@thread.v2", "group")]
    [InlineData("19:0123abcd@p2p.thread.skype", "group")]
    [InlineData("28:concierge", "bot")]
    [InlineData("48:notes", "other")]
    [InlineData("live:nobody", "other")]
    public void Kind_follows_the_id_prefix(string id, string kind)
    {
        var row = Assert.Single(Conversation($$"""{"id":"{{id}}"}""").Conversations);

        Assert.Equal(kind, row.Kind);
    }

    [Theory]
    [InlineData("""{"id":"19:a@thread.skype","threadProperties":{"membercount":5,"members":"[\"8:a\"]"}}""", 5)]
    [InlineData("""{"id":"19:a@thread.skype","threadProperties":{"membercount":"4"}}""", 4)]
    [InlineData("""{"id":"19:a@thread.skype","threadProperties":{"members":"[\"8:a\",\"8:b\",\"8:c\",\"8:d\"]"}}""", 4)]
    [InlineData("""{"id":"19:a@thread.skype","threadProperties":{"members":["8:a","8:b"]}}""", 2)]
    [InlineData("""{"id":"19:a@thread.skype","threadProperties":{"members":"not json"}}""", null)]
    [InlineData("""{"id":"19:a@thread.skype","threadProperties":null}""", null)]
    [InlineData("""{"id":"19:a@thread.skype"}""", null)]
    [InlineData("""{"id":"8:live:friend","threadProperties":null}""", 2)]
    [InlineData("""{"id":"28:concierge"}""", 2)]
    [InlineData("""{"id":"48:calllogs"}""", null)]
    public void Member_count_comes_from_the_count_then_the_member_list_then_the_kind(string payload, int? expected)
    {
        Assert.Equal(expected, Assert.Single(Conversation(payload).Conversations).MemberCount);
    }

    [Fact]
    public void Direct_conversation_with_a_name_also_names_the_other_participant()
    {
        var result = Conversation("""{"id":"8:live:friend","displayName":"Friend Person","version":1594819354321,"properties":null,"threadProperties":null}""");

        var row = Assert.Single(result.Conversations);
        Assert.Equal("direct", row.Kind);
        Assert.Equal("Friend Person", row.DisplayName);
        Assert.Null(row.Topic);
        Assert.Null(row.PropertiesJson);
        Assert.Equal(new ParticipantRow("tenant-a", "skype", "8:live:friend", "Friend Person", null), Assert.Single(result.Participants));
    }

    [Theory]
    [InlineData("""{"id":"8:live:friend","displayName":null}""")]
    [InlineData("""{"id":"8:live:friend","displayName":""}""")]
    [InlineData("""{"id":"8:live:friend"}""")]
    public void Direct_conversation_without_a_name_has_no_display_name_and_no_participant(string payload)
    {
        var result = Conversation(payload);

        Assert.Null(Assert.Single(result.Conversations).DisplayName);
        Assert.Empty(result.Participants);
    }

    [Fact]
    public void Group_conversation_name_does_not_become_a_participant()
    {
        Assert.Empty(Conversation("""{"id":"19:a@thread.skype","displayName":"Team"}""").Participants);
    }

    [Theory]
    [InlineData("""{"id":"19:a@thread.skype","properties":{"a":1}}""", """{"properties":{"a":1},"threadProperties":null}""")]
    [InlineData("""{"id":"19:a@thread.skype","properties":null,"threadProperties":{"topic":"T"}}""", """{"properties":null,"threadProperties":{"topic":"T"}}""")]
    [InlineData("""{"id":"19:a@thread.skype","properties":null,"threadProperties":null}""", null)]
    [InlineData("""{"id":"19:a@thread.skype"}""", null)]
    public void Properties_keep_both_raw_objects_or_are_null_when_both_are_absent(string payload, string? expected)
    {
        Assert.Equal(expected, Assert.Single(Conversation(payload).Conversations).PropertiesJson);
    }

    [Fact]
    public void Numeric_id_float_version_and_blank_topic_are_tolerated()
    {
        var row = Assert.Single(Conversation("""{"id":12345,"version":1.5e12,"threadProperties":{"topic":""}}""").Conversations);

        Assert.Equal("12345", row.ConversationId);
        Assert.Equal("other", row.Kind);
        Assert.Null(row.Topic);
    }
}
