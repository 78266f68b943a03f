namespace EtlActors.Pipeline.Load;

public static class SinkFactory
{
    /// <summary>A sink for the address; it connects on first use.</summary>
    public static ISink Create(SinkAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.Kind switch
        {
            SinkKind.Sqlite => new SqliteSink(address),
            SinkKind.PostgreSql => new PostgresSink(address),
            _ => throw new ArgumentOutOfRangeException(nameof(address), address.Kind, "unknown sink kind"),
        };
    }
}
