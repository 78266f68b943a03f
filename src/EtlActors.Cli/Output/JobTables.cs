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
        (console ?? ConsoleOutput.ForTables()).Write(table);
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
