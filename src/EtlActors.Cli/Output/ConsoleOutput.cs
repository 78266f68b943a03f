using System.Globalization;
using EtlActors.Contracts.Jobs;
using Serilog;
using Spectre.Console;
using Serilog.Events;

namespace EtlActors.Cli.Output;

/// <summary>
/// What `etl` prints: results on stdout, errors and logs on stderr. Live progress on a terminal,
/// plain lines when output is redirected (scripts and CI read those).
/// </summary>
internal sealed class ConsoleOutput(bool verbose)
{
    public bool Verbose { get; } = verbose;

    public static bool IsTerminal => !Console.IsOutputRedirected;

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

    public void Line(string text) => Console.Out.WriteLine(text);

    public void Error(string text) => Console.Error.WriteLine($"error: {text}");

    public void Failure(Exception ex)
    {
        Error(ex.GetBaseException().Message);
        if (Verbose)
            Console.Error.WriteLine(ex);
    }

    public ILogger CreateLogger() => new LoggerConfiguration()
        .MinimumLevel.Is(Verbose ? LogEventLevel.Information : LogEventLevel.Warning)
        .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
        .WriteTo.Console(
            outputTemplate: Verbose
                ? "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}"
                : "[{Level:u3}] {Message:lj}{NewLine}",
            standardErrorFromLevel: LogEventLevel.Verbose,
            formatProvider: CultureInfo.InvariantCulture)
        .CreateLogger();

    public IProgressView StartProgress(JobId jobId) =>
        IsTerminal ? new LiveProgressView(jobId) : new PlainProgressView();

    public void Summary(JobStatus status, TimeSpan elapsed, long recordsThisRun)
    {
        var totals = status.Totals!;
        var seconds = Math.Max(elapsed.TotalSeconds, 0.001);
        var inv = CultureInfo.InvariantCulture;
        Line($"Job {status.JobId} completed in {elapsed.TotalSeconds.ToString("0.0", inv)} s");
        Line($"  conversations  {Numbers.Count(totals.Conversations)}");
        Line($"  participants   {Numbers.Count(totals.Participants)}");
        Line($"  messages       {Numbers.Count(totals.Messages)}");
        if (totals.Table is { } table)
            Line($"  {table,-14} {Numbers.Count(totals.TableRows)}");
        Line($"  quarantined    {Numbers.Count(totals.Quarantined)}");
        Line($"  records        {Numbers.Count(recordsThisRun)} ({Numbers.Rate(recordsThisRun / seconds)})");
        if (status.Phases is { } phases)
            foreach (var line in JobView.PhaseLines(phases))
                Line("  " + line);
        Line($"  sink           {status.Spec?.Sink}");
        Line($"  peak memory    {PeakMemory.Describe()}");
    }
}
