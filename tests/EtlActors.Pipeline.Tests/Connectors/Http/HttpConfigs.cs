using EtlActors.Pipeline.Connectors.Http.Config;

namespace EtlActors.Pipeline.Tests.Connectors.Http;

/// <summary>Parses configs under one name, with an environment the test gives, and returns their problems.</summary>
internal static class HttpConfigs
{
    public const string Name = "api.yaml";

    public static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    public static HttpSourceConfig Parse(string yaml, Func<string, string?>? environment = null) =>
        HttpSourceConfig.Parse(yaml, Name, environment ?? Environment());

    public static IReadOnlyList<ConfigProblem> Problems(string yaml, Func<string, string?>? environment = null) =>
        Assert.Throws<HttpSourceConfigException>(() => Parse(yaml, environment)).Problems;

    /// <summary>The one problem of <paramref name="yaml"/>.</summary>
    public static ConfigProblem Problem(string yaml, Func<string, string?>? environment = null) => Assert.Single(Problems(yaml, environment));
}
