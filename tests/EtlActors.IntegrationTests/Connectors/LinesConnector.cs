using System.Runtime.CompilerServices;
using EtlActors.Pipeline.Connectors;
using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Transform;

namespace EtlActors.IntegrationTests.Connectors;

/// <summary>
/// A connector defined by a test, not by EtlActors: a text file starting with <c>#etl-lines</c>, then one
/// message a line as <c>conversation|sender|text</c>. Shows that a new source kind is one class and one line.
/// </summary>
public sealed class LinesConnector : ISourceConnector
{
    public const string Header = "#etl-lines";

    public string Kind => "lines";

    public bool Recognizes(SourceSample sample) => sample.Head.Span.StartsWith(System.Text.Encoding.UTF8.GetBytes(Header));

    public async IAsyncEnumerable<ExtractedRecord> ReadAsync(SourceRead read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(read.Path);
        var offset = -1L; // the header is not a record
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (offset >= read.FromOffset)
                yield return new ExtractedRecord(offset, RecordKind.Message, line.Split('|')[0], line);
            offset++;
        }
    }

    public void Normalize(ExtractedRecord record, TransformContext context, TransformResult into)
    {
        var parts = record.Payload.Split('|', 3);
        if (parts.Length != 3)
        {
            into.Quarantined.Add(new QuarantineRow(context.JobId, record.Offset, "lines_shape", "expected conversation|sender|text", record.Payload));
            return;
        }
        var (conversation, sender, text) = (parts[0], parts[1], parts[2]);
        into.Conversations.Add(new ConversationRow(context.TenantId, context.Source, conversation, "group", conversation, null, null, null));
        into.Participants.Add(new ParticipantRow(context.TenantId, context.Source, sender, sender.ToUpperInvariant(), null));
        into.Messages.Add(new MessageRow(context.TenantId, context.Source, conversation, $"line-{record.Offset}", sender, sender.ToUpperInvariant(),
            null, "Text", text, text, null, null, null, 1, context.JobId));
        into.RawRecords.Add(new RawRecordRow(context.TenantId, context.Source, $"line/{record.Offset}", System.Text.Json.JsonSerializer.Serialize(record.Payload), context.JobId, context.ExtractedAt));
    }
}
