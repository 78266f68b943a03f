using System.Globalization;
using System.Text.Json;
using EtlActors.Contracts.Jobs;
using Spectre.Console;

namespace EtlActors.Cli.Output;

/// <summary>
/// `etl jobs watch`: a live progress bar on a terminal, a line per change when redirected, a JSON
/// object per line with --json. A source's record count is known only at its end, so the bar is
/// indeterminate until then, and the counts and rate carry the progress.
/// </summary>
internal static class JobWatch
{
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
        JobProgress? last = null;
        await console.Progress()
            .AutoClear(false)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(jobId.Value));
                task.IsIndeterminate = true;
                await foreach (var p in progress)
                {
                    last = p;
                    task.Description = Markup.Escape(Describe(p));
                    if (p.IsFinal)
                    {
                        task.IsIndeterminate = false;
                        task.Value = p.State == JobState.Completed ? task.MaxValue : task.Value;
                        task.StopTask();
                    }
                }
            });
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
        var inv = CultureInfo.InvariantCulture;
        var rate = p.RecordsPerSecond is { } r ? $", {r.ToString("N0", inv)} records/s" : "";
        var node = p.Node is null ? "" : $" on {p.Node}";
        var error = p.Error is null ? "" : $" ({p.Error})";
        return $"{p.JobId}: {p.State}{node}, {p.Processed.ToString("N0", inv)} records ({p.Quarantined.ToString("N0", inv)} quarantined){rate}, checkpoint {p.Checkpoint.ToString("N0", inv)}{error}";
    }

    private static object Line(JobProgress p) => new
    {
        id = p.JobId.Value,
        state = p.State.ToString(),
        processed = p.Processed,
        quarantined = p.Quarantined,
        checkpoint = p.Checkpoint,
        recordsPerSecond = p.RecordsPerSecond,
        node = p.Node,
        error = p.Error,
        at = p.At,
        final = p.IsFinal,
    };
}
