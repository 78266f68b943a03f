namespace EtlActors.Engine.Jobs;

/// <summary>What identifies the source's content cheaply: a checkpoint's offsets only mean something in the same source.</summary>
public sealed record SourceFingerprint(long Length, DateTime LastWriteUtc)
{
    /// <summary>A file's length and last write; a folder's (an unpacked Slack export) total length and latest write of its files; null when neither exists.</summary>
    public static SourceFingerprint? Of(string path)
    {
        var file = new FileInfo(path);
        if (file.Exists)
            return new SourceFingerprint(file.Length, file.LastWriteTimeUtc);
        var folder = new DirectoryInfo(path);
        if (!folder.Exists)
            return null;
        long length = 0;
        var latest = DateTime.MinValue;
        foreach (var entry in folder.EnumerateFiles("*", SearchOption.AllDirectories))
        {
            length += entry.Length;
            if (entry.LastWriteTimeUtc > latest)
                latest = entry.LastWriteTimeUtc;
        }
        return new SourceFingerprint(length, latest);
    }
}
