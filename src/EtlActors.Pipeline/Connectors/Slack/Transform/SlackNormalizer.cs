using System.Buffers;
using System.Text;
using System.Text.Json;
using EtlActors.Pipeline.Connectors.Slack.Extract;
using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Transform;

namespace EtlActors.Pipeline.Connectors.Slack.Transform;

/// <summary>
/// Turns one Slack record (a user, a conversation or a day file's element) into rows of the data contract, or
/// into one quarantine row. Stateless: what it needs beyond the record (names from users.json, the file it came
/// from) the reader put in the record's hints.
/// </summary>
internal static class SlackNormalizer
{
    public static void Normalize(ExtractedRecord record, TransformContext context, TransformResult into)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(into);
        var at = Where(record);
        if (Hint(record, SlackExportReader.ErrorHint) is { } error)
        {
            Quarantine(record, context, into, SlackErrorCodes.InvalidDayFile, $"{at}: {error}");
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(record.Payload);
        }
        catch (JsonException ex)
        {
            Quarantine(record, context, into, SlackErrorCodes.InvalidRecord, $"{at}: not valid JSON: {SlackDirectory.FirstSentence(ex.Message)}");
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Quarantine(record, context, into, SlackErrorCodes.InvalidRecord, $"{at}: expected an object, found {root.ValueKind.ToString().ToLowerInvariant()}");
                return;
            }
            var problem = record.Kind switch
            {
                RecordKind.Message => SlackMessageNormalizer.Normalize(record, root, context, into),
                RecordKind.Conversation => SlackConversationNormalizer.Normalize(record, root, context, into),
                RecordKind.Participant => NormalizeUser(record, root, context, into),
                _ => (SlackErrorCodes.InvalidRecord, $"record kind {record.Kind} is not a Slack user, conversation or message"),
            };
            if (problem is { } p)
                Quarantine(record, context, into, p.Code, $"{at}: {p.Message}");
        }
    }

    /// <summary>A hint the reader gave the record, or null.</summary>
    public static string? Hint(ExtractedRecord record, string name) =>
        record.Hints is { } hints && hints.TryGetValue(name, out var value) ? value : null;

    /// <summary>The properties of <paramref name="obj"/> except <paramref name="mapped"/> (those have columns), as JSON; null when none is left.</summary>
    public static string? OtherProperties(JsonElement obj, params string[] mapped)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var any = false;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in obj.EnumerateObject())
            {
                if (Array.IndexOf(mapped, property.Name) >= 0)
                    continue;
                property.WriteTo(writer);
                any = true;
            }
            writer.WriteEndObject();
        }
        return any ? SlackTokens.Redact(Encoding.UTF8.GetString(buffer.WrittenSpan)) : null;
    }

    private static (string Code, string Message)? NormalizeUser(ExtractedRecord record, JsonElement user, TransformContext context, TransformResult into)
    {
        if (SlackNames.NonBlank(user, "id") is not { } id)
            return (SlackErrorCodes.MissingId, "user has no 'id'");
        into.Participants.Add(new ParticipantRow(context.TenantId, context.Source, id, SlackNames.DisplayName(user),
            SlackTimestamps.FromEpochSeconds(user, "updated")));
        into.RawRecords.Add(new RawRecordRow(context.TenantId, context.Source, $"user/{id}", record.Payload, context.JobId, context.ExtractedAt));
        return null;
    }

    // Names the record for a person reading the quarantine: the file, and the element's place in it.
    private static string Where(ExtractedRecord record) => record.Kind switch
    {
        RecordKind.Participant => SlackLayout.Users,
        RecordKind.Conversation => Hint(record, SlackExportReader.FileHint) ?? $"folder {Hint(record, SlackExportReader.FolderHint)}",
        _ when Hint(record, SlackExportReader.IndexHint) is { } index => $"{Hint(record, SlackExportReader.FileHint)}, element {index}",
        _ => Hint(record, SlackExportReader.FileHint) ?? $"record {record.Offset}",
    };

    private static void Quarantine(ExtractedRecord record, TransformContext context, TransformResult into, string code, string message) =>
        into.Quarantined.Add(new QuarantineRow(context.JobId, record.Offset, code, SlackTokens.Redact(message), SlackTokens.Redact(record.Payload)));
}
