using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace EtlActors.Testing.Http;

/// <summary>
/// HubSpot-like <c>GET /crm/v3/objects/contacts?limit=&amp;after=&amp;properties=&amp;updated_since=</c>: each record
/// is a contact (its author's names and address, plus <c>message</c> = the text and <c>conversation</c>); the
/// next page's cursor is <c>paging.next.after</c>, absent on the last page. <c>updated_since</c> (ISO, inclusive)
/// filters on <c>updatedAt</c>.
/// </summary>
internal sealed class HubSpotEndpoint(int pageSize) : IStubEndpoint
{
    private static readonly string[] _defaultProperties = ["firstname", "lastname", "email"];

    public string Method => HttpMethods.Get;

    public string Path => "/crm/v3/objects/contacts";

    public StubPageRequest Parse(HttpRequest request, string? body)
    {
        var size = StubParameters.Int(request, "limit", pageSize, 1, Bad);
        var since = StubParameters.Iso(request.Query["updated_since"], "updated_since", Bad);
        var position = StubParameters.Cursor(request.Query["after"], Bad);
        return new StubPageRequest(Path, new StubFilter(since), position, size);
    }

    public JsonNode Render(StubPageRequest request, StubPage page, HttpRequest httpRequest, HttpResponse response, int number)
    {
        var asked = httpRequest.Query["properties"].ToString();
        var properties = asked.Length == 0 ? _defaultProperties : asked.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var body = new JsonObject
        {
            ["results"] = new JsonArray([.. page.Records.Select(r => Contact(r, properties))]),
        };
        if (page.NextCursor is { } next)
        {
            body["paging"] = new JsonObject
            {
                ["next"] = new JsonObject
                {
                    ["after"] = next,
                    ["link"] = StubParameters.NextUrl(httpRequest, ["after"], ("after", next)),
                },
            };
        }
        return body;
    }

    // As HubSpot does: the asked properties it knows, plus the three it always sends; values are strings.
    private static JsonObject Contact(StubRecord r, string[] asked)
    {
        var properties = new JsonObject();
        foreach (var name in asked)
        {
            if (Property(r, name) is { } value)
                properties[name] = value;
        }
        properties["hs_object_id"] = Id(r);
        properties["createdate"] = StubTime.Iso(r.CreatedAt);
        properties["lastmodifieddate"] = StubTime.Iso(r.UpdatedAt);
        return new JsonObject
        {
            ["id"] = Id(r),
            ["properties"] = properties,
            ["createdAt"] = StubTime.Iso(r.CreatedAt),
            ["updatedAt"] = StubTime.Iso(r.UpdatedAt),
            ["archived"] = false,
        };
    }

    private static string? Property(StubRecord r, string name) => name switch
    {
        "firstname" => r.FirstName,
        "lastname" => r.LastName,
        "email" => r.Email,
        "message" => r.Text,
        "conversation" => r.Conversation,
        "owner_id" => r.AuthorId,
        _ => null,
    };

    private static string Id(StubRecord r) => r.Id.ToString(CultureInfo.InvariantCulture);

    private static StubBadRequest Bad(string message) =>
        new(400, new JsonObject { ["status"] = "error", ["message"] = message, ["category"] = "VALIDATION_ERROR" });
}
