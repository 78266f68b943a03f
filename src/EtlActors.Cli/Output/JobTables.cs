using System.Globalization;
using Spectre.Console;

namespace EtlActors.Cli.Output;

/// <summary>Jobs as a table for people (`etl jobs list`); scripts use --json.</summary>
internal static class JobTables
{
    // Below this the error column says too little to be worth its place in the full layout.
    private const int ErrorAtLeast = 16;
    private const int SourceAtMost = 40;

    public static void Write(IReadOnlyList<JobView> jobs, IAnsiConsole? console = null)
    {
        console ??= ConsoleOutput.ForTables();
        var rows = jobs.Select(Row.Of).ToList();
        console.Write(Full(console, rows) ?? Compact(console, rows));
    }

    /// <summary>Every column, when the console has room for them all (a wide terminal, or a pipe).</summary>
    private static Table? Full(IAnsiConsole console, IReadOnlyList<Row> rows)
    {
        if (Tables.IsNarrow(console))
            return null;
        var errorWidth = Tables.Left(console, 10,
            Tables.Widest("JOB", rows.Select(r => r.Id)), Tables.Widest("STATE", rows.Select(r => r.State + r.Done)),
            Tables.Widest("TENANT", rows.Select(r => r.Tenant)), Tables.Widest("NODE", rows.Select(r => r.Node)),
            Tables.Widest("LOADED", rows.Select(r => r.Loaded)), Tables.Widest("QUARANTINED", rows.Select(r => r.Quarantined)),
            Tables.Widest("RECORDS/S", rows.Select(r => r.Rate)), Tables.Widest("STARTED", rows.Select(r => r.Started)),
            Tables.Widest("SOURCE", rows.Select(r => Tables.FitPath(r.Source, SourceAtMost))));
        if (errorWidth < ErrorAtLeast)
            return null;
        var table = Tables.Create().Text("Job").Text("State").Text("Tenant").Text("Node")
            .Number("Loaded").Number("Quarantined").Number("Records/s").Text("Started").Text("Source").Text("Error");
        foreach (var r in rows)
            table.AddRow(Cell(r.Id), new Markup(StateMarkup(r.State) + r.Done), Cell(r.Tenant), Cell(r.Node),
                Cell(r.Loaded), Cell(r.Quarantined), Cell(r.Rate), Cell(r.Started),
                Cell(Tables.FitPath(r.Source, SourceAtMost)), Cell(Tables.Fit(r.Error, errorWidth)));
        return table;
    }

    /// <summary>
    /// What tells jobs apart and how far each got, for 80 columns: tenant, node, start and source
    /// are in `etl jobs show`, and the error is cut to the room left.
    /// </summary>
    private static Table Compact(IAnsiConsole console, IReadOnlyList<Row> rows)
    {
        var errorWidth = Math.Max(8, Tables.Left(console, 6,
            Tables.Widest("JOB", rows.Select(r => r.Id)), Tables.Widest("STATE", rows.Select(r => r.State + r.Done)),
            Tables.Widest("LOADED", rows.Select(r => r.Loaded)), Tables.Widest("QUAR.", rows.Select(r => r.Quarantined)),
            Tables.Widest("REC/S", rows.Select(r => r.Rate))));
        var table = Tables.Create().Text("Job").Text("State").Number("Loaded").Number("Quar.").Number("Rec/s").Text("Error");
        foreach (var r in rows)
            table.AddRow(Cell(r.Id), new Markup(StateMarkup(r.State) + r.Done), Cell(r.Loaded), Cell(r.Quarantined), Cell(r.Rate), Cell(Tables.Fit(r.Error, errorWidth)));
        return table;
    }

    public static string StateMarkup(string state) => state switch
    {
        "Completed" => "[green]Completed[/]",
        "Failed" => "[red]Failed[/]",
        "Running" => "[blue]Running[/]",
        "Cancelled" or "Paused" => $"[yellow]{state}[/]",
        _ => Markup.Escape(state),
    };

    // Text, not markup: ids, paths and errors are data.
    private static Text Cell(string text) => new(text);

    /// <summary>A job's cells as text, so their widths can be measured before the table is laid out.</summary>
    /// <param name="Done">After a running job's state, how much of its source is read (" 37%"), when known.</param>
    private sealed record Row(string Id, string State, string Done, string Tenant, string Node, string Loaded, string Quarantined, string Rate, string Started, string Source, string Error)
    {
        public static Row Of(JobView job)
        {
            var inv = CultureInfo.InvariantCulture;
            return new(job.Id, job.State, job.ReadFraction is { } read ? " " + Numbers.Percent(read) : "", job.Tenant ?? "", job.Node ?? "",
                Numbers.Count(job.Loaded), Numbers.Count(job.Quarantined),
                job.RecordsPerSecond is { } rate ? Numbers.Count(rate) : "",
                job.StartedAt?.ToString("u", inv) ?? "", job.Source ?? "",
                // One line per row: a multi-line error would stack the row.
                (job.Error ?? "").ReplaceLineEndings(" "));
        }
    }
}
