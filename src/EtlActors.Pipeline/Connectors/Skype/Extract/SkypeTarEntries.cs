using System.Formats.Tar;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Connectors.Skype.Extract;

/// <summary>
/// Finds <c>messages.json</c> in a tar without extracting anything: entries are only read as
/// streams. An archive that tries to point outside itself (an absolute path, a <c>..</c>
/// segment, a link standing in for the file) or whose headers promise more bytes than the file
/// holds is refused with the entry named, rather than read in whatever way happens to work.
/// </summary>
internal static class SkypeTarEntries
{
    private const string MessagesJson = "messages.json";

    /// <summary>The data of the archive's <c>messages.json</c>; <paramref name="archive"/> must be seekable.</summary>
    public static async Task<Stream> FindMessagesJsonAsync(TarReader tar, Stream archive, string path, CancellationToken cancellationToken)
    {
        try
        {
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                var remaining = archive.Length - entry.DataOffset;
                if (!IsMessagesJson(entry.Name))
                {
                    ThrowIfCut(entry, remaining, path);
                    continue;
                }

                if (IsUnsafe(entry.Name))
                {
                    throw new SourceFormatException(path, $"the archive's entry '{entry.Name}' points outside the archive (an absolute path or '..'); it is not read");
                }

                if (entry.EntryType is TarEntryType.SymbolicLink or TarEntryType.HardLink)
                {
                    throw new SourceFormatException(path, $"the archive's entry '{entry.Name}' is a link to '{entry.LinkName}', not a file; it is not followed");
                }

                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile))
                {
                    continue;
                }

                ThrowIfCut(entry, remaining, path);
                return entry.DataStream is { Length: > 0 } data
                    ? data
                    : throw new SourceFormatException(path, "the archive's messages.json is empty");
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new SourceFormatException(path, "the tar archive is damaged", inner: exception);
        }

        throw new SourceFormatException(path, "the archive holds no messages.json");
    }

    /// <summary>An entry named <c>messages.json</c> in any folder, with either separator.</summary>
    internal static bool IsMessagesJson(string name) =>
        name == MessagesJson
        || (name.EndsWith(MessagesJson, StringComparison.Ordinal) && name[^(MessagesJson.Length + 1)] is '/' or '\\');

    /// <summary>Absolute (<c>/x</c>, <c>\x</c>, <c>C:x</c>) or climbing out with a <c>..</c> segment.</summary>
    internal static bool IsUnsafe(string name) =>
        name.StartsWith('/') || name.StartsWith('\\')
        || (name.Length >= 2 && name[1] == ':' && char.IsAsciiLetter(name[0]))
        || name.Split('/', '\\').Contains("..");

    // A header that declares more data than the file has left: the archive was cut short, or the
    // header lies. Reading on would either fail at a confusing place or "succeed" on a fragment.
    private static void ThrowIfCut(TarEntry entry, long remaining, string path)
    {
        if (entry.Length > remaining)
        {
            throw new SourceFormatException(path,
                $"the tar archive is truncated: its entry '{entry.Name}' declares {entry.Length} bytes but only {Math.Max(remaining, 0)} follow its header");
        }
    }
}
