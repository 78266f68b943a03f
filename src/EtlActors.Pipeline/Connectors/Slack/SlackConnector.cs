using EtlActors.Pipeline.Connectors.Slack.Extract;
using EtlActors.Pipeline.Connectors.Slack.Transform;
using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Transform;

namespace EtlActors.Pipeline.Connectors.Slack;

/// <summary>
/// A Slack workspace export: the <c>.zip</c> Slack gives, or its unpacked folder. Records are users, conversations
/// and the elements of every day file, in a fixed order; their position is their ordinal, their partition key the
/// conversation (users go to one partition).
/// </summary>
public sealed class SlackConnector : ISourceConnector
{
    /// <inheritdoc />
    public string Kind => "slack";

    /// <inheritdoc />
    public bool Recognizes(SourceSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (Directory.Exists(sample.Path))
            return File.Exists(Path.Combine(sample.Path, "channels.json")) || File.Exists(Path.Combine(sample.Path, SlackLayout.Users));
        // Any zip: the only zip-shaped kind so far; its reader says so when a zip is not a Slack export.
        return sample.Head.Span.StartsWith("PK\x03\x04"u8) || sample.Head.Span.StartsWith("PK\x05\x06"u8);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ExtractedRecord> ReadAsync(SourceRead read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        return SlackExportReader.ReadAsync(read.Path, read.FromOffset, cancellationToken);
    }

    /// <inheritdoc />
    public void Normalize(ExtractedRecord record, TransformContext context, TransformResult into) =>
        SlackNormalizer.Normalize(record, context, into);
}
