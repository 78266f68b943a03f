using EtlActors.Pipeline.Connectors.Files.Mapping;
using EtlActors.Pipeline.Connectors.Http.Config;

namespace EtlActors.Pipeline.Tests.Connectors.Http;

/// <summary>The example configs in samples/sources stay valid: with every variable set, and without an environment as `etl submit` checks them.</summary>
public sealed class HttpSampleConfigsTests
{
    public static TheoryData<string> Samples => [.. SampleFiles()];

    [Theory]
    [MemberData(nameof(Samples))]
    public void A_sample_is_valid_with_every_variable_set_and_without_an_environment(string file)
    {
        var text = File.ReadAllText(Path.Combine(SamplesFolder(), file));

        var resolved = HttpSourceConfig.Parse(text, file, FakeEnvironment);
        var unresolved = HttpSourceConfig.Parse(text, file, environment: null);

        Assert.NotEmpty(resolved.Resources);
        Assert.Equal(resolved.Resources.Select(r => r.Name), unresolved.Resources.Select(r => r.Name));
        // Every value from the environment is secret, except base_url's: the host an error names is for the user to see.
        Assert.All(resolved.Variables.Where(v => !v.EndsWith("_BASE_URL", StringComparison.Ordinal)), v => Assert.Contains(FakeEnvironment(v)!, resolved.Secrets));
        Assert.DoesNotContain(resolved.BaseUrl.ToString().TrimEnd('/'), resolved.Secrets);
    }

    [Fact]
    public void The_samples_are_the_three_documented_apis()
    {
        Assert.Equal(["gong-calls.yaml", "hubspot-contacts.yaml", "slack-history.yaml"], SampleFiles());

        var gong = Load("gong-calls.yaml").Resources.Single();
        Assert.Equal((HttpMethod.Post, new Pagination.Cursor("records.cursor", new("cursor", ParameterPlace.Body)) as Pagination), (gong.Method, gong.Pagination));
        Assert.Equal(new Parameter("filter.fromDateTime", ParameterPlace.Body), gong.Incremental!.Param);

        var hubspot = Load("hubspot-contacts.yaml");
        Assert.Equal(new HttpAuth.Bearer("value-of-HUBSPOT_TOKEN"), hubspot.Auth);
        var contacts = hubspot.Resources.Single();
        Assert.Equal(new Pagination.Cursor("paging.next.after", new("after", ParameterPlace.Query)), contacts.Pagination);
        Assert.Equal([new("limit", "100"), new("properties", "firstname,lastname,email")], contacts.Query);
        Assert.Equal("contacts", contacts.Mapping.Table!.Name);
        Assert.Equal(["id"], contacts.Mapping.Table.Key);

        var slack = Load("slack-history.yaml").Resources.Single();
        Assert.Equal("/api/conversations.history?channel=value-of-SLACK_CHANNEL", slack.Path);
        Assert.Equal(new Incremental("ts", new("oldest", ParameterPlace.Query), WatermarkType.Unix, TimeSpan.FromMinutes(5), null), slack.Incremental);
        Assert.Equal((MappingTarget.Messages, "thread_ts"), (slack.Mapping.Target, slack.Mapping.Column("thread_id")!.From));
    }

    [Fact]
    public void A_base_url_variable_points_a_sample_at_another_host()
    {
        var config = HttpSourceConfig.Parse(File.ReadAllText(Path.Combine(SamplesFolder(), "slack-history.yaml")), "slack-history.yaml",
            name => name == "SLACK_BASE_URL" ? "http://127.0.0.1:5999" : FakeEnvironment(name));

        Assert.Equal("127.0.0.1:5999", config.Host);
    }

    private static string[] SampleFiles() => [.. Directory.GetFiles(SamplesFolder(), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    private static HttpSourceConfig Load(string file) =>
        HttpSourceConfig.Parse(File.ReadAllText(Path.Combine(SamplesFolder(), file)), file, FakeEnvironment);

    // Every variable is set: a URL where one is expected, a recognisable value elsewhere.
    private static string? FakeEnvironment(string name) =>
        name.EndsWith("_URL", StringComparison.Ordinal) ? $"https://{name.ToLowerInvariant()}.example.com" : "value-of-" + name;

    private static string SamplesFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var folder = Path.Combine(dir.FullName, "samples", "sources");
            if (Directory.Exists(folder))
                return folder;
        }
        throw new InvalidOperationException("samples/sources not found above " + AppContext.BaseDirectory);
    }
}
