namespace EtlActors.Pipeline.Sources;

/// <summary>
/// The path the operating system reaches when it opens a path: every symbolic link along it followed, file or
/// directory, and each <c>..</c> taken after the link before it, as the kernel does. .NET's
/// <see cref="FileSystemInfo.ResolveLinkTarget"/> follows only the last component's link, and
/// <see cref="Path.GetFullPath(string)"/> drops <c>..</c> by text, so neither says where a path really leads.
/// </summary>
internal static class PhysicalPath
{
    /// <summary>Links followed before giving up, as Linux does (MAXSYMLINKS): a loop must end.</summary>
    public const int MaxLinks = 40;

    private static readonly char[] Separators = [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar];

    /// <summary>
    /// Where <paramref name="absolutePath"/> leads, or null when it takes more than <see cref="MaxLinks"/> links (a loop).
    /// Components that do not exist are kept as written: the path leads there, and opening it will say it is missing.
    /// </summary>
    public static string? Resolve(string absolutePath)
    {
        var root = Path.GetPathRoot(absolutePath);
        if (string.IsNullOrEmpty(root))
            throw new ArgumentException($"{absolutePath} is not an absolute path", nameof(absolutePath));
        var current = root;
        var pending = new Stack<string>();
        PushComponents(pending, absolutePath[root.Length..]);
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current; // ".." of the root is the root
                continue;
            }
            var next = Path.Join(current, part);
            if (LinkTarget(next) is not { } target)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks)
                return null;
            // A relative target is relative to the link's directory, which is where we are.
            var targetRoot = Path.GetPathRoot(target);
            if (!string.IsNullOrEmpty(targetRoot))
                current = targetRoot;
            PushComponents(pending, target[(targetRoot?.Length ?? 0)..]);
        }
        return current;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="directory"/> or below it; both full paths. Not fooled by a shared prefix (<c>/data/src2</c> is not in <c>/data/src</c>).</summary>
    public static bool IsWithin(string path, string directory)
    {
        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var dir = Path.TrimEndingDirectorySeparator(directory);
        var trimmed = Path.TrimEndingDirectorySeparator(path);
        if (string.Equals(trimmed, dir, comparison))
            return true;
        var prefix = Path.EndsInDirectorySeparator(dir) ? dir : dir + Path.DirectorySeparatorChar;
        return trimmed.StartsWith(prefix, comparison);
    }

    private static void PushComponents(Stack<string> pending, string relative)
    {
        var parts = relative.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            if (parts[i] != ".")
                pending.Push(parts[i]);
        }
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not a directory, or not searchable by this process: no link to follow here, and opening the
            // path will fail the same way.
            return null;
        }
    }
}
