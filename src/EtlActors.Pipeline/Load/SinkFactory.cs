namespace EtlActors.Pipeline.Load;

public static class SinkFactory
{
    /// <summary>A sink for the address; it connects on first use.</summary>
    public static ISink Create(DatabaseAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.Kind switch
        {
            DatabaseKind.Sqlite => new SqliteSink(address),
            DatabaseKind.PostgreSql => new PostgresSink(address),
            _ => throw new ArgumentOutOfRangeException(nameof(address), address.Kind, "unknown sink kind"),
        };
    }
}
