using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Connectors.Files.Mapping;

/// <summary>How a file's records are written: one JSON object a line, or comma-separated values under a header.</summary>
public enum FileFormat
{
    /// <summary>Newline-delimited JSON (<c>.ndjson</c>, <c>.jsonl</c>).</summary>
    Ndjson = 1,
    /// <summary>CSV with a header row (<c>.csv</c>).</summary>
    Csv = 2,
}

/// <summary>Where a mapping puts its rows.</summary>
public enum MappingTarget
{
    /// <summary>The data contract's <c>messages</c> (with their conversations and participants).</summary>
    Messages = 1,
    /// <summary>A table the mapping names and defines.</summary>
    Table = 2,
}

/// <summary>
/// One mapped column: its name in the target, where its value is in a record (<paramref name="From"/>: a CSV
/// header, or a JSON path such as <c>user.name</c> or <c>tags[0]</c>), its type, and for a timestamp its format
/// (a .NET format string, <c>unix</c> or <c>unix_ms</c>; ISO-8601 when none). <paramref name="Line"/> is where
/// the mapping declares it.
/// </summary>
public sealed record MappedColumn(string Name, string From, ColumnType Type, string? Format, long Line = 0);

/// <summary>
/// A validated mapping of NDJSON or CSV files, loaded from YAML by <see cref="Parse"/>. A job carries its
/// <see cref="Text"/>, so a node that reads or normalises the file needs no copy of the mapping file.
/// </summary>
public sealed class FileMapping
{
    /// <summary>The rows' <c>source</c> when the mapping names none.</summary>
    public const string DefaultSource = "files";

    internal FileMapping(string text, FileFormat? format, string source, MappingTarget target,
        IReadOnlyList<MappedColumn> columns, TableShape? table, char separator)
    {
        Text = text;
        Format = format;
        Source = source;
        Target = target;
        Columns = columns;
        Table = table;
        Separator = separator;
        KeyColumns = target == MappingTarget.Messages ? ["conversation_id", "message_id"] : table!.Key;
    }

    /// <summary>The YAML as given.</summary>
    public string Text { get; }

    /// <summary>The format the mapping declares, or null to tell it from the file's extension.</summary>
    public FileFormat? Format { get; }

    /// <summary>The rows' <c>source</c> column (<see cref="DefaultSource"/> unless named).</summary>
    public string Source { get; }

    /// <summary>Where the rows go.</summary>
    public MappingTarget Target { get; }

    /// <summary>The mapped columns, in the mapping's order.</summary>
    public IReadOnlyList<MappedColumn> Columns { get; }

    /// <summary>The named table, when <see cref="Target"/> is <see cref="MappingTarget.Table"/>.</summary>
    public TableShape? Table { get; }

    /// <summary>The CSV separator (default <c>,</c>).</summary>
    public char Separator { get; }

    /// <summary>The columns a record cannot do without: conversation and message id, or the table's key.</summary>
    public IReadOnlyList<string> KeyColumns { get; }

    /// <summary>
    /// Parses and validates <paramref name="text"/>; a problem throws <see cref="FileMappingException"/> naming
    /// <paramref name="name"/> (the mapping file, as the user gave it), the line and what is wrong.
    /// </summary>
    public static FileMapping Parse(string text, string name) => FileMappingLoader.Load(text, name);

    /// <summary>Reads and validates the mapping file at <paramref name="path"/>.</summary>
    public static FileMapping Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FileMappingException(path, null, ex is FileNotFoundException or DirectoryNotFoundException ? "file not found" : ex.Message);
        }
        return Parse(text, path);
    }

    /// <summary>The extensions whose files a mapping reads, and their formats.</summary>
    public static FileFormat? FormatOfExtension(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".ndjson" or ".jsonl" => FileFormat.Ndjson,
        ".csv" => FileFormat.Csv,
        _ => null,
    };

    /// <summary>
    /// The format of the file at <paramref name="path"/>: the declared one, else its extension's. Checks what only
    /// the format settles (JSON paths of NDJSON); a problem throws <see cref="FileMappingException"/> naming <paramref name="name"/>.
    /// </summary>
    public FileFormat FormatFor(string path, string name)
    {
        var format = Format ?? FormatOfExtension(path)
            ?? throw new FileMappingException(name, null,
                $"cannot tell the format of '{Path.GetFileName(path)}' from its extension (.ndjson, .jsonl or .csv): declare 'format: ndjson' or 'format: csv'");
        if (format == FileFormat.Ndjson)
        {
            foreach (var column in Columns)
            {
                if (JsonPath.Problem(column.From) is { } problem)
                    throw new FileMappingException(name, column.Line, $"column '{column.Name}': 'from: {column.From}' is not a JSON path: {problem}");
            }
        }
        return format;
    }

    /// <summary>The column named <paramref name="name"/>, or null.</summary>
    public MappedColumn? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);
}

/// <summary>A mapping that cannot be used: the message names the mapping, the line when known, and the problem.</summary>
public sealed class FileMappingException(string name, long? line, string problem, long? column = null)
    : Exception(line is null ? $"{name}: {problem}" : $"{name}: line {line}: {problem}")
{
    /// <summary>The mapping as the user named it.</summary>
    public string MappingName { get; } = name;

    /// <summary>1-based line of the problem in the mapping, when known.</summary>
    public long? Line { get; } = line;

    /// <summary>1-based column of the problem on <see cref="Line"/>, when known (the message names only the line).</summary>
    public long? Column { get; } = column;

    /// <summary>What is wrong.</summary>
    public string Problem { get; } = problem;
}
