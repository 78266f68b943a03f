using System.CommandLine;
using EtlActors.Cli;
using EtlActors.IntegrationTests.Support;
using EtlActors.Pipeline.Connectors;

namespace EtlActors.IntegrationTests.Cli;

/// <summary>`etl sources validate` says a config is fine in one line, or lists every problem by line and column, never showing a secret.</summary>
public sealed class SourcesValidateTests : IDisposable
{
    private readonly TempFolder _dir = new();

    // Names of this test's own: the environment is the process's, and other tests run beside this one.
    private readonly string _token = "ETL_TEST_TOKEN_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    private readonly string _channel = "ETL_TEST_CHANNEL_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    public SourcesValidateTests()
    {
        Environment.SetEnvironmentVariable(_token, "tok-hunter2-secret");
        Environment.SetEnvironmentVariable(_channel, "C0SECRET");
    }

    [Fact]
    public async Task A_valid_config_is_summarised_in_one_line_with_each_resource()
    {
        var file = Write("gong.yaml", $$"""
            base_url: https://api.example.com
            auth: { type: bearer, token: "${{{_token}}}" }
            resources:
              - name: calls
                path: /v2/calls/extensive
                method: POST
                body: { filter: {} }
                records: calls
                paginate: { type: cursor, cursor: records.cursor, into: { body: cursor } }
                incremental: { field: metaData.started, param: { body: filter.fromDateTime } }
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
              - name: users
                path: /v2/users
                records: users
                mapping: { into: table, table: users, key: id, columns: { id: id } }
            """);

        var (exit, stdout, stderr) = await EtlAsync("sources", "validate", file);

        Assert.Equal(0, exit);
        Assert.Equal(
            $"{file}: ok — 2 resource(s): calls (POST /v2/calls/extensive, cursor pagination, incremental on metaData.started); users (GET /v2/users, no pagination)",
            stdout.Trim());
        Assert.Empty(stderr);
    }

    [Fact]
    public async Task Every_problem_is_one_error_line_with_file_line_and_column_and_the_exit_is_1()
    {
        var file = Write("bad.yaml", """
            base_url: api.example.com
            timeout: soon
            resources:
              - name: calls
                path: /calls
                records: calls..x
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """);

        var (exit, stdout, stderr) = await EtlAsync("sources", "validate", file);

        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.Equal(
            [
                $"error: {file}:1:11: base_url 'api.example.com' is not an absolute http or https URL",
                $"error: {file}:2:10: timeout 'soon' is not a duration: write a number and a unit, as 500ms, 30s, 5m, 1h or 1d",
                $"error: {file}:6:14: resource 'calls': records 'calls..x' is not a JSON path: a property name is empty",
            ],
            Lines(stderr));
    }

    [Fact]
    public async Task A_missing_file_is_named_and_the_exit_is_2()
    {
        var (exit, _, stderr) = await EtlAsync("sources", "validate", "no-such-source.yaml");

        Assert.Equal(2, exit);
        Assert.Equal("error: no-such-source.yaml: file not found", stderr.Trim());
    }

    [Fact]
    public async Task A_variable_that_is_not_set_is_a_problem_unless_no_env_asks_for_the_structure_only()
    {
        var unset = "ETL_TEST_UNSET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var file = Write("api.yaml", $$"""
            base_url: ${{{unset}}}
            resources:
              - name: calls
                path: /calls
                records: calls
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """);

        var (exit, _, stderr) = await EtlAsync("sources", "validate", file);
        var (noEnvExit, noEnvOut, noEnvErr) = await EtlAsync("sources", "validate", file, "--no-env");

        Assert.Equal(1, exit);
        Assert.Equal($"error: {file}:1:11: variable '{unset}' is not set (give it a value, or a default with '${{{unset}:-default}}')", stderr.Trim());
        Assert.Equal(0, noEnvExit);
        Assert.Equal([$"{file}: ok — 1 resource(s): calls (GET /calls, no pagination)", $"not checked (--no-env): {unset}"], Lines(noEnvOut));
        Assert.Empty(noEnvErr);
    }

    [Fact]
    public async Task A_value_from_the_environment_is_never_printed()
    {
        var good = Write("good.yaml", $$"""
            base_url: https://slack.com
            auth: { type: bearer, token: "${{{_token}}}" }
            resources:
              - name: history
                path: /api/conversations.history?channel=${{{_channel}}}
                records: messages
                mapping: { into: messages, columns: { conversation_id: channel, message_id: ts } }
            """);
        var bad = Write("bad.yaml", $$"""
            base_url: https://slack.com
            max_retries: ${{{_token}}}
            resources:
              - name: history
                path: /api/conversations.history?channel=${{{_channel}}}
                records: messages
                mapping: { into: messages, columns: { conversation_id: channel, message_id: ts } }
            """);

        var (goodExit, goodOut, goodErr) = await EtlAsync("sources", "validate", good);
        var (badExit, badOut, badErr) = await EtlAsync("sources", "validate", bad);

        Assert.Equal((0, 1), (goodExit, badExit));
        Assert.Contains("history (GET /api/conversations.history?channel=***, no pagination)", goodOut, StringComparison.Ordinal);
        Assert.Equal($"error: {bad}:2:14: max_retries '***' is not a whole number", badErr.Trim());
        foreach (var text in new[] { goodOut, goodErr, badOut, badErr })
        {
            Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
            Assert.DoesNotContain("C0SECRET", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("gong-calls.yaml")]
    [InlineData("hubspot-contacts.yaml")]
    [InlineData("slack-history.yaml")]
    public async Task Each_sample_config_is_valid_without_its_secrets(string sample)
    {
        var (exit, stdout, stderr) = await EtlAsync("sources", "validate", Path.Combine(RepoPaths.Root, "samples", "sources", sample), "--no-env");

        Assert.Equal(0, exit);
        Assert.Contains(": ok — 1 resource(s): ", stdout, StringComparison.Ordinal);
        Assert.Empty(stderr);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_token, null);
        Environment.SetEnvironmentVariable(_channel, null);
        _dir.Dispose();
    }

    // In this process, through the command line `etl` is (EtlCommandLine), with its output captured by System.CommandLine's writers.
    private static async Task<(int Exit, string Stdout, string Stderr)> EtlAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await EtlCommandLine.Create(SourceConnectors.Builtin()).Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private string Write(string name, string text)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }
}
