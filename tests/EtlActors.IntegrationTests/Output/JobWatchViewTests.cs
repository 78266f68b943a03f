using EtlActors.Cli.Output;
using EtlActors.Contracts.Jobs;
using Spectre.Console;

namespace EtlActors.IntegrationTests.Output;

/// <summary>What `etl jobs watch` and `etl jobs list` draw on a terminal (the process tests run with output redirected).</summary>
public sealed class JobWatchViewTests
{
    private static readonly JobId Job = new("skype-1a2b3c");

    private static (IAnsiConsole Console, StringWriter Output) Terminal() => TestTerminal.Create(160);

    private static JobStatus Status(JobState state, long processed, double? rate = null) =>
        new(Job, state, null, processed, processed, 3, null, null, null, null, "10.0.0.7:4053", RecordsPerSecond: rate);

    private static async IAsyncEnumerable<JobProgress> Progress(params JobStatus[] statuses)
    {
        foreach (var status in statuses)
        {
            await Task.Yield();
            yield return JobProgress.Of(status);
        }
    }

    [Fact]
    public async Task The_progress_display_follows_the_job_and_ends_with_its_final_state()
    {
        var (console, output) = Terminal();

        var final = await JobWatch.FollowAsync(
            Progress(Status(JobState.Running, 1_000, 500), Status(JobState.Running, 20_000, 9_876), Status(JobState.Completed, 40_240)),
            Job, json: false, console);

        Assert.Equal(JobState.Completed, final.State);
        var text = output.ToString();
        // The display's last frame: the final state beside a full bar and the elapsed time.
        Assert.Matches(@"skype-1a2b3c: Completed on 10\.0\.0\.7:4053, 40,240 records \(3 quarantined\), checkpoint 40,240 ━{10,} \d\d:\d\d:\d\d", text);
        Assert.EndsWith("skype-1a2b3c: Completed on 10.0.0.7:4053, 40,240 records (3 quarantined), checkpoint 40,240\n", text.Replace("\r\n", "\n"));
    }

    [Fact]
    public void The_job_table_has_a_row_per_job_with_its_state_and_counts()
    {
        var (console, output) = Terminal();
        var views = new[] { JobView.Of(Status(JobState.Running, 1_234, 99)), JobView.Of(Status(JobState.Failed, 7) with { JobId = new("other-job"), Error = "PostgreSQL: connection refused" }) };

        JobTables.Write(views, console);

        var text = output.ToString();
        Assert.Contains("JOB", text);
        Assert.Contains("STATE", text);
        Assert.Contains("skype-1a2b3c", text);
        Assert.Contains("1,231", text); // loaded: processed less quarantined
        Assert.Contains("other-job", text);
        Assert.Contains("PostgreSQL: connection refused", text);
    }
}
