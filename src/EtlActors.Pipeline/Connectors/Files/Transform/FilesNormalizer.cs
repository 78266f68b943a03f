using System.Globalization;
using System.Text.Json;
using EtlActors.Pipeline.Connectors.Files.Mapping;
using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Transform;

namespace EtlActors.Pipeline.Connectors.Files.Transform;

/// <summary>
/// Turns one file record (see <c>FileRecordWriter</c>) into rows by its job's mapping: a message with its
/// conversation and sender, or a row of the named table; plus the raw record (the line as read). A record the
/// reader could not take values from, a value not of its declared type, or a missing key becomes one quarantine
/// row naming the file and line, with the line's text. Stateless, like every normaliser.
/// </summary>
internal static class FilesNormalizer
{
    private static readonly JsonSerializerOptions RawText = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Normalize(ExtractedRecord record, TransformContext context, TransformResult into) =>
        Normalize(record, context, into, MappingCache.Get(context?.Mapping ?? throw new InvalidOperationException("a files job carries no mapping")));

    /// <summary>One record by <paramref name="mapping"/> (an HTTP source's resource has its own).</summary>
    public static void Normalize(ExtractedRecord record, TransformContext context, TransformResult into, FileMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(into);
        ArgumentNullException.ThrowIfNull(mapping);
        using var document = JsonDocument.Parse(record.Payload);
        var root = document.RootElement;
        var file = root.GetProperty("file").GetString()!;
        var line = root.GetProperty("line").GetInt64();
        var text = root.GetProperty("text").GetString()!;

        void Quarantine(string code, string problem) =>
            into.Quarantined.Add(new QuarantineRow(context.JobId, record.Offset, code, $"{file}: line {line}: {problem}", text));

        if (root.TryGetProperty("error", out var error))
        {
            Quarantine(error.GetString()!, root.GetProperty("problem").GetString()!);
            return;
        }
        var raw = root.GetProperty("values");
        var values = new string?[mapping.Columns.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var column = mapping.Columns[i];
            if (raw.TryGetProperty(column.Name, out var value) && ValueConverter.Convert(value, column, out values[i]) is { } problem)
            {
                Quarantine(FilesErrorCodes.InvalidValue, $"column '{column.Name}' (from '{column.From}'): {problem}");
                return;
            }
        }
        foreach (var key in mapping.KeyColumns)
        {
            var at = IndexOf(mapping, key);
            if (string.IsNullOrEmpty(values[at]))
            {
                Quarantine(FilesErrorCodes.MissingKey, $"key column '{key}' (from '{mapping.Columns[at].From}') has no value");
                return;
            }
        }

        // raw_records hold JSON: an NDJSON line is stored as read, a CSV record as a JSON string of its text.
        var payload = root.GetProperty("format").GetString() == "csv" ? JsonSerializer.Serialize(text, RawText) : text;
        // A record of an API has no stable line: its raw row is keyed by what identifies it (see HttpRecords).
        var rawId = root.TryGetProperty("raw_id", out var id) ? id.GetString()! : $"{file}:{line}";
        into.RawRecords.Add(new RawRecordRow(context.TenantId, mapping.Source, rawId, payload, context.JobId, context.ExtractedAt));
        if (mapping.Target == MappingTarget.Table)
            into.AddTableRow(mapping.Table!, new TableRow(context.TenantId, mapping.Source, values, line, context.JobId));
        else
            AddMessage(mapping, values, context, into);
    }

    private static void AddMessage(FileMapping mapping, string?[] values, TransformContext context, TransformResult into)
    {
        string? Text(string column) => IndexOf(mapping, column) is var i and >= 0 ? values[i] : null;
        DateTimeOffset? At(string column) => Text(column) is { } t ? DateTimeOffset.Parse(t, CultureInfo.InvariantCulture) : null;

        var source = mapping.Source;
        var conversation = Text("conversation_id")!;
        var sender = Text("sender_id");
        var senderName = Text("sender_name");
        var sentAt = At("sent_at");
        into.Conversations.Add(new ConversationRow(context.TenantId, source, conversation, "other", Text("conversation_name"), null, null, null));
        if (sender is not null)
            into.Participants.Add(new ParticipantRow(context.TenantId, source, sender, senderName, sentAt));
        into.Messages.Add(new MessageRow(
            context.TenantId, source, conversation, Text("message_id")!, sender, senderName, sentAt,
            Text("message_type") ?? "Text", Text("content_text") ?? "", Text("content_raw"), At("edited_at"), At("deleted_at"),
            null, Text("revision") is { } r ? long.Parse(r, CultureInfo.InvariantCulture) : 0, context.JobId, Text("thread_id")));
    }

    private static int IndexOf(FileMapping mapping, string column)
    {
        for (var i = 0; i < mapping.Columns.Count; i++)
        {
            if (mapping.Columns[i].Name == column)
                return i;
        }
        return -1;
    }
}
