using EtlActors.Cli.Output;
using EtlActors.Contracts.Jobs;

namespace EtlActors.IntegrationTests.Output;

/// <summary>
/// The progress `etl run` shows: the line a person sees on a terminal (the process tests run with output redirected),
/// and the lines a log gets.
/// </summary>
public sealed class LiveProgressViewTests
{
    [Fact]
    public void The_live_line_shows_the_job_state_and_counts_and_clears_the_rest_of_the_line()
    {
        var (console, output) = TestTerminal.Create(80, interactive: false);
        var job = new JobId("skype-1a2b3c");
        var view = new LiveProgressView(job, console);

        view.Update(new JobStatus(job, JobState.Running, null, 10_000, 12_345, 7, null, null, null, null));

        var line = output.ToString();
        Assert.StartsWith("\r", line);
        Assert.Contains("skype-1a2b3c", line);
        Assert.Contains("Running", line);
        Assert.Contains("12,345 records", line);
        Assert.Contains("quarantined 7", line);
        Assert.EndsWith("\u001b[K", line);
    }

    [Fact]
    public void The_live_line_shows_the_engines_rate_the_percent_read_and_the_time_left_when_the_size_is_known()
    {
        var (console, output) = TestTerminal.Create(120, interactive: false);
        var job = new JobId("skype-8bd1e3ebbfd9");
        using var view = new LiveProgressView(job, console);
        // 12,345 records at 2,469 records/s with 25% of the file read: about 37,000 more, 15 s.
        var status = new JobStatus(job, JobState.Running, null, 10_000, 12_345, 7, null, null, null, null, RecordsPerSecond: 2_469) { ReadFraction = 0.25 };

        view.Update(status);
        Assert.Contains("Running\u001b[0m  12,345 records  2,469 records/s  25%, 15 s left  quarantined 7\u001b[K", output.ToString(), StringComparison.Ordinal);

        // On 80 columns the same figures in fewer words, on one line that can be redrawn.
        console.Profile.Width = 80;
        output.GetStringBuilder().Clear();
        view.Update(status);
        Assert.Contains("Running\u001b[0m  12,345 2,469/s 25% 0:15 left (7 quarantined)\u001b[K", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', output.ToString());
    }

    [Fact]
    public void A_log_gets_a_line_as_soon_as_the_job_runs_then_one_every_two_seconds()
    {
        var output = new StringWriter();
        using var view = new PlainProgressView(output);
        var job = new JobId("ndjson-1");
        var running = new JobStatus(job, JobState.Running, null, 0, 5_000, 0, null, null, null, null, RecordsPerSecond: 1_000) { ReadFraction = 0.5 };

        view.Update(running with { State = JobState.Pending, ReadFraction = null, RecordsPerSecond = null });
        view.Update(running);
        view.Update(running with { Processed = 5_100 }); // within two seconds of the last line

        Assert.Equal(
            ["progress: Running 5,000 records, 1,000 records/s, 50%, 5 s left, checkpoint 0, quarantined 0"],
            output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
