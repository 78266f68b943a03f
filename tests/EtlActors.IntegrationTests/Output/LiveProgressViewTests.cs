using EtlActors.Cli.Output;
using EtlActors.Contracts.Jobs;
using Spectre.Console;

namespace EtlActors.IntegrationTests.Output;

/// <summary>The progress line a person sees on a terminal (the process tests run with output redirected).</summary>
public sealed class LiveProgressViewTests
{
    [Fact]
    public void The_live_line_shows_the_job_state_and_counts_and_clears_the_rest_of_the_line()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
        });
        var job = new JobId("skype-1a2b3c");
        var view = new LiveProgressView(job, fromOffset: 0, console);

        view.Update(new JobStatus(job, JobState.Running, null, 10_000, 12_345, 7, null, null, null, null));

        var line = output.ToString();
        Assert.StartsWith("\r", line);
        Assert.Contains("skype-1a2b3c", line);
        Assert.Contains("Running", line);
        Assert.Contains("12,345 records", line);
        Assert.Contains("quarantined 7", line);
        Assert.EndsWith("\u001b[K", line);
    }
}
