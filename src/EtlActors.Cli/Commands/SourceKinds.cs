using System.CommandLine;
using EtlActors.Pipeline.Connectors;
using EtlActors.Pipeline.Connectors.Files;
using EtlActors.Pipeline.Connectors.Files.Mapping;
using EtlActors.Pipeline.Connectors.Http;
using EtlActors.Pipeline.Connectors.Http.Config;

namespace EtlActors.Cli.Commands;

/// <summary>`--source`: which connector reads a job's source, told from the file's content unless given.</summary>
internal static class SourceKinds
{
    public static Option<string?> Option(SourceConnectors connectors) => new("--source")
    {
        Description = $"The source's kind: {string.Join(", ", connectors.Kinds)}. Default: files for a .ndjson, .jsonl or .csv file or with --mapping, else told from the file's content (an HTTP source config is a YAML file with base_url and resources).",
    };

    /// <summary>`--mapping`: the YAML mapping a files source (NDJSON or CSV) is read by.</summary>
    public static Option<string?> MappingOption() => new("--mapping")
    {
        Description = "The YAML mapping a .ndjson, .jsonl or .csv file is read by (its kind is then files): its target, columns, types and key.",
    };

    /// <summary>
    /// The kind <paramref name="given"/> names (an unknown one is an error listing the known kinds), else files when
    /// the source comes with a mapping (<paramref name="mapped"/>) or is a .ndjson, .jsonl or .csv file, else the one
    /// the file's content shows; a file this process cannot read (a cluster node may) falls back to the first kind.
    /// </summary>
    public static string Resolve(SourceConnectors connectors, string path, string? given, bool mapped = false)
    {
        if (given is not null)
            return connectors.Find(given)?.Kind
                ?? throw new ArgumentException($"--source: unknown source kind '{given}' (known: {string.Join(", ", connectors.Kinds)})");
        // An NDJSON or CSV file is always a files source: without --mapping it is refused as such, not read as a Skype export.
        if (mapped || (FileMapping.FormatOfExtension(path) is not null && connectors.Find(FilesConnector.KindName) is not null))
            return connectors.Find(FilesConnector.KindName)?.Kind ?? throw new ArgumentException("--mapping: this etl has no files connector");
        try
        {
            return connectors.Detect(path).Kind;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return connectors.Kinds[0]; // its reader, here or on a node, says what is wrong with the file
        }
    }

    /// <summary>
    /// The checked text of the mapping at <paramref name="mappingPath"/> for a source of <paramref name="kind"/> at
    /// <paramref name="sourcePath"/>, or null when there is none; a missing or bad mapping, or one given for a kind
    /// that takes none, is an <see cref="ArgumentException"/> whose message names the mapping file and the problem.
    /// An HTTP source's config is its own mapping: its text, with its <c>${VAR}</c>s, goes with the job. They are
    /// checked here when <paramref name="variablesHere"/> (`etl run`); a cluster's nodes hold their own (`etl submit`).
    /// </summary>
    public static string? LoadMapping(string? mappingPath, string sourcePath, string kind, bool variablesHere = true)
    {
        if (string.Equals(kind, HttpConnector.KindName, StringComparison.OrdinalIgnoreCase))
            return LoadHttpConfig(mappingPath, sourcePath, variablesHere);
        var files = string.Equals(kind, FilesConnector.KindName, StringComparison.OrdinalIgnoreCase);
        if (mappingPath is null)
            return files ? throw new ArgumentException("--mapping: a files source is read by a mapping: give --mapping <file.yaml>") : null;
        if (!files)
            throw new ArgumentException($"--mapping: only a files source is read by a mapping, not a {kind} one");
        try
        {
            var mapping = FileMapping.Load(mappingPath);
            mapping.FormatFor(sourcePath, mappingPath);
            return mapping.Text;
        }
        catch (FileMappingException ex)
        {
            throw new ArgumentException(ex.Message, ex);
        }
    }

    private static string LoadHttpConfig(string? mappingPath, string sourcePath, bool variablesHere)
    {
        if (mappingPath is not null)
            throw new ArgumentException("--mapping: an http source's config holds the mapping of each resource; give none");
        string text;
        try
        {
            text = File.ReadAllText(sourcePath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"{sourcePath}: {(ex is FileNotFoundException ? "file not found" : ex.Message)}", ex);
        }
        try
        {
            HttpSourceConfig.Parse(text, sourcePath, variablesHere ? Environment.GetEnvironmentVariable : null);
            return text;
        }
        catch (HttpSourceConfigException ex)
        {
            throw new ArgumentException(ex.Message.Replace("\n", "\nerror: ", StringComparison.Ordinal), ex); // one error line per problem
        }
    }
}
