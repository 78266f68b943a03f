using System.Globalization;
using System.Text.RegularExpressions;
using EtlActors.Pipeline.Connectors.Files.Mapping;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EtlActors.Pipeline.Connectors.Http.Config;

/// <summary>
/// Typed access to a config's YAML nodes that collects problems instead of throwing, so one pass reports all of them:
/// each accessor returns null (or skips) where the value is wrong, and the loader carries on with the rest.
/// </summary>
internal sealed partial class ConfigNodes
{
    private readonly HashSet<YamlNode> _unresolved = new(ReferenceEqualityComparer.Instance);

    /// <summary>Every problem found so far.</summary>
    public List<ConfigProblem> Problems { get; } = [];

    public void Add(YamlNode node, string message) => Problems.Add(new ConfigProblem(node.Start.Line, node.Start.Column, message));

    /// <summary>Marks a value that still holds a <c>${VAR}</c> (no environment, or a variable not set): its format is not judged.</summary>
    public void MarkUnresolved(YamlNode node) => _unresolved.Add(node);

    public bool IsUnresolved(YamlNode node) => _unresolved.Contains(node);

    public YamlMappingNode? Mapping(YamlNode node, string what)
    {
        if (node is YamlMappingNode map)
            return map;
        Add(node, $"{what} must be a set of 'key: value' lines");
        return null;
    }

    public string? Scalar(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: { } value })
            return value;
        Add(node, $"{what} must be a single value");
        return null;
    }

    public string? NonEmpty(YamlNode node, string what) => Scalar(node, what) switch
    {
        null => null,
        "" => Fail<string>(node, $"{what} is empty"),
        var value => value,
    };

    /// <summary>The value of <paramref name="key"/>, or null when absent or written <c>key:</c> with nothing (<c>""</c> is a value).</summary>
    public YamlNode? Optional(YamlMappingNode map, string key)
    {
        foreach (var (k, v) in map.Children)
        {
            if (k is YamlScalarNode { Value: { } text } && text == key)
                return v is YamlScalarNode { Value: null or "", Style: ScalarStyle.Plain or ScalarStyle.Any } && v.Tag.IsEmpty ? null : v;
        }
        return null;
    }

    /// <summary>The value of <paramref name="key"/>; its absence is a problem at <paramref name="map"/>, with <paramref name="hint"/> on what it takes.</summary>
    public YamlNode? Required(YamlMappingNode map, string key, string what, string? hint = null) =>
        Optional(map, key) ?? Fail<YamlNode>(map, $"{(what == Root ? "" : what + ": ")}'{key}' is missing{(hint is null ? "" : $" ({hint})")}");

    /// <summary>What the top level of a config is called in problems.</summary>
    public const string Root = "the config";

    public void OnlyKeys(YamlMappingNode map, string[] known, string what)
    {
        foreach (var key in map.Children.Keys)
        {
            if (Scalar(key, $"a key of {what}") is { } text && !known.Contains(text))
                Add(key, $"unknown key '{text}' in {what} (known: {string.Join(", ", known)})");
        }
    }

    /// <summary>The scalar at <paramref name="node"/>, which must be one of <paramref name="allowed"/> (any case); returned as listed.</summary>
    public string? OneOf(YamlNode node, string what, string[] allowed)
    {
        if (Scalar(node, what) is not { } value)
            return null;
        return allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase))
            ?? Fail<string>(node, $"{what} '{value}' is not one of {string.Join(", ", allowed)}");
    }

    /// <summary>A whole number of at least <paramref name="min"/>; an unresolved value gives <paramref name="unresolved"/>.</summary>
    public int? Integer(YamlNode node, string what, int min, int? unresolved = null)
    {
        if (Scalar(node, what) is not { } text)
            return null;
        if (IsUnresolved(node))
            return unresolved;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return Fail<int?>(node, $"{what} '{text}' is not a whole number");
        return value >= min ? value : Fail<int?>(node, $"{what} is {value}: it must be at least {min}");
    }

    /// <summary>A number above zero (fractions allowed).</summary>
    public double? Positive(YamlNode node, string what, double? unresolved = null)
    {
        if (Scalar(node, what) is not { } text)
            return null;
        if (IsUnresolved(node))
            return unresolved;
        if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            return Fail<double?>(node, $"{what} '{text}' is not a number");
        return value > 0 ? value : Fail<double?>(node, $"{what} is {text}: it must be above 0");
    }

    /// <summary>A duration: a number and a unit (<c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>), or <c>0</c>.</summary>
    public TimeSpan? Duration(YamlNode node, string what, TimeSpan? unresolved = null)
    {
        if (Scalar(node, what) is not { } text)
            return null;
        if (IsUnresolved(node))
            return unresolved;
        if (text == "0")
            return TimeSpan.Zero;
        var match = DurationPattern().Match(text);
        if (!match.Success)
            return Fail<TimeSpan?>(node, $"{what} '{text}' is not a duration: write a number and a unit, as 500ms, 30s, 5m, 1h or 1d");
        var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromDays(amount),
        };
    }

    /// <summary>
    /// An absolute http or https URL. One that still holds a variable (no environment) is not judged and stands as
    /// <see cref="Unresolved"/>: a config parsed without an environment is for checking, never for running.
    /// </summary>
    public Uri? Url(YamlNode node, string what)
    {
        if (NonEmpty(node, what) is not { } text)
            return null;
        if (IsUnresolved(node))
            return Unresolved;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : Fail<Uri>(node, $"{what} '{text}' is not an absolute http or https URL");
    }

    /// <summary>What a URL that holds an unresolved variable stands as (<c>.invalid</c> never resolves, RFC 2606).</summary>
    public static readonly Uri Unresolved = new("http://unresolved.invalid/");

    /// <summary>A JSON path into a response or a record (see <see cref="JsonPath"/>).</summary>
    public string? JsonPathAt(YamlNode node, string what)
    {
        if (NonEmpty(node, what) is not { } text)
            return null;
        if (IsUnresolved(node))
            return text;
        return JsonPath.Problem(text) is { } problem ? Fail<string>(node, $"{what} '{text}' is not a JSON path: {problem}") : text;
    }

    /// <summary>Scalar values by name, in order (headers, query parameters).</summary>
    public List<KeyValuePair<string, string>> Pairs(YamlNode node, string what)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        if (Mapping(node, what) is not { } map)
            return pairs;
        foreach (var (key, value) in map.Children)
        {
            if (NonEmpty(key, $"a name in {what}") is { } name && Scalar(value, $"{what}: {name}") is { } text)
                pairs.Add(new(name, text));
        }
        return pairs;
    }

    private T? Fail<T>(YamlNode node, string message)
    {
        Add(node, message);
        return default;
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h|d)$")]
    private static partial Regex DurationPattern();
}
