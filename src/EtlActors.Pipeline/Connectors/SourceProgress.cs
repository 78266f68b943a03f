namespace EtlActors.Pipeline.Connectors;

/// <summary>
/// How much of its source a reader has read, in bytes of the file it reads, so that a running job can show a
/// percentage and a time left. Written by the reader as it reads, read by whoever reports the job's status;
/// a source whose size is unknown (an HTTP API) never reports, and its <see cref="Fraction"/> stays null.
/// </summary>
public sealed class SourceProgress
{
    private long _read;
    private long _length;

    /// <summary>The reader has read <paramref name="read"/> of the source's <paramref name="length"/> bytes.</summary>
    public void Report(long read, long length)
    {
        Volatile.Write(ref _length, length);
        Volatile.Write(ref _read, read);
    }

    /// <summary>The share of the source read so far, from 0 to 1; null until a reader that knows its size reports.</summary>
    public double? Fraction
    {
        get
        {
            var read = Volatile.Read(ref _read);
            var length = Volatile.Read(ref _length);
            return length <= 0 ? null : Math.Clamp((double)read / length, 0, 1);
        }
    }
}
