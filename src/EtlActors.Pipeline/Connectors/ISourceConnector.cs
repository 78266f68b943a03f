using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Transform;

namespace EtlActors.Pipeline.Connectors;

/// <summary>
/// One kind of source: how it is recognised, read and normalised into the data contract. The engine
/// knows only this interface; <see cref="SourceConnectors"/> holds the kinds a process can run.
/// </summary>
public interface ISourceConnector
{
    /// <summary>The kind's name in a job spec (<c>JobSpec.SourceKind</c>) and in rows' <c>source</c> column, e.g. <c>skype</c>.</summary>
    string Kind { get; }

    /// <summary>Whether a source that starts with <paramref name="sample"/> is one of this kind; only content counts, not the file name.</summary>
    bool Recognizes(SourceSample sample);

    /// <summary>
    /// Streams the source's records in a stable order from <paramref name="read"/>'s position. Each record's
    /// <see cref="ExtractedRecord.Offset"/> is its position (an ordinal for files), and its
    /// <see cref="ExtractedRecord.ConversationId"/> the partition key its transformer entity is chosen by.
    /// A source that cannot be read throws <see cref="SourceFormatException"/> naming the file and position.
    /// </summary>
    IAsyncEnumerable<ExtractedRecord> ReadAsync(SourceRead read, CancellationToken cancellationToken);

    /// <summary>
    /// Turns one record into rows of the data contract, or into one quarantine row when it cannot be used.
    /// Must not keep state between records: a replayed batch is normalised again from its records alone.
    /// </summary>
    void Normalize(ExtractedRecord record, TransformContext context, TransformResult into);

    /// <summary>
    /// The <c>source</c> column of the rows a job with <paramref name="mapping"/> loads (its totals and
    /// aggregates are counted by it): the kind, unless the connector lets a mapping name another.
    /// </summary>
    string RowSource(string? mapping) => Kind;

    /// <summary>The table a job with <paramref name="mapping"/> loads besides the contract's (its rows are counted at the end), or null.</summary>
    string? RowTable(string? mapping) => null;
}

/// <summary>The start of a source, for recognising its kind.</summary>
/// <param name="Path">Where the source is: a file, or a folder (a Slack export unpacked).</param>
/// <param name="Head">A file's first bytes (up to <see cref="SourceConnectors.SampleBytes"/>); empty for a folder.</param>
public sealed record SourceSample(string Path, ReadOnlyMemory<byte> Head);

/// <summary>
/// What a run reads: the source at <paramref name="Path"/>, records at position <paramref name="FromOffset"/> and after,
/// with the job's <paramref name="Mapping"/> (YAML text) for connectors that need one.
/// </summary>
public sealed record SourceRead(string Path, long FromOffset, string? Mapping = null);
