namespace EtlActors.Pipeline.Extract;

/// <summary>
/// How <see cref="SkypeExportReader"/> reads. <paramref name="MaxRecordBytes"/> caps the memory
/// one record (a message, or one field of a conversation) may take; a larger record fails the
/// read. <paramref name="BufferBytes"/> is the read buffer's starting size; it grows only to
/// hold a record that does not fit.
/// </summary>
public sealed record SkypeReaderOptions(int MaxRecordBytes = 64 * 1024 * 1024, int BufferBytes = 64 * 1024)
{
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
