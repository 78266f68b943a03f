using EtlActors.Pipeline.Connectors.Files.Extract;
using EtlActors.Pipeline.Connectors.Files.Mapping;
using EtlActors.Pipeline.Connectors.Files.Transform;
using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Transform;

namespace EtlActors.Pipeline.Connectors.Files;

/// <summary>
/// NDJSON and CSV files read by a YAML mapping (<see cref="FileMapping"/>) that the job carries: into messages,
/// or into a table the mapping names. Records are the file's non-blank lines (NDJSON) or records (CSV) in file
/// order; their position is their ordinal, their partition key the conversation, or a bucket of the table's key.
/// </summary>
public sealed class FilesConnector : ISourceConnector
{
    /// <summary>The kind's name.</summary>
    public const string KindName = "files";

    /// <inheritdoc />
    public string Kind => KindName;

    /// <summary>
    /// Never by content: a CSV or NDJSON file does not say which mapping reads it. `etl run` and `etl submit` pick this
    /// kind for a <c>.ndjson</c>, <c>.jsonl</c> or <c>.csv</c> file given with <c>--mapping</c>.
    /// </summary>
    public bool Recognizes(SourceSample sample) => false;

    /// <inheritdoc />
    public IAsyncEnumerable<ExtractedRecord> ReadAsync(SourceRead read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (read.Mapping is null)
            throw new SourceFormatException(read.Path, "a files source needs a mapping (--mapping <file.yaml>)");
        FileMapping mapping;
        FileFormat format;
        try
        {
            mapping = MappingCache.Get(read.Mapping);
            format = mapping.FormatFor(read.Path, MappingCache.JobMappingName);
        }
        catch (FileMappingException ex)
        {
            throw new SourceFormatException(read.Path, ex.Message, inner: ex); // bad input: the job fails, it is not retried
        }
        // No index: a resumed run reads from the start and skips what is loaded, without typing or routing it.
        return format == FileFormat.Csv
            ? CsvFileReader.ReadAsync(read.Path, mapping, read.FromOffset, read.Progress, cancellationToken)
            : NdjsonFileReader.ReadAsync(read.Path, mapping, read.FromOffset, read.Progress, cancellationToken);
    }

    /// <inheritdoc />
    public void Normalize(ExtractedRecord record, TransformContext context, TransformResult into) =>
        FilesNormalizer.Normalize(record, context, into);

    /// <summary>The mapping's <c>source</c> (default <c>files</c>).</summary>
    public string RowSource(string? mapping) => mapping is null ? Kind : MappingCache.Get(mapping).Source;

    /// <summary>The table the mapping names, if it loads one.</summary>
    public string? RowTable(string? mapping) => mapping is null ? null : MappingCache.Get(mapping).Table?.Name;
}
