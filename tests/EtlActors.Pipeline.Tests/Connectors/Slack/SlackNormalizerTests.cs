using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Tests.Extract;
using EtlActors.Testing.Slack;

namespace EtlActors.Pipeline.Tests.Connectors.Slack;

/// <summary>The rows the sample export becomes: every element a message, conversations of each kind, every sender a participant.</summary>
public sealed class SlackNormalizerTests : IDisposable
{
    private readonly ExtractFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Every_element_of_every_day_file_is_one_message_row_with_its_sender_text_and_thread()
    {
        var rows = SlackRecords.Normalize(await SlackRecords.ReadAsync(SlackSampleExport.WriteZip(_files.PathOf("export.zip"))));

        Assert.Empty(rows.Quarantined);
        Assert.Equal(SlackSampleExport.ExpectedMessages, rows.Messages.Select(m => (m.ConversationId, m.MessageId, m.MessageType, m.SenderId, m.SenderName, m.ContentText, m.ThreadId)));
        Assert.All(rows.Messages, m => Assert.Equal(("t1", "slack", "job-1"), (m.TenantId, m.Source, m.JobId)));
        var join = rows.Messages[1];
        Assert.Equal(DateTimeOffset.Parse("2024-01-01T00:00:00.0001Z"), join.SentAt);
        Assert.Equal("<@U02> has joined the channel", join.ContentRaw);
    }

    [Fact]
    public async Task An_edit_gives_edited_at_and_a_revision_and_reactions_files_and_attachments_stay_in_properties_without_tokens()
    {
        var rows = SlackRecords.Normalize(await SlackRecords.ReadAsync(SlackSampleExport.WriteFolder(_files.PathOf("export"))));
        var byTs = rows.Messages.ToDictionary(m => m.MessageId);

        var edited = byTs["1704067600.000500"];
        Assert.Equal(DateTimeOffset.Parse("2024-01-01T00:08:20Z"), edited.EditedAt);
        Assert.Equal(1_704_067_700_000_000, edited.Revision);
        Assert.Equal(0, byTs["1704067200.000600"].Revision);
        Assert.Contains("\"reactions\":[{\"name\":\"thumbsup\"", byTs["1704067300.000200"].PropertiesJson);
        Assert.Contains("\"attachments\":[{\"fallback\":\"Build 42 passed\"", byTs["1704067400.000300"].PropertiesJson);
        var files = byTs["1704067500.000400"].PropertiesJson!;
        foreach (var mode in new[] { "hosted", "hidden_by_limit", "tombstone", "external", "snippet" })
            Assert.Contains($"\"mode\":\"{mode}\"", files);
        Assert.Contains("plan.pdf?t=REDACTED\"", files);
        Assert.DoesNotContain(SlackSampleExport.Token, string.Join("\n", rows.Messages.Select(m => m.PropertiesJson)));
        // raw_records keep the record exactly as extracted, as for every source.
        Assert.Contains(SlackSampleExport.Token, rows.RawRecords.Single(r => r.RecordKey == "message/C01/1704067500.000400").Payload);
    }

    [Fact]
    public async Task Conversations_have_their_kind_name_topic_members_and_the_rest_in_properties()
    {
        var rows = SlackRecords.Normalize(await SlackRecords.ReadAsync(SlackSampleExport.WriteFolder(_files.PathOf("export"))));

        Assert.Equal(
            [
                ("C01", "channel", "general", "Company news", (int?)3),
                ("C02", "channel", "random", null, 1),
                ("G01", "private_channel", "secret-plans", "Shh", 2),
                ("D01", "direct", "Alice A, Bob Brown", null, 2),
                ("G02", "group", "mpdm-alice--bob--carol-1", null, 3),
                ("old-project", "channel", "old-project", null, null),
            ],
            rows.Conversations.Select(c => (c.ConversationId, c.Kind, c.DisplayName, c.Topic, c.MemberCount)));
        Assert.Contains("\"is_archived\":true", rows.Conversations[1].PropertiesJson);
        Assert.Contains("\"purpose\":{\"value\":\"All hands\"", rows.Conversations[0].PropertiesJson);
        Assert.Null(rows.Conversations[5].PropertiesJson);
        Assert.Equal(["conversation/C01", "conversation/C02", "conversation/G01", "conversation/D01", "conversation/G02", "conversation/old-project"],
            rows.RawRecords.Where(r => r.RecordKey.StartsWith("conversation/")).Select(r => r.RecordKey));
    }

