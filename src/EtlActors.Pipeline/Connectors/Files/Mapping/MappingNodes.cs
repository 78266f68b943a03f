using YamlDotNet.RepresentationModel;

namespace EtlActors.Pipeline.Connectors.Files.Mapping;

/// <summary>Typed access to a mapping's YAML nodes; every problem names the mapping and the node's line and column.</summary>
internal sealed class MappingNodes(string name)
{
    public FileMappingException Fail(YamlNode node, string problem) => new(name, node.Start.Line, problem, node.Start.Column);

    public YamlMappingNode Mapping(YamlNode node, string what) =>
        node as YamlMappingNode ?? throw Fail(node, $"{what} must be a set of 'key: value' lines");

    public string Scalar(YamlNode node, string what) =>
        node is YamlScalarNode { Value: { } value } ? value : throw Fail(node, $"{what} must be a single value");

    public string NonEmpty(YamlNode node, string what)
    {
        var value = Scalar(node, what);
        return value.Length > 0 ? value : throw Fail(node, $"{what} is empty");
    }

    /// <summary>The value of <paramref name="key"/> in <paramref name="map"/>, or null when absent (or written <c>key:</c> with nothing).</summary>
    public YamlNode? Optional(YamlMappingNode map, string key)
    {
        foreach (var (k, v) in map.Children)
        {
            if (k is YamlScalarNode { Value: { } text } && text == key)
                return v is YamlScalarNode { Value: null or "" } && v.Tag.IsEmpty ? null : v;
        }
        return null;
    }

    /// <summary>The scalar at <paramref name="node"/>, which must be one of <paramref name="allowed"/>.</summary>
    public string OneOf(YamlNode node, string what, string[] allowed)
    {
        var value = Scalar(node, what);
        return allowed.Contains(value) ? value : throw Fail(node, $"{what} '{value}' is not one of {string.Join(", ", allowed)}");
    }

    public void OnlyKeys(YamlMappingNode map, string[] known, string what)
    {
        foreach (var key in map.Children.Keys)
        {
            var text = Scalar(key, $"a key of {what}");
            if (!known.Contains(text))
                throw Fail(key, $"unknown key '{text}' in {what} (known: {string.Join(", ", known)})");
        }
    }
}
