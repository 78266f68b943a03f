namespace EtlActors.Pipeline.Connectors.Skype.Extract;

/// <summary>
/// What a read held in memory at most, so a test can show memory does not grow with the file.
/// </summary>
internal sealed class ReaderStats
{
    /// <summary>Largest read buffer allocated, in bytes.</summary>
    public int BufferHighWater { get; private set; }

    /// <summary>Largest conversation payload built, in bytes.</summary>
    public int PayloadHighWater { get; private set; }

    public void SawBuffer(int bytes) => BufferHighWater = Math.Max(BufferHighWater, bytes);

    public void SawPayload(int bytes) => PayloadHighWater = Math.Max(PayloadHighWater, bytes);
}
