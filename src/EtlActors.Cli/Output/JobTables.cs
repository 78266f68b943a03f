using System.Globalization;
using Spectre.Console;

namespace EtlActors.Cli.Output;

/// <summary>Jobs as a table for people (`etl jobs list`); scripts use --json.</summary>
internal static class JobTables
{
    public static void Write(IReadOnlyList<JobView> jobs, IAnsiConsole? console = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("JOB").AddColumn("STATE").AddColumn("TENANT").AddColumn("NODE")
            .AddColumn(new TableColumn("LOADED").RightAligned())
            .AddColumn(new TableColumn("QUARANTINED").RightAligned())
            .AddColumn(new TableColumn("RECORDS/S").RightAligned())
            .AddColumn("STARTED").AddColumn("ERROR");
        foreach (var job in jobs)
            table.AddRow(
                Markup.Escape(job.Id),
                StateMarkup(job.State),
                Markup.Escape(job.Tenant ?? ""),
                Markup.Escape(job.Node ?? ""),
                job.Loaded.ToString("N0", inv),
                job.Quarantined.ToString("N0", inv),
                job.RecordsPerSecond?.ToString("N0", inv) ?? "",
                job.StartedAt?.ToString("u", inv) ?? "",
                Markup.Escape(job.Error ?? ""));
        (console ?? ForTables()).Write(table);
    }

    /// <summary>
    /// The console for tables. Spectre assumes 80 columns when output is redirected and wraps cells
    /// mid-word, which breaks `| grep <id>`: redirected tables get room instead.
    /// </summary>
    public static IAnsiConsole ForTables()
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
            console.Profile.Width = Math.Max(console.Profile.Width, 240);
        return console;
    }

    public static string StateMarkup(string state) => state switch
    {
        "Completed" => "[green]Completed[/]",
        "Failed" => "[red]Failed[/]",
        "Running" => "[blue]Running[/]",
        "Cancelled" or "Paused" => $"[yellow]{state}[/]",
        _ => state,
    };
}
