using EtlActors.Engine.Jobs;

namespace EtlActors.Engine.Tests.Jobs;

/// <summary>A checkpoint's position only means something in the same source: a file's or a folder's fingerprint tells.</summary>
public sealed class SourceFingerprintTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "etl-fingerprint-" + Guid.NewGuid().ToString("N"));

    public SourceFingerprintTests() => Directory.CreateDirectory(_root);

    [Fact]
    public void A_folder_is_fingerprinted_by_its_files_total_length_and_latest_write_and_changes_when_a_day_file_does()
    {
        var export = Directory.CreateDirectory(Path.Combine(_root, "slack")).FullName;
        File.WriteAllText(Path.Combine(export, "users.json"), "[]");
        Directory.CreateDirectory(Path.Combine(export, "general"));
        var day = Path.Combine(export, "general", "2024-01-01.json");
        File.WriteAllText(day, "[{}]");
        var latest = new DateTime(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(day, latest);
        File.SetLastWriteTimeUtc(Path.Combine(export, "users.json"), latest.AddDays(-1));

        Assert.Equal(new SourceFingerprint(6, latest), SourceFingerprint.Of(export));

        File.AppendAllText(day, " ");
        Assert.NotEqual(new SourceFingerprint(6, latest), SourceFingerprint.Of(export));
    }

    [Fact]
    public void A_file_is_fingerprinted_by_its_length_and_last_write_and_a_missing_source_by_nothing()
    {
        var file = Path.Combine(_root, "export.tar");
        File.WriteAllBytes(file, new byte[1024]);

        Assert.Equal(new SourceFingerprint(1024, File.GetLastWriteTimeUtc(file)), SourceFingerprint.Of(file));
        Assert.Null(SourceFingerprint.Of(Path.Combine(_root, "missing.tar")));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
