using EtlActors.Pipeline.Connectors.Skype.Extract;
using EtlActors.Pipeline.Connectors.Skype.Transform;
using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Transform;

namespace EtlActors.Pipeline.Connectors.Skype;

/// <summary>
/// A Skype export: the <c>.tar</c> Skype gives (holding <c>messages.json</c>), the folder it unpacks to, or the bare JSON. Records are
/// messages and conversations in file order; their position is their ordinal, their partition key the conversation.
/// </summary>
public sealed class SkypeConnector : ISourceConnector
{
    /// <inheritdoc />
    public string Kind => "skype";

    /// <inheritdoc />
    public bool Recognizes(SourceSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (Directory.Exists(sample.Path))
            return File.Exists(Path.Combine(sample.Path, "messages.json"));
        var head = sample.Head.Span;
        if (FileSignature.IsTarHeader(head))
            return true; // the only tar-shaped kind so far; its reader finds messages.json or says it is missing
        var text = head.TrimStart(" \t\r\n\uFEFF"u8); // whitespace and a UTF-8 byte order mark
        return text.StartsWith("{"u8) && (text.IndexOf("\"conversations\""u8) >= 0 || text.IndexOf("\"userId\""u8) >= 0);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ExtractedRecord> ReadAsync(
        SourceRead read, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        // The JSON has no index: a resumed run parses from the start and skips what is loaded.
        await foreach (var record in SkypeExportReader.ReadAsync(read.Path, null, stats: null, read.Progress, cancellationToken).ConfigureAwait(false))
        {
            if (record.Offset >= read.FromOffset)
                yield return record;
        }
    }

    /// <inheritdoc />
    public void Normalize(ExtractedRecord record, TransformContext context, TransformResult into) =>
        SkypeNormalizer.Normalize(record, context, into);
}