    [Fact]
    public async Task Participants_come_from_users_json_deleted_and_bots_included_and_from_senders_it_lacks()
    {
        var rows = SlackRecords.Normalize(await SlackRecords.ReadAsync(SlackSampleExport.WriteFolder(_files.PathOf("export"))));

        Assert.Equal(
            [
                ("U01", "Alice A"), ("U02", "Bob Brown"), ("U03", "carol"), ("U04", "Deploy Bot"),
                ("B01", "CI"), ("USLACKBOT", "Slackbot"), ("legacy-bot", "legacy-bot"), ("U77", "Guest"),
            ],
            rows.Participants.DistinctBy(p => p.ParticipantId).Select(p => (p.ParticipantId, p.DisplayName))
                .OrderBy(p => p.ParticipantId.StartsWith('U') && p.ParticipantId.Length == 3 && p.ParticipantId != "U77" ? 0 : 1)
                .ThenBy(p => Array.IndexOf(["U01", "U02", "U03", "U04", "B01", "USLACKBOT", "legacy-bot", "U77"], p.ParticipantId)));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), rows.Participants[0].NameSeenAt);
        Assert.Equal(SlackSampleExport.Participants, rows.Participants.Select(p => p.ParticipantId).Distinct().Count());
    }

    [Theory]
    [InlineData("[1]", "invalid_record", "general/2024-01-02.json, element 0: expected an object, found number")]
    [InlineData("""[{"type": "message", "text": "no ts"}]""", "missing_ts", "general/2024-01-02.json, element 0: message has no 'ts'")]
    [InlineData("""[{"type": "message", "ts": "yesterday"}]""", "invalid_ts", "general/2024-01-02.json, element 0: 'ts' is not a Slack timestamp: yesterday")]
    [InlineData("{\"not\": \"an array\"}", "invalid_day_file", "general/2024-01-02.json: expected an array of messages, found object")]
    [InlineData("[{\n\"ts\": ", "invalid_day_file", "general/2024-01-02.json: line 2, byte 6: not valid JSON: ")]
    public async Task A_bad_element_or_day_file_is_quarantined_naming_the_file_and_where_and_the_rest_loads(string dayFile, string code, string message)
    {
        var files = SlackSampleExport.Files.ToDictionary();
        files["general/2024-01-02.json"] = dayFile;
        var path = SlackSampleExport.WriteFolder(_files.PathOf("export"), files);

        var rows = SlackRecords.Normalize(await SlackRecords.ReadAsync(path));

        var quarantined = Assert.Single(rows.Quarantined);
        Assert.Equal(code, quarantined.ErrorCode);
        Assert.StartsWith($"{path}/{message}", quarantined.Message);
        Assert.Equal(SlackSampleExport.Messages - 4, rows.Messages.Count);
    }

    [Fact]
    public async Task A_token_in_a_quarantined_record_is_redacted()
    {
        var files = SlackSampleExport.Files.ToDictionary();
        files["general/2024-01-02.json"] = $$"""[{"files": [{"url_private": "https://files.slack.com/x?t={{SlackSampleExport.Token}}"}]}]""";

        var rows = SlackRecords.Normalize(await SlackRecords.ReadAsync(SlackSampleExport.WriteFolder(_files.PathOf("export"), files)));

        var quarantined = Assert.Single(rows.Quarantined);
        Assert.DoesNotContain(SlackSampleExport.Token, quarantined.Payload);
        Assert.Contains("?t=REDACTED", quarantined.Payload);
    }
}
