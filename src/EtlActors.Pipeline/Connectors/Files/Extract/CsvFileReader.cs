using System.Runtime.CompilerServices;
using System.Text;
using EtlActors.Pipeline.Connectors.Files.Mapping;
using EtlActors.Pipeline.Records;
using nietras.SeparatedValues;

namespace EtlActors.Pipeline.Connectors.Files.Extract;

/// <summary>
/// Streams a CSV file with Sep: a header row, then records that may quote fields and hold separators, quotes
/// and line breaks inside quotes (a record can span lines: it is reported by the line it starts on). A UTF-8
/// byte order mark is skipped. Each non-blank record's position is its ordinal among them. A record with more
/// or fewer fields than the header is still a record, which the normaliser quarantines; a header without a
/// column the mapping reads fails the job.
/// </summary>
internal static class CsvFileReader
{
    public static async IAsyncEnumerable<ExtractedRecord> ReadAsync(
        string path, FileMapping mapping, long fromOffset, SourceProgress? progress,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = Sep.New(mapping.Separator).Reader(o => o with
        {
            HasHeader = true,
            Unescape = true,             // "a ""b""" reads as a "b"
            DisableColCountCheck = true, // a short or long record is quarantined with its line, not a failed job
        });
        var text = FileText.Open(path);
        using var reader = await OpenAsync(options, text, path, cancellationToken).ConfigureAwait(false);
        var file = text.BaseStream;
        var length = file.Length;
        var indexes = HeaderIndexes(reader.Header, mapping, path);
        var keyColumns = PartitionKeys.Columns(mapping);
        var writer = new FileRecordWriter(Path.GetFileName(path), FileFormat.Csv);
        var ordinal = 0L;
        var line = 1L;
        while (await MoveNextAsync(reader, path, line, cancellationToken).ConfigureAwait(false))
        {
            line = reader.Current.LineNumberFrom;
            if (reader.Current.Span.IsEmpty)
                continue; // a blank line
            var offset = ordinal++;
            if (offset < fromOffset)
                continue;
            progress?.Report(file.Position, length);
            yield return Record(offset, reader.Current, mapping, indexes, reader.Header.ColNames.Count, keyColumns, writer);
        }
        progress?.Report(length, length);
    }

    private static ExtractedRecord Record(
        long offset, SepReader.Row row, FileMapping mapping, int[] indexes, int headerCount,
        IReadOnlyList<string> keyColumns, FileRecordWriter writer)
    {
        var text = row.Span.ToString(); // before any field is unescaped, which rewrites the row's characters in place
        long line = row.LineNumberFrom;
        if (row.ColCount != headerCount)
        {
            return new ExtractedRecord(offset, RecordKind.Message, PartitionKeys.Unkeyed,
                writer.Error(line, text, FilesErrorCodes.WrongColumnCount, $"has {row.ColCount} field(s), the header has {headerCount}"));
        }
        writer.Begin(line, text);
        var keys = new string?[keyColumns.Count];
        for (var i = 0; i < indexes.Length; i++)
        {
            var field = row[indexes[i]].ToString();
            var value = field.Length == 0 ? null : field; // CSV cannot tell an empty field from a missing value
            var name = mapping.Columns[i].Name;
            writer.Value(name, value);
            for (var k = 0; k < keyColumns.Count; k++)
            {
                if (keyColumns[k] == name)
                    keys[k] = value;
            }
        }
        return new ExtractedRecord(offset, RecordKind.Message, PartitionKeys.Of(mapping, keys), writer.End());
    }

    private static int[] HeaderIndexes(SepReaderHeader header, FileMapping mapping, string path)
    {
        var indexes = new int[mapping.Columns.Count];
        for (var i = 0; i < indexes.Length; i++)
        {
            var column = mapping.Columns[i];
            if (!header.TryIndexOf(column.From, out indexes[i]))
            {
                var known = header.IsEmpty ? "it has no header row" : "its headers: " + string.Join(", ", header.ColNames);
                throw new SourceFormatException(path,
                    $"the mapping's column '{column.Name}' reads header '{column.From}', which the file does not have ({known})", 1);
            }
        }
        return indexes;
    }

    private static async Task<SepReader> OpenAsync(SepReaderOptions options, StreamReader text, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await options.FromAsync(text, cancellationToken).ConfigureAwait(false); // the reader owns the text now
        }
        catch (DecoderFallbackException ex)
        {
            text.Dispose();
            throw FileText.InvalidUtf8(path, 1, ex);
        }
        catch
        {
            text.Dispose();
            throw;
        }
    }

    private static async ValueTask<bool> MoveNextAsync(SepReader reader, string path, long line, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.MoveNextAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DecoderFallbackException ex)
        {
            throw FileText.InvalidUtf8(path, line, ex);
        }
        catch (NotSupportedException ex) // Sep's buffer would outgrow its limit: a quote never closed, or a giant record
        {
            throw new SourceFormatException(path, $"a record at or after line {line} is too long to read as CSV (an unclosed quote?): {ex.Message}", inner: ex);
        }
    }
}
