namespace EtlActors.Engine.Memory;

/// <summary>The memory a node may use: what its container allows, else what it is configured with.</summary>
internal static class MemoryLimits
{
    /// <summary>1 GiB: the limit when neither a container nor the configuration says otherwise.</summary>
    public const long DefaultBytes = 1024L * 1024 * 1024;

    /// <summary>
    /// <paramref name="configuredMiB"/> when set; else the cgroup's limit (v2 <c>memory.max</c>, v1
    /// <c>memory.limit_in_bytes</c>) when there is one; else <see cref="DefaultBytes"/>. Read from the files rather than
    /// from the GC, whose available memory is the machine's when there is no limit, so "no limit" cannot be told apart.
    /// </summary>
    public static long Resolve(int? configuredMiB)
    {
        if (configuredMiB is > 0)
            return configuredMiB.Value * 1024L * 1024;
        foreach (var file in (ReadOnlySpan<string>)["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"])
        {
            try
            {
                // v1 reports "no limit" as a huge number (about 2^63 rounded to pages).
                if (File.Exists(file) && long.TryParse(File.ReadAllText(file).Trim(), out var bytes) && bytes is > 0 and < 1L << 50)
                    return bytes;
            }
            catch (IOException)
            {
                // Unreadable: as if there were none.
            }
            catch (UnauthorizedAccessException)
            {
                // Likewise.
            }
        }
        return DefaultBytes;
    }
}
