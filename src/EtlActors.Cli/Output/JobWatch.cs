using System.Text.Json;
using EtlActors.Contracts.Jobs;
using Spectre.Console;

namespace EtlActors.Cli.Output;

/// <summary>
/// `etl jobs watch`: a live progress bar on a terminal, a line per change when redirected, a JSON
/// object per line with --json. The bar fills as the source is read when its size is known (a file),
/// and is indeterminate otherwise (an HTTP API), where the counts and rate carry the progress.
/// </summary>
internal static class JobWatch
{
    // At 80 columns the counts, percent and time left get most of the bar's room.
    private const int NarrowBar = 8;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <returns>The last progress seen: the job's final state.</returns>
    public static async Task<JobProgress> FollowAsync(IAsyncEnumerable<JobProgress> progress, JobId jobId, bool json, IAnsiConsole? console = null)
    {
        if (json)
            return await EachAsync(progress, p => Console.WriteLine(JsonSerializer.Serialize(Line(p), Json)));
        if (console is null && Console.IsOutputRedirected)
            return await EachAsync(progress, p => Console.WriteLine(Describe(p)));
        console ??= AnsiConsole.Console;
        var narrow = Tables.IsNarrow(console);
        var bar = new ProgressBarColumn();
        if (narrow)
            bar.Width = NarrowBar;
        JobProgress? last = null;
        await console.Progress()
            .AutoClear(false)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, bar, new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(jobId.Value));
                task.IsIndeterminate = true;
                await foreach (var p in progress)
                {
                    last = p;
                    task.Description = Markup.Escape(narrow ? Brief(p) : Describe(p));
                    if (p.Status.ReadFraction is { } read && !p.IsFinal)
                    {
                        // The source's size is known: the bar shows how much of it is read.
                        task.IsIndeterminate = false;
                        task.Value = read * task.MaxValue;
                    }
                    if (p.IsFinal)
                    {
                        task.IsIndeterminate = false;
                        task.Value = p.State == JobState.Completed ? task.MaxValue : task.Value;
                        task.StopTask();
                    }
                }
            });
        if (narrow)
            foreach (var line in DescribeNarrow(last!))
                console.WriteLine(line);
        else
            console.WriteLine(Describe(last!));
        return last!;
    }

    private static async Task<JobProgress> EachAsync(IAsyncEnumerable<JobProgress> progress, Action<JobProgress> print)
    {
        JobProgress? last = null;
        await foreach (var p in progress)
        {
            print(p);
            last = p;
        }
        return last!;
    }

    public static string Describe(JobProgress p)
    {
        var rate = (p.RecordsPerSecond is { } r ? $", {Numbers.Rate(r)}" : "") + ProgressLine.Done(p.Status, ", ");
        var node = p.Node is null ? "" : $" on {p.Node}";
        var error = p.Error is null ? "" : $" ({p.Error})";
        return $"{p.JobId}: {p.State}{node}, {Numbers.Count(p.Processed)} records ({Numbers.Count(p.Quarantined)} quarantined){rate}, checkpoint {Numbers.Count(p.Checkpoint)}{error}";
    }

    /// <summary>
    /// The live line at 80 columns, beside the spinner, bar and clock: what moves (state, count,
    /// rate); the node, checkpoint and error follow the final state.
    /// </summary>
    public static string Brief(JobProgress p)
    {
        var rate = p.RecordsPerSecond is { } r ? $" {Numbers.Count(r)}/s" : "";
        if (p.Status.ReadFraction is not { } read)
            return $"{p.JobId} {p.State} {Numbers.Count(p.Processed)} records{rate}";
        // The percent and the time left take the room of the word "records".
        var left = p.Status.EstimatedTimeLeft() is { } time ? $" {Numbers.Clock(time)} left" : "";
        return $"{p.JobId} {p.State} {Numbers.Count(p.Processed)}{rate} {Numbers.Percent(read)}{left}";
    }


    /// <summary>The final state at 80 columns: <see cref="Describe"/>'s facts over lines that fit.</summary>
    public static IEnumerable<string> DescribeNarrow(JobProgress p)
    {
        yield return $"{p.JobId}: {p.State}, {Numbers.Count(p.Processed)} records ({Numbers.Count(p.Quarantined)} quarantined)";
        var rate = p.RecordsPerSecond is { } r ? $", {Numbers.Rate(r)}" : "";
        yield return $"  checkpoint {Numbers.Count(p.Checkpoint)}{rate}" + (p.Node is null ? "" : $", on {p.Node}");
        if (p.Error is not null)
            yield return $"  error: {p.Error}";
    }

    private static object Line(JobProgress p) => new
    {
        id = p.JobId.Value,
        state = p.State.ToString(),
        processed = p.Processed,
        quarantined = p.Quarantined,
        checkpoint = p.Checkpoint,
        recordsPerSecond = p.RecordsPerSecond,
        readFraction = p.Status.ReadFraction,
        secondsLeft = p.Status.EstimatedTimeLeft()?.TotalSeconds,
        node = p.Node,
        error = p.Error,
        at = p.At,
        final = p.IsFinal,
    };
}
