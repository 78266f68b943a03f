using EtlActors.Pipeline.Transform;
using System.Text.Json;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Connectors.Skype.Transform;

/// <summary>
/// Turns one extracted Skype record into rows of the data contract, or into one quarantine row
/// when the record cannot be used. Stateless: per-conversation consolidation happens downstream
/// (rows carry <see cref="MessageRow.Revision"/> and <see cref="ParticipantRow.NameSeenAt"/> for it).
/// </summary>
public static class SkypeNormalizer
{
    public static void Normalize(ExtractedRecord record, TransformContext context, TransformResult into)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(into);

        var what = record.Kind switch
        {
            RecordKind.Message => "message",
            RecordKind.Conversation => "conversation",
            _ => null,
        };
        if (what is null)
        {
            Quarantine(record, context, into, SkypeErrorCodes.InvalidRecord, $"record kind {record.Kind} is not a Skype message or conversation");
            return;
        }

        JsonDocument document;
        try
        {
            document = SkypeJson.ParseRecord(record.Payload);
        }
        catch (JsonException ex)
        {
            Quarantine(record, context, into, SkypeErrorCodes.InvalidRecord, $"{what} is not valid JSON: {ex.Message}");
            return;
        }

        using (document)
            Normalize(record, document.RootElement, what, context, into);
    }

    private static void Normalize(ExtractedRecord record, JsonElement root, string what, TransformContext context, TransformResult into)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            Quarantine(record, context, into, SkypeErrorCodes.InvalidRecord,
                $"{what} is not a JSON object (found {Describe(root.ValueKind)})");
            return;
        }

        var problem = record.Kind == RecordKind.Message
            ? SkypeMessageNormalizer.Normalize(record, root, context, into)
            : SkypeConversationNormalizer.Normalize(record, root, context, into);
        if (problem is not null)
        {
            Quarantine(record, context, into, problem.Value.Code, problem.Value.Message);
        }
    }

    private static void Quarantine(ExtractedRecord record, TransformContext context, TransformResult into, string code, string message) =>
        into.Quarantined.Add(new QuarantineRow(context.JobId, record.Offset, code, message, record.Payload));

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}

/// <summary>Why a record goes to quarantine instead of producing rows.</summary>
internal readonly record struct SkypeProblem(string Code, string Message);
