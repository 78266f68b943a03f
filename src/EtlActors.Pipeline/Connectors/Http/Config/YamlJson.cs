using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EtlActors.Pipeline.Connectors.Http.Config;

/// <summary>
/// A request body written in YAML, as JSON. A plain scalar that reads as a JSON number, <c>true</c>/<c>false</c> or
/// <c>null</c>/<c>~</c> becomes one; anything quoted stays a string (write <c>"100"</c> for the text 100).
/// </summary>
internal static partial class YamlJson
{
    /// <summary>The JSON of <paramref name="node"/>; a key that is not a single value is told to <paramref name="problem"/> and left out.</summary>
    public static JsonNode? Convert(YamlNode node, Action<YamlNode, string> problem) => node switch
    {
        YamlMappingNode map => Object(map, problem),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(c => Convert(c, problem))]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null, // an alias: YamlStream resolves them to the nodes they name, so none is left here
    };

    public static JsonObject Object(YamlMappingNode map, Action<YamlNode, string> problem)
    {
        var json = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            if (key is YamlScalarNode { Value: { } name })
                json[name] = Convert(value, problem);
            else
                problem(key, "a key of the body must be a single value");
        }
        return json;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || !scalar.Tag.IsEmpty)
            return JsonValue.Create(text);
        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when NumberPattern().IsMatch(text) => JsonNode.Parse(text), // kept as written: no rounding through a double
            _ => JsonValue.Create(text),
        };
    }

    // JSON's number grammar (RFC 8259), so the text is valid JSON as it stands.
    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")]
    private static partial Regex NumberPattern();
}
