using EtlActors.Pipeline.Transform;
using System.Text.Json;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Connectors.Skype.Transform;

/// <summary>A conversation's own fields: a conversation row, its raw record, and for a direct chat the other person.</summary>
internal static class SkypeConversationNormalizer
{
    public const string Direct = "direct";
    public const string Group = "group";
    public const string Bot = "bot";
    public const string Other = "other";

    /// <returns>Null when rows were added; otherwise why the record is quarantined (nothing was added).</returns>
    public static SkypeProblem? Normalize(ExtractedRecord record, JsonElement conversation, TransformContext context, TransformResult into)
    {
        var id = SkypeJson.NonBlankText(conversation, "id");
        if (id is null)
        {
            return new(SkypeErrorCodes.MissingConversationId, "conversation has no 'id'");
        }

        var kind = KindOf(id);
        var displayName = SkypeJson.NonBlankText(conversation, "displayName");
        var thread = SkypeJson.Property(conversation, "threadProperties") is { ValueKind: JsonValueKind.Object } t ? t : (JsonElement?)null;
        var topic = thread is { } tp ? SkypeJson.NonBlankText(tp, "topic") : null;

        into.Conversations.Add(new ConversationRow(context.TenantId, context.Source, id, kind, displayName, topic,
            MemberCount(kind, thread), PropertiesJson(conversation)));
        into.RawRecords.Add(new RawRecordRow(context.TenantId, context.Source,
            $"conversation/{id}", record.Payload, context.JobId, context.ExtractedAt));
        if (kind == Direct && displayName is not null)
        {
            // A direct chat is named after the other person: the best name we have for them.
            into.Participants.Add(new ParticipantRow(context.TenantId, context.Source, id, displayName, null));
        }

        return null;
    }

    public static string KindOf(string conversationId) =>
        conversationId.StartsWith("8:", StringComparison.Ordinal) ? Direct
        : conversationId.StartsWith("19:", StringComparison.Ordinal) ? Group
        : conversationId.StartsWith("28:", StringComparison.Ordinal) ? Bot
        : Other;

    private static int? MemberCount(string kind, JsonElement? thread)
    {
        if (thread is { } props)
        {
            if (SkypeJson.Int64(props, "membercount") is { } count and >= 0)
            {
                return (int)Math.Min(count, int.MaxValue);
            }

            if (SkypeJson.ArrayLength(props, "members") is { } listed)
            {
                return listed;
            }
        }

        return kind is Direct or Bot ? 2 : null;
    }

    private static string? PropertiesJson(JsonElement conversation)
    {
        var properties = SkypeJson.Property(conversation, "properties");
        var thread = SkypeJson.Property(conversation, "threadProperties");
        if (properties is null && thread is null)
        {
            return null;
        }

        // Raw texts, not re-serialised values, so the stored JSON is exactly what the export held.
        return $$"""{"properties":{{properties?.GetRawText() ?? "null"}},"threadProperties":{{thread?.GetRawText() ?? "null"}}}""";
    }
}
