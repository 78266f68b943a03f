using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EtlActors.Pipeline.Connectors.Http.Config;

/// <summary>
/// Reads an HTTP source config through YamlDotNet's node model, as <c>FileMappingLoader</c> reads a mapping: every node
/// keeps its line and column. Unlike a mapping, every problem is collected before anything is thrown, since a config
/// has many independent parts and a user fixing one problem a run would need a run per problem.
/// </summary>
internal static partial class HttpSourceConfigLoader
{
    /// <summary>How long one request may take when the config says nothing.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Retries of one request when the config says nothing.</summary>
    public const int DefaultMaxRetries = 5;

    /// <summary>Requests at once under a rate limit that names only its requests per second.</summary>
    public const int DefaultConcurrent = 1;

    private static readonly string[] TopKeys = ["base_url", "headers", "auth", "rate_limit", "timeout", "max_retries", "resources"];

    public static HttpSourceConfig Load(string text, string name, Func<string, string?>? environment)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(name);
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new HttpSourceConfigException(name, [new ConfigProblem(ex.Start.Line, ex.Start.Column, "not valid YAML: " + YamlPosition().Replace(ex.Message, ""))]);
        }
        if (yaml.Documents.Count != 1)
            throw new HttpSourceConfigException(name, [new ConfigProblem(1, 1, yaml.Documents.Count == 0 ? "the config is empty" : "the config must be one YAML document")]);

        var nodes = new ConfigNodes();
        var root = yaml.Documents[0].RootNode;
        var secrets = new List<string>();
        var variables = new List<string>();
        Resolve(nodes, root, environment, secrets, variables, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance), root);
        var config = Read(nodes, root, text);
        secrets = [.. secrets.Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length)];
        if (nodes.Problems.Count > 0 || config is null)
        {
            // A problem may quote a value that came from the environment (a token that is not a number…).
            var problems = nodes.Problems
                .OrderBy(p => p.Line).ThenBy(p => p.Column)
                .Select(p => p with { Message = Redaction.Redact(p.Message, secrets) })
                .ToList();
            throw new HttpSourceConfigException(name, problems);
        }
        return config with { Secrets = secrets, Variables = [.. variables.Distinct(StringComparer.Ordinal)] };
    }

    /// <summary>
    /// Replaces the variables of every scalar value (keys stay as written) in place, or, without an environment, marks
    /// the values that hold one; either way a value still holding a variable is not judged by its format. What replaces
    /// them is secret, except in <c>base_url</c>: the host an error names is what a user needs to see.
    /// </summary>
    private static void Resolve(ConfigNodes nodes, YamlNode node, Func<string, string?>? environment,
        List<string> secrets, List<string> variables, HashSet<YamlNode> seen, YamlNode root)
    {
        if (!seen.Add(node))
            return; // an alias names a node already resolved: substituting twice would read a '${' a value brought in
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    var isBaseUrl = ReferenceEquals(node, root) && key is YamlScalarNode { Value: "base_url" };
                    Resolve(nodes, value, environment, isBaseUrl ? [] : secrets, variables, seen, root);
                }
                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children)
                    Resolve(nodes, item, environment, secrets, variables, seen, root);
                break;
            case YamlScalarNode { Value: { } text } scalar when text.Contains('$', StringComparison.Ordinal):
                variables.AddRange(EnvironmentVariables.Names(text));
                if (environment is null)
                {
                    if (EnvironmentVariables.HasVariable(text))
                        nodes.MarkUnresolved(scalar);
                    break;
                }
                var substitution = EnvironmentVariables.Substitute(text, environment);
                secrets.AddRange(substitution.Secrets);
                foreach (var problem in substitution.Problems)
                    nodes.Add(scalar, problem);
                if (substitution.Problems.Count > 0)
                    nodes.MarkUnresolved(scalar);
                else
                    scalar.Value = substitution.Value;
                break;
        }
    }

    private static HttpSourceConfig? Read(ConfigNodes nodes, YamlNode rootNode, string text)
    {
        if (nodes.Mapping(rootNode, ConfigNodes.Root) is not { } root)
            return null;
        nodes.OnlyKeys(root, TopKeys, ConfigNodes.Root);
        var baseUrl = nodes.Required(root, "base_url", ConfigNodes.Root, "the API's address, as https://api.example.com/v2") is { } b
            ? nodes.Url(b, "base_url")
            : null;
        var headers = nodes.Optional(root, "headers") is { } h ? nodes.Pairs(h, "headers") : [];
        var auth = nodes.Optional(root, "auth") is { } a ? AuthLoader.Auth(nodes, a) : null;
        var rateLimit = nodes.Optional(root, "rate_limit") is { } r ? RateLimit(nodes, r) : null;
        var timeout = DefaultTimeout;
        if (nodes.Optional(root, "timeout") is { } t && nodes.Duration(t, "timeout", DefaultTimeout) is { } given)
        {
            if (given > TimeSpan.Zero)
                timeout = given;
            else
                nodes.Add(t, "timeout is 0: a request needs some time");
        }
        var maxRetries = nodes.Optional(root, "max_retries") is { } m ? nodes.Integer(m, "max_retries", 0, DefaultMaxRetries) : DefaultMaxRetries;
        var resources = nodes.Required(root, "resources", ConfigNodes.Root, "the endpoints to pull, as a list of '- name: …' items") is { } res
            ? HttpResourceLoader.Resources(nodes, res)
            : [];
        return baseUrl is null || maxRetries is null || resources.Count == 0
            ? null
            : new HttpSourceConfig(text, baseUrl, headers, auth, rateLimit, timeout, maxRetries.Value, resources);
    }

    private static RateLimit? RateLimit(ConfigNodes nodes, YamlNode node)
    {
        if (nodes.Mapping(node, "rate_limit") is not { } map)
            return null;
        nodes.OnlyKeys(map, ["requests_per_second", "concurrent"], "rate_limit");
        var perSecond = nodes.Required(map, "requests_per_second", "rate_limit", "a number above 0, as 10 or 0.5") is { } r
            ? nodes.Positive(r, "rate_limit: requests_per_second", 1)
            : null;
        var concurrent = nodes.Optional(map, "concurrent") is { } c ? nodes.Integer(c, "rate_limit: concurrent", 1, DefaultConcurrent) : DefaultConcurrent;
        return perSecond is null || concurrent is null ? null : new RateLimit(perSecond.Value, concurrent.Value);
    }

    // YamlDotNet puts "(Line: 3, Col: 5, Idx: 20) - (Line: 3, Col: 9, Idx: 24): " before its message; ours has the position.
    [GeneratedRegex(@"^(\(Line: \d+, Col: \d+, Idx: \d+\)\s*-?\s*)+:?\s*")]
    private static partial Regex YamlPosition();
}
