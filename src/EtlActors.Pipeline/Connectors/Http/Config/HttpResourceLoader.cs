using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EtlActors.Pipeline.Connectors.Files.Mapping;
using YamlDotNet.RepresentationModel;

namespace EtlActors.Pipeline.Connectors.Http.Config;

/// <summary>The <c>resources:</c> list of an HTTP source config: each request, its records, pagination, incremental cursor and mapping.</summary>
internal static partial class HttpResourceLoader
{
    private static readonly string[] ResourceKeys = ["name", "path", "method", "query", "body", "records", "paginate", "incremental", "fields", "mapping"];
    private static readonly string[] FileOnlyMappingKeys = ["format", "csv"];

    public static List<HttpResource> Resources(ConfigNodes nodes, YamlNode node)
    {
        var resources = new List<HttpResource>();
        if (node is not YamlSequenceNode list)
        {
            nodes.Add(node, "'resources' must be a list ('- name: …' items)");
            return resources;
        }
        if (list.Children.Count == 0)
            nodes.Add(list, "'resources' lists no resource");
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (Resource(nodes, list.Children[i], i, seen) is { } resource)
                resources.Add(resource);
        }
        return resources;
    }

    private static HttpResource? Resource(ConfigNodes nodes, YamlNode node, int index, Dictionary<string, long> seen)
    {
        if (nodes.Mapping(node, $"resource {index + 1}") is not { } map)
            return null;
        var nameNode = nodes.Required(map, "name", $"resource {index + 1}");
        var name = nameNode is null ? null : nodes.NonEmpty(nameNode, $"resource {index + 1}: name");
        if (name is not null && !NamePattern().IsMatch(name))
        {
            nodes.Add(nameNode!, $"resource name '{name}' is not valid: use 1-64 letters, digits, '.', '_' or '-'");
            name = null;
        }
        else if (name is not null && !seen.TryAdd(name, nameNode!.Start.Line))
            nodes.Add(nameNode, $"resource name '{name}' is used twice (first on line {seen[name]})");
        var what = name is null ? $"resource {index + 1}" : $"resource '{name}'";
        nodes.OnlyKeys(map, ResourceKeys, what);

        var path = nodes.Required(map, "path", what, "the endpoint, relative to base_url (as /v2/calls)") is { } p ? RelativePath(nodes, p, what) : null;
        var method = nodes.Optional(map, "method") is { } m ? nodes.OneOf(m, $"{what}: method", ["GET", "POST"]) : "GET";
        var post = method == "POST";
        var query = nodes.Optional(map, "query") is { } q ? nodes.Pairs(q, $"{what}: query") : [];
        var fields = nodes.Optional(map, "fields") is { } f ? nodes.Pairs(f, $"{what}: fields") : [];
        JsonObject? body = null;
        if (nodes.Optional(map, "body") is { } b)
        {
            if (!post)
                nodes.Add(b, $"{what}: 'body' needs 'method: POST'");
            else if (nodes.Mapping(b, $"{what}: body") is { } bodyMap)
                body = YamlJson.Object(bodyMap, nodes.Add);
        }
        var records = nodes.Required(map, "records", what, "the JSON path of the records in a response; '$' for a response that is the list") is { } r
            ? r is YamlScalarNode { Value: "$" } ? "$" : nodes.JsonPathAt(r, $"{what}: records")
            : null;
        var pagination = nodes.Optional(map, "paginate") is { } pg
            ? PaginationLoader.Pagination(nodes, pg, $"{what}: paginate", post)
            : new Pagination.None();
        var incremental = nodes.Optional(map, "incremental") is { } inc
            ? PaginationLoader.Incremental(nodes, inc, $"{what}: incremental", post)
            : null;
        var mapping = nodes.Required(map, "mapping", what, "how a record becomes rows, as a files mapping: into, columns…") is { } mp
            ? Mapping(nodes, mp, name, what)
            : null;

        if (name is null || path is null || method is null || records is null || pagination is null || mapping is null
            || (nodes.Optional(map, "incremental") is not null && incremental is null))
            return null;
        return new HttpResource(name, path, post ? HttpMethod.Post : HttpMethod.Get, query, body, records, pagination, incremental, mapping, map.Start.Line)
        {
            Fields = fields,
        };
    }

    private static string? RelativePath(ConfigNodes nodes, YamlNode node, string what)
    {
        if (nodes.NonEmpty(node, $"{what}: path") is not { } path)
            return null;
        if (!nodes.IsUnresolved(node) && (Uri.TryCreate(path, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            || path.StartsWith("//", StringComparison.Ordinal)))
        {
            nodes.Add(node, $"{what}: path '{path}' is a URL: give the part after base_url (every request of a source goes to one host)");
            return null;
        }
        return path;
    }

    /// <summary>
    /// A files mapping (the same checks, one problem a mapping, in this file's lines and columns). Its text is the block
    /// written out again, as a files source's mapping would be, so a job carries it and the normaliser parses it as one.
    /// </summary>
    private static FileMapping? Mapping(ConfigNodes nodes, YamlNode node, string? resource, string what)
    {
        if (nodes.Mapping(node, $"{what}: mapping") is not { } map)
            return null;
        var problems = nodes.Problems.Count;
        foreach (var key in FileOnlyMappingKeys)
        {
            if (map.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: { } v } && v == key) is { } keyNode)
                nodes.Add(keyNode, $"{what}: mapping: '{key}' is only for a files source: an HTTP resource's records are JSON");
        }
        if (nodes.Problems.Count > problems)
            return null;
        // A mapping's source defaults to the resource, not to "files"; written into the block so its text says it too.
        if (resource is not null && nodes.Optional(map, "source") is null)
            map.Children[new YamlScalarNode("source")] = new YamlScalarNode(resource);
        FileMapping mapping;
        try
        {
            mapping = FileMappingLoader.Load(map, Emit(map), what, FileMappingLoader.RecordKeys); // only its problem and position are used
        }
        catch (FileMappingException ex)
        {
            nodes.Problems.Add(new ConfigProblem(ex.Line ?? map.Start.Line, ex.Column ?? map.Start.Column, $"{what}: mapping: {ex.Problem}"));
            return null;
        }
        // A record is JSON, so every column's 'from' is a JSON path (a files mapping checks it once it knows the format).
        if (nodes.Optional(map, "columns") is YamlMappingNode columns)
        {
            foreach (var (key, value) in columns.Children)
            {
                var from = value is YamlMappingNode spec ? nodes.Optional(spec, "from") : value;
                if (from is not null)
                    nodes.JsonPathAt(from, $"{what}: mapping: column '{((YamlScalarNode)key).Value}': from");
            }
        }
        return nodes.Problems.Count > problems ? null : mapping;
    }

    private static string Emit(YamlMappingNode map)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(map)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();
}
