using Spectre.Console;

namespace EtlActors.Cli.Output;

/// <summary>
/// The one table style of `etl jobs list` and `etl cluster show`, and the sums that keep a table
/// within the console: Spectre wraps cells mid-word when a table is wider than the console, which
/// breaks both reading and `| grep`, so the views drop or shorten columns instead.
/// </summary>
internal static class Tables
{
    /// <summary>The classic terminal width; at or under it the views use their compact columns.</summary>
    public const int NarrowWidth = 80;

    public const string Ellipsis = "…";

    public static TableBorder Border => TableBorder.Rounded;

    public static bool IsNarrow(IAnsiConsole console) => console.Profile.Width <= NarrowWidth;

    public static Table Create() => new Table().Border(Border);

    /// <summary>A column of words: left aligned.</summary>
    public static Table Text(this Table table, string header) => table.AddColumn(Column(header));

    /// <summary>A column of counts or rates: right aligned, so the digits line up.</summary>
    public static Table Number(this Table table, string header) => table.AddColumn(Column(header).RightAligned());

    /// <summary>
    /// The width left for a last, shortened column once the others take their widest cell: a
    /// rounded table spends one character per border and one of padding each side of a cell.
    /// </summary>
    public static int Left(IAnsiConsole console, int columns, params int[] widths) =>
        console.Profile.Width - (columns * 3 + 1) - widths.Sum();

    /// <summary>The widest of a column's header and cells.</summary>
    public static int Widest(string header, IEnumerable<string> cells) =>
        cells.Select(c => c.Length).Append(header.Length).Max();

    /// <summary>Text cut at the end to fit, marked with an ellipsis.</summary>
    public static string Fit(string text, int width) =>
        text.Length <= width ? text : width <= 1 ? Ellipsis : text[..(width - 1)] + Ellipsis;

    /// <summary>
    /// A path cut from the left to fit: the file name is what tells sources apart, the folders
    /// above it often repeat from job to job.
    /// </summary>
    public static string FitPath(string path, int width)
    {
        if (path.Length <= width)
            return path;
        if (width <= 1)
            return Ellipsis;
        var tail = path[^(width - 1)..];
        // Whole folders read better than a name cut mid-word.
        var slash = tail.IndexOf('/', StringComparison.Ordinal);
        return Ellipsis + (slash > 0 && slash < tail.Length - 1 ? tail[slash..] : tail);
    }

    private static TableColumn Column(string header) =>
        new(new Markup($"[bold]{Markup.Escape(header.ToUpperInvariant())}[/]"));
}
