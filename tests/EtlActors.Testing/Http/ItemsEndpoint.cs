using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace EtlActors.Testing.Http;

/// <summary>
/// Generic <c>GET /items</c>, pageable in every style a test needs, all at once:
/// <list type="bullet">
/// <item><c>?cursor=</c>: the next cursor is the body's <c>next_cursor</c> (absent on the last page);</item>
/// <item>next URL: the body's <c>links.next</c> (absent on the last page);</item>
/// <item>RFC 8288: a <c>Link: &lt;url&gt;; rel="next"</c> header (absent on the last page);</item>
/// <item><c>?offset=&amp;limit=</c> and <c>?page=&amp;per_page=</c> (1-based): the client counts; past the end is an empty page.</item>
/// </list>
/// The next links continue the style asked (offset, page or cursor) and keep the other parameters. <c>updated_since</c>
/// (ISO, inclusive) filters on <c>updatedAt</c>.
/// </summary>
internal sealed class ItemsEndpoint(int pageSize) : IStubEndpoint
{
    private static readonly string[] _positionNames = ["cursor", "offset", "page"];

    public string Method => HttpMethods.Get;

    public string Path => "/items";

    public StubPageRequest Parse(HttpRequest request, string? body)
    {
        var given = _positionNames.Where(n => request.Query.ContainsKey(n)).ToArray();
        if (given.Length > 1)
            throw Bad($"only one of cursor, offset and page: got {string.Join(", ", given)}");
        var size = request.Query.ContainsKey("per_page")
            ? StubParameters.Int(request, "per_page", pageSize, 1, Bad)
            : StubParameters.Int(request, "limit", pageSize, 1, Bad);
        var since = StubParameters.Iso(request.Query["updated_since"], "updated_since", Bad);
        StubPosition position = given.FirstOrDefault() switch
        {
            "offset" => new StubPosition.Offset(StubParameters.Int(request, "offset", 0, 0, Bad)),
            "page" => new StubPosition.Number(StubParameters.Int(request, "page", 1, 1, Bad)),
            _ => StubParameters.Cursor(request.Query["cursor"], Bad),
        };
        return new StubPageRequest(Path, new StubFilter(since), position, size);
    }

    public JsonNode Render(StubPageRequest request, StubPage page, HttpRequest httpRequest, HttpResponse response, int number)
    {
        var links = new JsonObject { ["self"] = $"{httpRequest.Scheme}://{httpRequest.Host}{httpRequest.Path}{httpRequest.QueryString}" };
        var body = new JsonObject
        {
            ["items"] = new JsonArray([.. page.Records.Select(Item)]),
            ["total"] = page.Total,
        };
        if (page.NextCursor is { } cursor)
        {
            var next = request.Position switch
            {
                StubPosition.Offset => ("offset", (page.StartIndex + page.Records.Count).ToString(CultureInfo.InvariantCulture)),
                StubPosition.Number n => ("page", (n.Value + 1).ToString(CultureInfo.InvariantCulture)),
                _ => ("cursor", cursor),
            };
            var url = StubParameters.NextUrl(httpRequest, _positionNames, next);
            body["next_cursor"] = cursor;
            links["next"] = url;
            response.Headers.Link = $"<{url}>; rel=\"next\"";
        }
        body["links"] = links;
        return body;
    }

    private static JsonObject Item(StubRecord r)
    {
        var item = new JsonObject
        {
            ["id"] = r.Id,
            ["conversation"] = r.Conversation,
            ["authorId"] = r.AuthorId,
            ["author"] = r.Author,
            ["text"] = r.Text,
            ["createdAt"] = StubTime.Iso(r.CreatedAt),
            ["updatedAt"] = StubTime.Iso(r.UpdatedAt),
            ["version"] = r.Version,
        };
        if (r.ThreadTs is { } thread)
            item["threadTs"] = thread;
        return item;
    }

    private static StubBadRequest Bad(string message) => new(400, new JsonObject { ["error"] = message });
}
