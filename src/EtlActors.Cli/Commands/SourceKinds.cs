using System.CommandLine;
using EtlActors.Pipeline.Connectors;

namespace EtlActors.Cli.Commands;

/// <summary>`--source`: which connector reads a job's source, told from the file's content unless given.</summary>
internal static class SourceKinds
{
    public static Option<string?> Option(SourceConnectors connectors) => new("--source")
    {
        Description = $"The source's kind: {string.Join(", ", connectors.Kinds)}. Default: told from the file's content.",
    };

    /// <summary>
    /// The kind <paramref name="given"/> names (an unknown one is an error listing the known kinds), else the one
    /// the file's content shows; a file this process cannot read (a cluster node may) falls back to the first kind.
    /// </summary>
    public static string Resolve(SourceConnectors connectors, string path, string? given)
    {
        if (given is not null)
            return connectors.Find(given)?.Kind
                ?? throw new ArgumentException($"--source: unknown source kind '{given}' (known: {string.Join(", ", connectors.Kinds)})");
        try
        {
            return connectors.Detect(path).Kind;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return connectors.Kinds[0]; // its reader, here or on a node, says what is wrong with the file
        }
    }
}
