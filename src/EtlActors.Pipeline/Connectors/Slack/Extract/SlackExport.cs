using System.IO.Compression;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Connectors.Slack.Extract;

/// <summary>
/// The files of a Slack export, from the <c>.zip</c> Slack gives or its unpacked folder, by their path
/// inside the export (<c>channels.json</c>, <c>general/2024-01-02.json</c>), separated by <c>/</c>.
/// </summary>
internal abstract class SlackExport : IDisposable
{
    private SlackExport(string path) => Path = path;

    /// <summary>Where the export is, as the user gave it.</summary>
    public string Path { get; }

    /// <summary>Every file's path inside the export.</summary>
    public abstract IReadOnlyCollection<string> Files { get; }

    public bool Has(string file) => Files.Contains(file);

    /// <summary>How a file inside the export is named in messages: the export's path, then the file's.</summary>
    public string Describe(string file) => $"{Path}/{file}";

    public abstract Stream OpenFile(string file);

    /// <summary>A file's size in bytes (uncompressed, in a zip).</summary>
    public abstract long SizeOf(string file);

    public virtual void Dispose()
    {
    }

    /// <summary>Opens a folder or a zip; anything else is a <see cref="SourceFormatException"/>.</summary>
    public static SlackExport Open(string path) =>
        Directory.Exists(path) ? new Folder(path) : new Zip(path);

    private sealed class Folder : SlackExport
    {
        private readonly HashSet<string> _files;

        // Symbolic links inside are skipped, files and folders alike: an export has none, and a node's sources
        // root (SourceRoot) admits the export's path only, so a link inside must not lead the read elsewhere.
        private static readonly EnumerationOptions Walk = new()
        {
            RecurseSubdirectories = true,
            AttributesToSkip = FileAttributes.ReparsePoint,
            IgnoreInaccessible = false,
        };

        public Folder(string path) : base(path) =>
            _files = Directory.EnumerateFiles(path, "*", Walk)
                .Select(f => System.IO.Path.GetRelativePath(path, f).Replace('\\', '/'))
                .ToHashSet(StringComparer.Ordinal);

        public override IReadOnlyCollection<string> Files => _files;

        public override Stream OpenFile(string file) =>
            new FileStream(System.IO.Path.Combine(Path, file), FileMode.Open, FileAccess.Read, FileShare.Read, 65536, useAsync: true);

        public override long SizeOf(string file) => new FileInfo(System.IO.Path.Combine(Path, file)).Length;
    }

    private sealed class Zip : SlackExport
    {
        private readonly ZipArchive _archive;
        private readonly Dictionary<string, ZipArchiveEntry> _entries = new(StringComparer.Ordinal);

        public Zip(string path) : base(path)
        {
            try
            {
                _archive = ZipFile.OpenRead(path);
            }
            catch (InvalidDataException ex)
            {
                throw new SourceFormatException(path, $"not a Slack export: not a folder, and not a readable zip archive ({ex.Message})", inner: ex);
            }
            foreach (var entry in _archive.Entries)
            {
                // Folder entries end with '/'; an archive made on Windows may use '\'.
                var name = entry.FullName.Replace('\\', '/');
                if (!name.EndsWith('/'))
                    _entries.TryAdd(name, entry);
            }
        }

        public override IReadOnlyCollection<string> Files => _entries.Keys;

        public override Stream OpenFile(string file) => _entries[file].Open();

        public override long SizeOf(string file) => _entries[file].Length;

        public override void Dispose() => _archive.Dispose();
    }
}
