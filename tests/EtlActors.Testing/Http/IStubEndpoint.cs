using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace EtlActors.Testing.Http;

/// <summary>One paged endpoint: how it reads a request for a page and how it renders the page.</summary>
internal interface IStubEndpoint
{
    string Method { get; }

    string Path { get; }

    /// <summary>The page asked for; throws <see cref="StubBadRequest"/> for a request it cannot serve.</summary>
    StubPageRequest Parse(HttpRequest request, string? body);

    /// <summary>The response body for <paramref name="page"/>; may set headers (a <c>Link</c>) on <paramref name="response"/>.</summary>
    JsonNode Render(StubPageRequest request, StubPage page, HttpRequest httpRequest, HttpResponse response, int number);
}

/// <summary>A request an endpoint refuses, with the status and body it answers in its API's own style.</summary>
internal sealed class StubBadRequest(int status, JsonNode body) : Exception(body.ToJsonString())
{
    public int Status { get; } = status;

    public JsonNode Body { get; } = body;
}

/// <summary>Reading parameters, shared by the endpoints.</summary>
internal static class StubParameters
{
    /// <summary>A positive or zero integer parameter, or <paramref name="fallback"/> when absent.</summary>
    public static int Int(HttpRequest request, string name, int fallback, int min, Func<string, StubBadRequest> bad)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
            return fallback;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min)
            throw bad($"{name} must be an integer of at least {min}");
        return value;
    }

    /// <summary>An ISO-8601 time parameter, or null when absent.</summary>
    public static DateTimeOffset? Iso(string? text, string name, Func<string, StubBadRequest> bad)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        return StubTime.TryParseIso(text, out var at) ? at : throw bad($"{name} is not an ISO-8601 time: {text}");
    }

    /// <summary>The position an opaque cursor stands for; a cursor this stub did not issue is refused.</summary>
    public static StubPosition Cursor(string? cursor, Func<string, StubBadRequest> bad)
    {
        if (string.IsNullOrEmpty(cursor))
            return new StubPosition.First();
        return StubPaging.TryDecodeCursor(cursor, out var after) ? after : throw bad($"invalid cursor: {cursor}");
    }

    /// <summary>
    /// The absolute URL of this request with its position parameters replaced by <paramref name="next"/> (name,
    /// value): how a next link keeps the filter, the size and any API key.
    /// </summary>
    public static string NextUrl(HttpRequest request, string[] positionNames, (string Name, string Value) next)
    {
        var query = new QueryBuilder(request.Query
            .Where(q => !positionNames.Contains(q.Key, StringComparer.Ordinal))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? ""))))
        {
            { next.Name, next.Value },
        };
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{query}";
    }
}
