using System.Text.Json;
using EtlActors.Pipeline.Connectors.Slack.Extract;
using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Transform;

namespace EtlActors.Pipeline.Connectors.Slack.Transform;

/// <summary>One element of a day file: a message row whatever its subtype, and a participant row for a sender users.json lacks.</summary>
internal static class SlackMessageNormalizer
{
    // Fields with a column of their own; every other field goes to properties.
    private static readonly string[] Mapped = ["type", "subtype", "user", "text", "ts", "thread_ts"];

    public static (string Code, string Message)? Normalize(ExtractedRecord record, JsonElement message, TransformContext context, TransformResult into)
    {
        var ts = SlackNames.NonBlank(message, "ts");
        if (ts is null)
            return (SlackErrorCodes.MissingTimestamp, "message has no 'ts'");
        if (SlackTimestamps.FromTs(ts) is not { } sentAt)
            return (SlackErrorCodes.InvalidTimestamp, $"'ts' is not a Slack timestamp: {Shorten(ts)}");
        var edited = message.TryGetProperty("edited", out var e) ? SlackNames.NonBlank(e, "ts") : null;

        var (senderId, senderName, known) = Sender(record, message);
        var text = message.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var contentText = SlackMarkup.ToPlainText(text, id => SlackNormalizer.Hint(record, SlackExportReader.UserHint(id)));
        if (contentText.Length == 0)
            contentText = FallbackText(message);

        into.Messages.Add(new MessageRow(
            context.TenantId, context.Source, record.ConversationId, ts, senderId, senderName, sentAt,
            SlackNames.NonBlank(message, "subtype") ?? SlackNames.NonBlank(message, "type") ?? "message",
            contentText, text, SlackTimestamps.FromTs(edited), DeletedAt: null,
            SlackNormalizer.OtherProperties(message, Mapped),
            Revision: SlackTimestamps.Microseconds(edited) ?? 0, context.JobId,
            ThreadId: SlackNames.NonBlank(message, "thread_ts")));
        into.RawRecords.Add(new RawRecordRow(context.TenantId, context.Source, $"message/{record.ConversationId}/{ts}", record.Payload, context.JobId, context.ExtractedAt));
        if (!known && senderId is not null)
        {
            // users.json does not list every sender (Slackbot, bots, users of other workspaces): the message's own name is the best there is.
            into.Participants.Add(new ParticipantRow(context.TenantId, context.Source, senderId, senderName, senderName is null ? null : sentAt));
        }
        return null;
    }

    /// <summary>Who sent it: a user (named by users.json when it lists them), else a bot known by its id or only by name.</summary>
    private static (string? Id, string? Name, bool Known) Sender(ExtractedRecord record, JsonElement message)
    {
        var profile = message.TryGetProperty("user_profile", out var p) && p.ValueKind == JsonValueKind.Object ? p : (JsonElement?)null;
        var botProfile = message.TryGetProperty("bot_profile", out var b) && b.ValueKind == JsonValueKind.Object ? b : (JsonElement?)null;
        var ownName = (profile is { } up ? SlackNames.DisplayName(up) : null)
            ?? SlackNames.NonBlank(message, "username")
            ?? SlackNames.NonBlank(botProfile, "name");
        if (SlackNames.NonBlank(message, "user") is { } user)
        {
            if (SlackNormalizer.Hint(record, SlackExportReader.UserHint(user)) is { } listed)
                return (user, listed, true);
            return (user, ownName ?? (user == "USLACKBOT" ? "Slackbot" : null), false);
        }
        var bot = SlackNames.NonBlank(message, "bot_id") ?? SlackNames.NonBlank(message, "username");
        return (bot, ownName, false);
    }

    // A bot's message often has empty text and says everything in its attachments; a bare file share is its files' names.
    private static string FallbackText(JsonElement message)
    {
        var parts = new List<string>();
        if (message.TryGetProperty("attachments", out var attachments) && attachments.ValueKind == JsonValueKind.Array)
        {
            foreach (var attachment in attachments.EnumerateArray())
            {
                if ((SlackNames.NonBlank(attachment, "text") ?? SlackNames.NonBlank(attachment, "fallback")) is { } part)
                    parts.Add(SlackMarkup.ToPlainText(part, _ => null));
            }
        }
        if (parts.Count == 0 && message.TryGetProperty("files", out var files) && files.ValueKind == JsonValueKind.Array)
        {
            foreach (var file in files.EnumerateArray())
            {
                if ((SlackNames.NonBlank(file, "name") ?? SlackNames.NonBlank(file, "title")) is { } name)
                    parts.Add(name);
            }
        }
        return string.Join("\n", parts);
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
