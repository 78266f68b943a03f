using System.Net.Http.Headers;
using System.Text.Json;
using EtlActors.Pipeline.Connectors.Files.Mapping;
using EtlActors.Pipeline.Connectors.Http.Config;

namespace EtlActors.Pipeline.Connectors.Http.Extract;

/// <summary>The request of the page after one just read, by the resource's pagination; null when it was the last.</summary>
internal static class Paginators
{
    public static PageRequest? Next(Pagination pagination, PageRequest? current, JsonElement body, HttpResponseHeaders headers, int records, Uri requested)
    {
        if (records == 0)
            return null; // every kind stops at an empty page
        return pagination switch
        {
            Pagination.Cursor cursor => Text(JsonPath.Parse(cursor.CursorPath).Find(body)) is { } value && value != current?.Cursor
                ? new PageRequest(Cursor: value)
                : null,
            Pagination.NextUrl next => Text(JsonPath.Parse(next.NextPath).Find(body)) is { } url ? Absolute(url, requested, current) : null,
            Pagination.LinkHeader => NextLink(headers) is { } link ? Absolute(link, requested, current) : null,
            Pagination.OffsetLimit offset => records < offset.PageSize ? null : new PageRequest(Offset: (current?.Offset ?? 0) + records),
            Pagination.PageNumber number => number.PageSize is { } size && records < size
                ? null
                : new PageRequest(Number: (current?.Number ?? number.FirstPage) + 1),
            _ => null,
        };
    }

    private static string? Text(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.String } v when v.GetString() is { Length: > 0 } s => s,
        { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
        _ => null,
    };

    // The same URL again would read the same page for ever.
    private static PageRequest? Absolute(string url, Uri requested, PageRequest? current)
    {
        var next = new Uri(requested, url).ToString();
        return next == current?.Url || next == requested.ToString() ? null : new PageRequest(Url: next);
    }

    /// <summary>
    /// The <c>rel="next"</c> target of RFC 8288 <c>Link</c> headers. Hand-written: .NET has no Link header parser, and
    /// the part needed is small: comma-separated <c>&lt;uri&gt;; param=value</c> entries, whose rel may list several types.
    /// </summary>
    public static string? NextLink(HttpResponseHeaders headers)
    {
        if (!headers.TryGetValues("Link", out var values))
            return null;
        foreach (var value in values)
        {
            var at = 0;
            while ((at = value.IndexOf('<', at)) >= 0)
            {
                var close = value.IndexOf('>', at);
                if (close < 0)
                    break;
                var target = value[(at + 1)..close];
                var end = value.IndexOf('<', close);
                var parameters = end < 0 ? value[(close + 1)..] : value[(close + 1)..end];
                foreach (var parameter in parameters.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    var eq = parameter.IndexOf('=', StringComparison.Ordinal);
                    if (eq < 0 || !parameter[..eq].Trim().Equals("rel", StringComparison.OrdinalIgnoreCase))
                        continue;
                    var rels = parameter[(eq + 1)..].Trim().Trim('"').TrimEnd(',').Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (rels.Any(r => r.Equals("next", StringComparison.OrdinalIgnoreCase)))
                        return target;
                }
                at = close;
            }
        }
        return null;
    }
}
