using System.Diagnostics;
using EtlActors.Contracts.Jobs;
using Spectre.Console;

namespace EtlActors.Cli.Output;

internal interface IProgressView : IDisposable
{
    void Update(JobStatus status);
}

/// <summary>One line every few seconds: what a log file or a CI run should hold.</summary>
internal sealed class PlainProgressView(long fromOffset) : IProgressView
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _last = TimeSpan.Zero;

    public void Update(JobStatus status)
    {
        if (_clock.Elapsed - _last < Every || status.IsFinished)
            return;
        _last = _clock.Elapsed;
        var done = status.Processed - fromOffset;
        var rate = done / Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        Console.Out.WriteLine(
            $"progress: {status.State} {Numbers.Count(status.Processed)} records ({Numbers.Rate(rate)}), checkpoint {Numbers.Count(status.Checkpoint)}, quarantined {Numbers.Count(status.Quarantined)}");
    }

    public void Dispose()
    {
    }
}

/// <summary>A live line on a terminal, redrawn in place.</summary>
internal sealed class LiveProgressView : IProgressView
{
    private const string ClearToEndOfLine = "\u001b[K"; // raw: Spectre would read its '[' as markup
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly IAnsiConsole _console;
    private readonly long _fromOffset;
    private readonly string _jobId;

    public LiveProgressView(JobId jobId, long fromOffset, IAnsiConsole? console = null)
    {
        _jobId = jobId.Value;
        _fromOffset = fromOffset;
        _console = console ?? AnsiConsole.Console;
    }

    public void Update(JobStatus status)
    {
        var done = status.Processed - _fromOffset;
        var rate = done / Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        var text = $"{Markup.Escape(_jobId)} [bold]{status.State}[/]  {Numbers.Count(status.Processed)} records  {Numbers.Rate(rate)}  quarantined {Numbers.Count(status.Quarantined)}";
        _console.Profile.Out.Writer.Write('\r');
        _console.Markup(text);
        _console.Profile.Out.Writer.Write(ClearToEndOfLine);
        _console.Profile.Out.Writer.Flush();
    }

    public void Dispose() => _console.WriteLine();
}
