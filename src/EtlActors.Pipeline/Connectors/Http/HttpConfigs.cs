using System.Collections.Concurrent;
using EtlActors.Pipeline.Connectors.Http.Config;

namespace EtlActors.Pipeline.Connectors.Http;

/// <summary>
/// Parsed source configs by their text. A transformer entity needs only the resources' mappings, which do not depend
/// on the environment, so those are parsed without substituting variables and kept; a reader parses with the
/// node's environment each run (the secrets may change between runs, and are not kept in memory longer than a run).
/// </summary>
internal static class HttpConfigs
{
    /// <summary>The name a config carried by a job goes by in errors (the CLI checked it under its file's name).</summary>
    public const string JobConfigName = "the job's source config";

    private const int Capacity = 64;
    private static readonly ConcurrentDictionary<string, HttpSourceConfig> Shapes = new(StringComparer.Ordinal);

    /// <summary>The config in <paramref name="text"/> with its variables taken from this process's environment.</summary>
    public static HttpSourceConfig Resolve(string text, string name) => Parse(text, name, Environment.GetEnvironmentVariable);

    /// <summary>The config's resources and mappings, variables not substituted.</summary>
    public static HttpSourceConfig Shape(string text)
    {
        if (Shapes.TryGetValue(text, out var config))
            return config;
        config = Parse(text, JobConfigName, environment: null);
        if (Shapes.Count >= Capacity)
            Shapes.Clear(); // rare: many jobs with different configs on one node; parsing again is correct, only slower
        return Shapes.GetOrAdd(text, config);
    }

    private static HttpSourceConfig Parse(string text, string name, Func<string, string?>? environment) =>
        HttpSourceConfig.Parse(text, name, environment);
}
