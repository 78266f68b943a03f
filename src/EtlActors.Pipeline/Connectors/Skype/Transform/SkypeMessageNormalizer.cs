using EtlActors.Pipeline.Transform;
using System.Text.Json;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Connectors.Skype.Transform;

/// <summary>One Skype message: a message row, its raw record and its sender.</summary>
internal static class SkypeMessageNormalizer
{
    private const int MaxQuotedValue = 100;

    /// <returns>Null when rows were added; otherwise why the message is quarantined (nothing was added).</returns>
    public static SkypeProblem? Normalize(ExtractedRecord record, JsonElement message, TransformContext context, TransformResult into)
    {
        var messageId = SkypeJson.NonBlankText(message, "id");
        if (messageId is null)
        {
            return new(SkypeErrorCodes.MissingMessageId, "message has no 'id'");
        }

        var conversationId = SkypeJson.NonBlankText(message, "conversationid");
        if (conversationId is null)
        {
            return new(SkypeErrorCodes.MissingConversationId, $"message {messageId} has no 'conversationid'");
        }

        if (SkypeJson.Property(message, "originalarrivaltime") is not { } arrival)
        {
            return new(SkypeErrorCodes.InvalidTimestamp, $"message {messageId} has no 'originalarrivaltime'");
        }

        if (!SkypeTimestamps.TryParse(arrival, out var sentAt))
        {
            return new(SkypeErrorCodes.InvalidTimestamp,
                $"message {messageId} has an unparseable 'originalarrivaltime': {Quote(arrival)}");
        }

        var properties = SkypeJson.Property(message, "properties") is { ValueKind: JsonValueKind.Object } p ? p : (JsonElement?)null;
        var editedAt = TimeProperty(properties, "edittime");
        var deletedAt = TimeProperty(properties, "deletetime");
        var revision = Math.Max(0, Math.Max(SkypeJson.Int64(message, "version") ?? 0,
            Math.Max(EpochMs(editedAt), EpochMs(deletedAt))));

        var messageType = SkypeJson.Text(message, "messagetype") ?? "";
        var content = Content(message);
        var senderId = SkypeParticipantIds.Normalize(SkypeJson.Text(message, "from"));
        var senderName = SkypeJson.NonBlankText(message, "displayName");
        var contentText = deletedAt is null ? SkypeContent.ToPlainText(messageType, content) : "";

        into.Messages.Add(new MessageRow(context.TenantId, context.Source, conversationId, messageId,
            senderId, senderName, sentAt, messageType, contentText, content, editedAt, deletedAt,
            properties?.GetRawText(), revision, context.JobId));
        into.RawRecords.Add(new RawRecordRow(context.TenantId, context.Source,
            $"message/{conversationId}/{messageId}", record.Payload, context.JobId, context.ExtractedAt));
        if (senderId is not null)
        {
            into.Participants.Add(new ParticipantRow(context.TenantId, context.Source, senderId, senderName, sentAt));
        }

        return null;
    }

    // Content is a string in every export seen; anything else is kept as its JSON text rather than lost.
    private static string? Content(JsonElement message) => SkypeJson.Property(message, "content") switch
    {
        { ValueKind: JsonValueKind.String } s => JsonStringFallback.GetString(s),
        { } other => other.GetRawText(),
        null => null,
    };

    // An empty or unreadable edit/delete time means "not edited/deleted"; the raw value stays in properties.
    private static DateTimeOffset? TimeProperty(JsonElement? properties, string name) =>
        properties is { } props && SkypeJson.Property(props, name) is { } value && SkypeTimestamps.TryParse(value, out var at)
            ? at
            : null;

    private static long EpochMs(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds() ?? 0;

    private static string Quote(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length <= MaxQuotedValue ? raw : raw[..MaxQuotedValue] + "…";
    }
}
