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

    /// <summary>
    /// Whether a job's <c>SourcePath</c> is a file or folder the node reads (checked against the sources root and
    /// fingerprinted to notice a changed source), rather than a name for a source the job's mapping describes (an HTTP API).
    /// </summary>
    bool ReadsFiles => true;

    /// <summary>
    /// Whether its records come in pages whose last record it marks (<see cref="ReadPosition.EndsPage"/>): the engine
    /// then loads and checkpoints page by page instead of batching by size and time.
    /// </summary>
    bool ReadsPages => false;
}

/// <summary>The start of a source, for recognising its kind.</summary>
/// <param name="Path">Where the source is: a file, or a folder (a Slack export unpacked).</param>
/// <param name="Head">A file's first bytes (up to <see cref="SourceConnectors.SampleBytes"/>); empty for a folder.</param>
public sealed record SourceSample(string Path, ReadOnlyMemory<byte> Head);

/// <summary>
/// What a run reads: the source at <paramref name="Path"/>, records at position <paramref name="FromOffset"/> and after,
/// with the job's <paramref name="Mapping"/> (YAML text) for connectors that need one. <paramref name="Resume"/> is the
/// <see cref="ReadPosition.Token"/> persisted with the checkpoint at <paramref name="FromOffset"/>, or null; a run from
/// offset 0 with a token is a new run after a completed one (an incremental source starts from its watermark).
/// </summary>
public sealed record SourceRead(string Path, long FromOffset, string? Mapping = null, string? Resume = null)
{
    /// <summary>The job's tenant (rate limits are divided between tenants).</summary>
    public string TenantId { get; init; } = "";

    /// <summary>Admits the HTTP requests of readers that make them.</summary>
    public Http.IRequestGate Gate { get; init; } = Http.UnlimitedRequestGate.Instance;

    /// <summary>
    /// How far the job's checkpoint has come. A paged reader waits here before fetching its next page, so at most
    /// one page is in flight and a killed job fetches again no more than that page.
    /// </summary>
    public ICheckpointProgress Checkpoints { get; init; } = CheckpointProgress.Immediate;

    /// <summary>Where a reader that knows its source's size reports how much of it it has read.</summary>
    public SourceProgress Progress { get; init; } = new();
}
