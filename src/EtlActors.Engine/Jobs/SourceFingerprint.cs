namespace EtlActors.Engine.Jobs;

/// <summary>What identifies the source file's content cheaply: a checkpoint's offsets only mean something in the same file.</summary>
public sealed record SourceFingerprint(long Length, DateTime LastWriteUtc)
{
    public static SourceFingerprint? Of(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? new SourceFingerprint(file.Length, file.LastWriteTimeUtc) : null;
    }
}
