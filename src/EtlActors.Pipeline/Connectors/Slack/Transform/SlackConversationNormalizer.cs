using System.Text.Json;
using EtlActors.Pipeline.Connectors.Slack.Extract;
using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Transform;

namespace EtlActors.Pipeline.Connectors.Slack.Transform;

/// <summary>A conversation from channels.json, groups.json, dms.json, mpims.json, or a folder none of them lists.</summary>
internal static class SlackConversationNormalizer
{
    public static (string Code, string Message)? Normalize(ExtractedRecord record, JsonElement conversation, TransformContext context, TransformResult into)
    {
        var id = record.ConversationId;
        if (id.Length == 0)
            return (SlackErrorCodes.MissingId, "conversation has no 'id'");
        var file = SlackNormalizer.Hint(record, SlackExportReader.FileHint);
        var folder = SlackNormalizer.Hint(record, SlackExportReader.FolderHint);
        var kind = file is null ? KindOfFolder(id) : SlackLayout.ConversationFiles.First(f => f.File == file).Kind;
        var members = conversation.TryGetProperty("members", out var m) && m.ValueKind == JsonValueKind.Array ? m : (JsonElement?)null;

        var name = SlackNames.NonBlank(conversation, "name") ?? MemberNames(record, members) ?? folder;
        var topic = conversation.TryGetProperty("topic", out var t) ? SlackNames.NonBlank(t, "value") : null;
        into.Conversations.Add(new ConversationRow(context.TenantId, context.Source, id, kind, name, topic,
            members?.GetArrayLength(), SlackNormalizer.OtherProperties(conversation, "id", "name")));
        into.RawRecords.Add(new RawRecordRow(context.TenantId, context.Source, $"conversation/{id}", record.Payload, context.JobId, context.ExtractedAt));
        return null;
    }

    // A folder no metadata file lists: direct message folders are named by their id (D…), group ones "mpdm-…".
    private static string KindOfFolder(string folder) =>
        folder.StartsWith("mpdm-", StringComparison.Ordinal) ? SlackKinds.Group
        : folder.Length > 1 && folder[0] == 'D' && folder.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c)) ? SlackKinds.Direct
        : SlackKinds.Channel;

    // A direct message is named after its members: those users.json names, in the order the export lists them.
    private static string? MemberNames(ExtractedRecord record, JsonElement? members)
    {
        if (members is not { } list)
            return null;
        var names = list.EnumerateArray()
            .Select(e => e.ValueKind == JsonValueKind.String ? SlackNormalizer.Hint(record, SlackExportReader.UserHint(e.GetString()!)) : null)
            .OfType<string>()
            .ToList();
        return names.Count == 0 ? null : string.Join(", ", names);
    }
}
