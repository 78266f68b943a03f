namespace EtlActors.Pipeline.Sources;

/// <summary>
/// Where a process may read jobs' sources from. A cluster node on a shared network reads only under its sources
/// root (the shared volume), so a submitted path cannot make it read its own files: an absolute path outside the
/// root, a <c>..</c> that climbs out, and a symbolic link (file or directory, anywhere along the path) that leads
/// out are all refused. <see cref="Anywhere"/> (an embedded <c>etl run</c>) reads any path its user can.
/// </summary>
public sealed class SourceRoot
{
    private readonly string? _physical;

    private SourceRoot(string? root, string? physical)
    {
        Root = root;
        _physical = physical;
    }

    /// <summary>No restriction: a path is read as given.</summary>
    public static SourceRoot Anywhere { get; } = new(null, null);

    /// <summary>The root as configured, made absolute; null for <see cref="Anywhere"/>.</summary>
    public string? Root { get; }

    /// <summary><see cref="Under"/> <paramref name="root"/>, or <see cref="Anywhere"/> when it is null or blank.</summary>
    /// <exception cref="ArgumentException">The root is not an existing directory.</exception>
    public static SourceRoot For(string? root) => string.IsNullOrWhiteSpace(root) ? Anywhere : Under(root);

    /// <summary>
    /// Sources only under <paramref name="root"/> (relative to the working directory when relative). The root may
    /// itself be a symbolic link: the operator chose it, so what it leads to is the root.
    /// </summary>
    /// <exception cref="ArgumentException">The root does not exist, is not a directory, or is not a valid path.</exception>
    public static SourceRoot Under(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        if (root.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException("the sources root holds a NUL character");
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (!Directory.Exists(full))
            throw new ArgumentException(File.Exists(full) ? $"{full} is not a directory" : $"{full} does not exist");
        var physical = PhysicalPath.Resolve(full)
            ?? throw new ArgumentException($"{full} cannot be resolved (too many symbolic links)");
        return new SourceRoot(full, physical);
    }

    /// <summary>
    /// Whether <paramref name="sourcePath"/> may be read here and, if so, the path to open: under a root, the path
    /// it really leads to (links followed), named under <see cref="Root"/>, so what was checked is what is read
    /// even if a link on the way is changed later; with <see cref="Anywhere"/>, the path as given. A relative path
    /// is taken from the root. A refusal names the path as given and the root, and nothing else (not where a link leads).
    /// </summary>
    public SourceAdmission Admit(string sourcePath)
    {
        ArgumentNullException.ThrowIfNull(sourcePath);
        if (Root is null)
            return new SourceAdmission(sourcePath, null);
        if (sourcePath.Length == 0)
            return Refused("no source path given");
        if (sourcePath.Contains('\0', StringComparison.Ordinal))
            return Refused("the source path holds a NUL character");
        var joined = Path.Combine(Root, sourcePath);
        // By text first, so a path that plainly names somewhere else is refused without touching the file system there.
        if (!PhysicalPath.IsWithin(Path.GetFullPath(joined), Root))
            return Refused($"source {sourcePath} is outside this node's sources root {Root}");
        var physical = PhysicalPath.Resolve(joined);
        if (physical is null)
            return Refused($"source {sourcePath} cannot be resolved on this node (more than {PhysicalPath.MaxLinks} symbolic links: a loop?)");
        if (!PhysicalPath.IsWithin(physical, _physical!))
            return Refused($"source {sourcePath} is outside this node's sources root {Root} (a symbolic link on its path leads out)");
        var relative = Path.GetRelativePath(_physical!, physical);
        return new SourceAdmission(relative == "." ? Root : Path.Join(Root, relative), null);
    }

    public override string ToString() => Root ?? "(anywhere)";

    private static SourceAdmission Refused(string reason) => new(null, reason);
}

/// <summary>What <see cref="SourceRoot.Admit"/> decided: the path to open, or why the source may not be read.</summary>
/// <param name="PathToRead">The path to open; null when refused.</param>
/// <param name="Refusal">Why it may not be read, for the user; null when admitted.</param>
public sealed record SourceAdmission(string? PathToRead, string? Refusal)
{
    public bool IsAllowed => Refusal is null;
}
