using System.Runtime.CompilerServices;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Connectors.Skype.Extract;

/// <summary>
/// Streams a Skype export (a <c>.tar</c> holding <c>messages.json</c>, the folder it unpacks to, or
/// the bare <c>messages.json</c>) as records: each message as its source JSON, and each conversation's
/// own fields once its object closes. Memory stays within one record however large the file.
/// </summary>
public static class SkypeExportReader
{
    /// <summary>
    /// Reads the export at <paramref name="path"/> in source order; record offsets are 0, 1, 2, …
    /// A file that cannot be read as an export throws <see cref="SourceFormatException"/>.
    /// </summary>
    public static IAsyncEnumerable<ExtractedRecord> ReadAsync(
        string path, SkypeReaderOptions? options = null, CancellationToken cancellationToken = default) =>
        ReadAsync(path, options, stats: null, progress: null, cancellationToken);

    /// <summary>As the public overload, recording memory high-water marks in <paramref name="stats"/>.</summary>
    internal static IAsyncEnumerable<ExtractedRecord> ReadAsync(
        string path, SkypeReaderOptions? options, ReaderStats? stats, CancellationToken cancellationToken) =>
        ReadAsync(path, options, stats, progress: null, cancellationToken);

    /// <summary>
    /// As the public overload, recording memory high-water marks in <paramref name="stats"/> and how much of the file
    /// is read in <paramref name="progress"/>.
    /// </summary>
    internal static IAsyncEnumerable<ExtractedRecord> ReadAsync(
        string path, SkypeReaderOptions? options, ReaderStats? stats, SourceProgress? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new SkypeReaderOptions();
        options.Validate();
        return ReadCoreAsync(path, options, stats, progress, cancellationToken);
    }

    private static async IAsyncEnumerable<ExtractedRecord> ReadCoreAsync(
        string path, SkypeReaderOptions options, ReaderStats? stats, SourceProgress? progress,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var source = await SkypeSource.OpenAsync(path, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            progress?.Report(source.Position, source.Length);
            var buffer = new JsonChunkBuffer(source.Json, source.Name, options, stats);
            var parser = new SkypeJsonParser(buffer, options, stats);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (parser.Step(out var record))
                {
                    case ParseStep.Record:
                        yield return record!;
                        break;
                    case ParseStep.NeedMoreData:
                        if (!await buffer.RefillAsync(cancellationToken).ConfigureAwait(false))
                        {
                            throw buffer.ErrorAtEnd("unexpected end of data");
                        }

                        progress?.Report(source.Position, source.Length);
                        break;
                    case ParseStep.NeedConversationId:
                        var id = await ConversationIdProbe.FindAsync(
                            source.Json, parser.ConversationStart, source.Name, options, stats, cancellationToken).ConfigureAwait(false);
                        parser.SetConversationId(id);
                        break;
                    case ParseStep.Done:
                        await buffer.ExpectOnlyWhitespaceAsync(cancellationToken).ConfigureAwait(false);
                        progress?.Report(source.Length, source.Length);
                        yield break;
                }
            }
        }
    }
}
