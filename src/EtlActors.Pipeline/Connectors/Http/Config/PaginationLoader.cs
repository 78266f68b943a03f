using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace EtlActors.Pipeline.Connectors.Http.Config;

/// <summary>A resource's <c>paginate:</c> and <c>incremental:</c> blocks, and the request parameters they name.</summary>
internal static class PaginationLoader
{
    private static readonly string[] Kinds = ["none", "cursor", "next_url", "link_header", "offset", "page_number"];
    private static readonly string[] WatermarkTypes = ["timestamp", "unix", "unix_ms"];
    private static readonly string[] IncrementalKeys = ["field", "param", "type", "lookback", "initial"];

    private static readonly Dictionary<string, string[]> KindKeys = new()
    {
        ["none"] = ["type"],
        ["cursor"] = ["type", "cursor", "into"],
        ["next_url"] = ["type", "next"],
        ["link_header"] = ["type"],
        ["offset"] = ["type", "offset", "limit", "page_size"],
        ["page_number"] = ["type", "page", "first_page", "size", "page_size"],
    };

    /// <summary>The pagination at <paramref name="node"/> (null: a problem was reported); <paramref name="post"/> says a body may take parameters.</summary>
    public static Pagination? Pagination(ConfigNodes nodes, YamlNode node, string what, bool post)
    {
        if (nodes.Mapping(node, what) is not { } map)
            return null;
        if (nodes.Required(map, "type", what, $"one of {string.Join(", ", Kinds)}") is not { } typeNode
            || nodes.OneOf(typeNode, $"{what}: type", Kinds) is not { } kind)
            return null; // without a kind, its keys cannot be judged
        nodes.OnlyKeys(map, KindKeys[kind], $"{what} of type {kind}");
        Parameter? Param(string key) =>
            nodes.Required(map, key, what, "as { query: name } or { body: field.path }") is { } n ? Parameter(nodes, n, $"{what}: {key}", post) : null;
        int? Size(string key) =>
            nodes.Required(map, key, what, "the number of records a page asks for") is { } n ? nodes.Integer(n, $"{what}: {key}", 1) : null;

        switch (kind)
        {
            case "none":
                return new Pagination.None();
            case "link_header":
                return new Pagination.LinkHeader();
            case "next_url":
                return nodes.Required(map, "next", what, "the JSON path of the next page's URL in a response") is { } next
                    && nodes.JsonPathAt(next, $"{what}: next") is { } nextPath ? new Pagination.NextUrl(nextPath) : null;
            case "cursor":
            {
                var cursor = nodes.Required(map, "cursor", what, "the JSON path of the next cursor in a response") is { } c
                    ? nodes.JsonPathAt(c, $"{what}: cursor") : null;
                var into = Param("into");
                return cursor is not null && into is not null ? new Pagination.Cursor(cursor, into) : null;
            }
            case "offset":
            {
                var (offset, limit, size) = (Param("offset"), Param("limit"), Size("page_size"));
                return offset is not null && limit is not null && size is not null ? new Pagination.OffsetLimit(offset, limit, size.Value) : null;
            }
            default:
            {
                var page = Param("page");
                var first = nodes.Optional(map, "first_page") is { } f ? nodes.Integer(f, $"{what}: first_page", 0) : 1;
                var sizeNode = nodes.Optional(map, "size");
                var pageSizeNode = nodes.Optional(map, "page_size");
                if ((sizeNode is null) != (pageSizeNode is null))
                    nodes.Add(sizeNode ?? pageSizeNode!, $"{what}: 'size' (the parameter) and 'page_size' (its value) go together");
                var size = sizeNode is null ? null : Parameter(nodes, sizeNode, $"{what}: size", post);
                var pageSize = pageSizeNode is null ? null : nodes.Integer(pageSizeNode, $"{what}: page_size", 1);
                return page is not null && first is not null && (sizeNode is null) == (pageSizeNode is null)
                    && (sizeNode is null || (size is not null && pageSize is not null))
                    ? new Pagination.PageNumber(page, first.Value, size, pageSize)
                    : null;
            }
        }
    }

    public static Incremental? Incremental(ConfigNodes nodes, YamlNode node, string what, bool post)
    {
        if (nodes.Mapping(node, what) is not { } map)
            return null;
        nodes.OnlyKeys(map, IncrementalKeys, what);
        var field = nodes.Required(map, "field", what, "the JSON path of the cursor field in a record") is { } f ? nodes.JsonPathAt(f, $"{what}: field") : null;
        var param = nodes.Required(map, "param", what, "the parameter that takes the watermark: { query: name } or { body: field.path }") is { } p
            ? Parameter(nodes, p, $"{what}: param", post)
            : null;
        var type = nodes.Optional(map, "type") is { } t ? nodes.OneOf(t, $"{what}: type", WatermarkTypes) : "timestamp";
        var lookback = nodes.Optional(map, "lookback") is { } l ? nodes.Duration(l, $"{what}: lookback", TimeSpan.Zero) : TimeSpan.Zero;
        var watermark = type switch
        {
            "timestamp" => WatermarkType.Timestamp,
            "unix" => WatermarkType.Unix,
            "unix_ms" => WatermarkType.UnixMs,
            _ => (WatermarkType?)null,
        };
        string? initial = null;
        if (nodes.Optional(map, "initial") is { } i && nodes.Scalar(i, $"{what}: initial") is { } text)
        {
            initial = text;
            if (watermark is { } w && !nodes.IsUnresolved(i) && !IsWatermark(text, w))
                nodes.Add(i, $"{what}: initial '{text}' is not a {type} ({Example(w)})");
        }
        return field is not null && param is not null && watermark is not null && lookback is not null
            ? new Incremental(field, param, watermark.Value, lookback.Value, initial)
            : null;
    }

    /// <summary><c>{ query: name }</c> or <c>{ body: field.path }</c> (a body field only for a POST).</summary>
    public static Parameter? Parameter(ConfigNodes nodes, YamlNode node, string what, bool post)
    {
        const string Shape = "'{ query: name }' or '{ body: field.path }'";
        if (node is not YamlMappingNode { Children.Count: 1 } map)
        {
            nodes.Add(node, $"{what} must be {Shape}");
            return null;
        }
        var (keyNode, valueNode) = map.Children.First();
        var place = nodes.OneOf(keyNode, what, ["query", "body"]);
        if (nodes.NonEmpty(valueNode, $"{what}: name") is not { } name || place is null)
            return null;
        if (place == "query")
            return new Parameter(name, ParameterPlace.Query);
        if (!post)
        {
            nodes.Add(keyNode, $"{what}: a body field needs 'method: POST'");
            return null;
        }
        if (name.Split('.').Any(s => s.Length == 0 || s.Contains('[', StringComparison.Ordinal)))
        {
            nodes.Add(valueNode, $"{what}: body field '{name}' is not a path of names separated by dots (as filter.cursor)");
            return null;
        }
        return new Parameter(name, ParameterPlace.Body);
    }

    private static bool IsWatermark(string text, WatermarkType type) => type switch
    {
        WatermarkType.Timestamp => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _),
        WatermarkType.Unix => decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _),
        _ => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _),
    };

    private static string Example(WatermarkType type) => type switch
    {
        WatermarkType.Timestamp => "as 2024-05-01T10:00:00Z",
        WatermarkType.Unix => "seconds since 1970, as 1714557600",
        _ => "milliseconds since 1970, as 1714557600000",
    };
}
