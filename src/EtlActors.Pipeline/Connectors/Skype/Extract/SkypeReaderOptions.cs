namespace EtlActors.Pipeline.Connectors.Skype.Extract;

/// <summary>
/// How <see cref="SkypeExportReader"/> reads. <paramref name="MaxRecordBytes"/> caps the memory
/// one record (a message, or one field of a conversation) may take; a larger record fails the
/// read. <paramref name="BufferBytes"/> is the read buffer's starting size; it grows only to
/// hold a record that does not fit.
/// </summary>
/// <remarks>
/// The default limit, 4 MiB, is far above any real Skype message (a few KB) or conversation's
/// fields, yet keeps one record's cost bounded: downstream, a record is held as text, parsed,
/// converted to plain text and bound for the sink, about 25 times its size in all. At 64 MiB one
/// legal record took an `etl run` past 1.5 GB; at 4 MiB the worst single record stays near 100 MB.
/// </remarks>
public sealed record SkypeReaderOptions(int MaxRecordBytes = SkypeReaderOptions.DefaultMaxRecordBytes, int BufferBytes = 64 * 1024)
{
    public const int DefaultMaxRecordBytes = 4 * 1024 * 1024;

    // Below this the BOM check and the smallest tokens could not fit in the buffer.
    internal const int MinimumBufferBytes = 16;

    internal int InitialBufferBytes => Math.Min(Math.Max(BufferBytes, MinimumBufferBytes), MaxRecordBytes);

    internal void Validate()
    {
        if (MaxRecordBytes < MinimumBufferBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRecordBytes), MaxRecordBytes, $"must be at least {MinimumBufferBytes}");
        }

        if (BufferBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BufferBytes), BufferBytes, "must be positive");
        }
    }
}
