using System.Diagnostics;
using EtlActors.Contracts.Jobs;
using Spectre.Console;

namespace EtlActors.Cli.Output;

internal interface IProgressView : IDisposable
{
    void Update(JobStatus status);
}

/// <summary>
/// A line when the job starts running, then one every few seconds: what a log file or a CI run should hold.
/// </summary>
internal sealed class PlainProgressView(TextWriter? output = null) : IProgressView
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TextWriter _output = output ?? Console.Out;
    private TimeSpan? _last;

    public void Update(JobStatus status)
    {
        // The first line as soon as the job runs, so a log shows at once that it started and how big it is.
        if (status.IsFinished || status.State != JobState.Running || _clock.Elapsed - _last < Every)
            return;
        _last = _clock.Elapsed;
        _output.WriteLine(ProgressLine.Plain(status));
    }

    public void Dispose()
    {
    }
}

/// <summary>A live line on a terminal, redrawn in place at every status.</summary>
internal sealed class LiveProgressView(JobId jobId, IAnsiConsole? console = null) : IProgressView
{
    private const string ClearToEndOfLine = "\u001b[K"; // raw: Spectre would read its '[' as markup
    private readonly IAnsiConsole _console = console ?? AnsiConsole.Console;

    public void Update(JobStatus status)
    {
        // A line that wrapped could not be redrawn in place: shorter words when it would not fit, then cut.
        var room = _console.Profile.Width - 1 - jobId.Value.Length - status.State.ToString().Length - 3;
        var detail = ProgressLine.Live(status);
        if (detail.Length > room)
            detail = ProgressLine.Compact(status);
        if (detail.Length > room)
            detail = detail[..Math.Max(0, room)];
        _console.Profile.Out.Writer.Write('\r');
        _console.Markup($"{Markup.Escape(jobId.Value)} [bold]{status.State}[/]  {Markup.Escape(detail)}");
        _console.Profile.Out.Writer.Write(ClearToEndOfLine);
        _console.Profile.Out.Writer.Flush();
    }

    public void Dispose() => _console.WriteLine();
}

/// <summary>
/// What `etl run` says of a running job: the engine's count and rate (the same figures `etl jobs` shows), and
/// the percent read and time left when the source's size is known.
/// </summary>
internal static class ProgressLine
{
    public static string Plain(JobStatus status) =>
        $"progress: {status.State} {Numbers.Count(status.Processed)} records{Rate(status, ", ")}{Done(status, ", ")}, "
        + $"checkpoint {Numbers.Count(status.Checkpoint)}, quarantined {Numbers.Count(status.Quarantined)}";

    public static string Live(JobStatus status) =>
        $"{Numbers.Count(status.Processed)} records{Rate(status, "  ")}{Done(status, "  ")}  quarantined {Numbers.Count(status.Quarantined)}";

    /// <summary>The live line's figures in fewer words, for a narrow terminal.</summary>
    public static string Compact(JobStatus status) =>
        Numbers.Count(status.Processed)
        + (status.RecordsPerSecond is { } rate ? $" {Numbers.Count(rate)}/s" : "")
        + (status.ReadFraction is { } read ? $" {Numbers.Percent(read)}" + (status.EstimatedTimeLeft() is { } left ? $" {Numbers.Clock(left)} left" : "") : "")
        + (status.Quarantined > 0 ? $" ({Numbers.Count(status.Quarantined)} quarantined)" : "");

    private static string Rate(JobStatus status, string separator) =>
        status.RecordsPerSecond is { } rate ? separator + Numbers.Rate(rate) : "";

    /// <summary>The percent read and time left after <paramref name="separator"/>, or empty when the source's size is unknown.</summary>
    public static string Done(JobStatus status, string separator) =>
        Numbers.Done(status.ReadFraction, status.EstimatedTimeLeft()) is { Length: > 0 } done ? separator + done : "";
}
