using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Cli;

/// <summary>Mistakes a user makes on the command line get one clear line and a non-zero exit, before anything runs.</summary>
public sealed class RunUsageTests : IDisposable
{
    private readonly TempFolder _dir = new();

    [Fact]
    public async Task A_missing_export_is_named_and_nothing_is_created()
    {
        var result = await EtlProcess.RunAsync(_dir.Path, "run", "no-such-export.tar");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: no-such-export.tar: file not found", result.Stderr.Trim());
        Assert.Empty(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public async Task A_malformed_sink_is_explained_without_echoing_the_password()
    {
        File.WriteAllText(_dir.File("messages.json"), "{}");

        var result = await EtlProcess.RunAsync(_dir.Path, "run", "messages.json", "--sink", "mysql://root:hunter2@db/etl");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: --sink:", result.Stderr.Trim());
        Assert.DoesNotContain("hunter2", result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task A_tenant_that_could_reach_sql_is_refused()
    {
        File.WriteAllText(_dir.File("messages.json"), "{}");

        var result = await EtlProcess.RunAsync(_dir.Path, "run", "messages.json", "--tenant", "x'; drop table messages;--");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("tenant 'x'; drop table messages;--' is not valid", result.Stderr);
    }

    [Fact]
    public async Task Help_explains_every_option_of_run()
    {
        var result = await EtlProcess.RunAsync(_dir.Path, "run", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--sink", "--tenant", "--job-id", "--journal", "--batch-size", "--checkpoint-interval", "--verbose" })
            Assert.Contains(option, result.Stdout);
        Assert.Contains("sqlite:./etl.db", result.Stdout);
    }

    public void Dispose() => _dir.Dispose();
}
