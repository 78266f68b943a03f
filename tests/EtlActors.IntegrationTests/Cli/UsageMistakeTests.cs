using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Cli;

/// <summary>
/// A command line that does not parse exits 2 with the one line that says what is wrong and where the help is,
/// not the whole help text; nothing runs and nothing is created.
/// </summary>
public sealed class UsageMistakeTests : IDisposable
{
    private readonly TempFolder _dir = new();

    [Fact]
    public async Task A_mistyped_option_is_named_with_the_option_it_resembles()
    {
        File.WriteAllText(_dir.File("messages.json"), "{}");

        var result = await EtlProcess.RunAsync(_dir.Path, "run", "messages.json", "--snk", "sqlite:out.db");

        AssertUsageError(result, "error: unknown option '--snk'; did you mean '--sink'?", "see 'etl run --help'");
        Assert.Equal([_dir.File("messages.json")], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public async Task The_start_of_an_option_suggests_the_whole_option()
    {
        var result = await EtlProcess.RunAsync(_dir.Path, "run", "messages.json", "--batch", "10");

        AssertUsageError(result, "error: unknown option '--batch'; did you mean '--batch-size'?", "see 'etl run --help'");
    }

    [Fact]
    public async Task An_option_like_no_other_is_named_without_a_guess()
    {
        var result = await EtlProcess.RunAsync(_dir.Path, "run", "messages.json", "--colour");

        AssertUsageError(result, "error: unknown option '--colour'", "see 'etl run --help'");
    }

    [Fact]
    public async Task A_command_without_its_subcommand_lists_them()
    {
        var result = await EtlProcess.RunAsync(_dir.Path, "jobs");

        AssertUsageError(result, "error: 'etl jobs' needs a command: show, list, watch, pause, resume, cancel", "see 'etl jobs --help'");
    }

    [Fact]
    public async Task Etl_alone_lists_its_commands()
    {
        var result = await EtlProcess.RunAsync(_dir.Path);

        AssertUsageError(result, "error: 'etl' needs a command: run, submit, jobs, cluster, sources, keys", "see 'etl --help'");
    }

    [Fact]
    public async Task A_mistyped_subcommand_is_named_with_the_command_it_resembles()
    {
        var result = await EtlProcess.RunAsync(_dir.Path, "jobs", "lst");

        AssertUsageError(result, "error: unknown command 'lst'; did you mean 'list'?", "see 'etl jobs --help'");
    }

    [Fact]
    public async Task A_missing_argument_is_named()
    {
        var result = await EtlProcess.RunAsync(_dir.Path, "run");

        AssertUsageError(result, "error: missing argument <export>", "see 'etl run --help'");
    }

    [Fact]
    public async Task An_option_without_its_value_is_named()
    {
        var result = await EtlProcess.RunAsync(_dir.Path, "jobs", "show", "some-job", "--cluster");

        AssertUsageError(result, "error: --cluster needs a value", "see 'etl jobs show --help'");
    }

    [Fact]
    public async Task Help_still_answers_a_command_without_its_subcommand()
    {
        var result = await EtlProcess.RunAsync(_dir.Path, "jobs", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("list", result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    private static void AssertUsageError(ProcessResult result, params string[] stderrLines)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(stderrLines, result.Stderr.TrimEnd().Split('\n'));
        Assert.Equal("", result.Stdout);
    }

    public void Dispose() => _dir.Dispose();
}
