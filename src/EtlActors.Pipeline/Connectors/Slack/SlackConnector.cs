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
        if (!sample.Head.Span.StartsWith("PK\x03\x04"u8) && !sample.Head.Span.StartsWith("PK\x05\x06"u8))
            return false;
        // A zip is Slack's only when it holds Slack's metadata: any other zip (a zipped Skype export) goes to the
        // fallback kind, whose reader tells the user to extract it. Only the zip's directory is read.
        try
        {
            using var export = SlackExport.Open(sample.Path);
            return SlackLayout.IsExport(export.Files);
        }
        catch (Exception ex) when (ex is SourceFormatException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ExtractedRecord> ReadAsync(SourceRead read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        return SlackExportReader.ReadAsync(read.Path, read.FromOffset, read.Progress, cancellationToken);
    }

    /// <inheritdoc />
    public void Normalize(ExtractedRecord record, TransformContext context, TransformResult into) =>
        SlackNormalizer.Normalize(record, context, into);
}
