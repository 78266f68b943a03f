using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Cli;

/// <summary>A count out of its range is refused before anything runs, naming the range (exit 2), never quietly replaced by the default.</summary>
public sealed class SettingRangeTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public SettingRangeTests() => File.WriteAllText(_dir.File("messages.json"), "{}");

    [Fact]
    public async Task A_batch_size_of_zero_is_refused_with_its_range()
    {
        var result = await EtlProcess.RunAsync(_dir.Path, "run", "messages.json", "--batch-size", "0");

        AssertRefused(result, "error: --batch-size must be at least 1 (is 0)", "see 'etl run --help'");
    }

    [Fact]
    public async Task A_checkpoint_interval_that_is_not_a_number_is_refused_with_its_range()
    {
        var result = await EtlProcess.RunAsync(_dir.Path, "run", "messages.json", "--checkpoint-interval", "10k");

        AssertRefused(result, "error: --checkpoint-interval must be a whole number, at least 1 (is '10k')", "see 'etl run --help'");
    }

    [Fact]
    public async Task A_count_too_large_to_hold_is_refused_with_its_range()
    {
        var result = await EtlProcess.RunAsync(_dir.Path, "run", "messages.json", "--batch-size", "99999999999");

        AssertRefused(result, "error: --batch-size must be at least 1 and at most 2147483647 (is 99999999999)", "see 'etl run --help'");
    }

    [Fact]
    public async Task A_negative_key_index_is_refused_with_its_range()
    {
        var result = await EtlProcess.RunAsync(_dir.Path, "keys", "new", "--principal", "ci", "--role", "admin", "--index", "-1");

        AssertRefused(result, "error: --index must be at least 0 (is -1)", "see 'etl keys new --help'");
    }

    [Theory]
    [InlineData(new string[0], "Etl__Security__ApiKeys__0__Principal=ci")]
    [InlineData(new[] { "--index", "3" }, "Etl__Security__ApiKeys__3__Principal=ci")]
    public async Task A_key_index_in_range_or_left_out_numbers_the_settings(string[] index, string principalLine)
    {
        var result = await EtlProcess.RunAsync(_dir.Path, ["keys", "new", "--principal", "ci", "--role", "admin", .. index]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("  " + principalLine + "\n", result.Stdout);
    }

    [Fact]
    public async Task A_batch_size_of_zero_from_the_environment_is_refused_by_its_setting_name()
    {
        var result = await EtlProcess.RunAsync(_dir.Path, new Dictionary<string, string> { ["Etl__BatchSize"] = "0" }, "run", "messages.json");

        AssertRefused(result, "error: Etl:BatchSize must be at least 1 (is 0)");
    }

    private void AssertRefused(ProcessResult result, params string[] stderrLines)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(stderrLines, result.Stderr.TrimEnd().Split('\n'));
        Assert.Equal("", result.Stdout);
        Assert.Equal([_dir.File("messages.json")], Directory.GetFiles(_dir.Path)); // no database, no journal
    }

    public void Dispose() => _dir.Dispose();
}
