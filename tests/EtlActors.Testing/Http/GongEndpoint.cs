using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace EtlActors.Testing.Http;

/// <summary>
/// Gong-like <c>POST /v2/calls/extensive</c>: the body holds the filter (<c>filter.fromDateTime</c>, inclusive, on
/// the update time) and the cursor; the page size is fixed. Each record is a call whose <c>metaData.started</c> is the
/// record's update time (what an incremental run watermarks) and whose <c>title</c> is its text.
/// </summary>
internal sealed class GongEndpoint(int pageSize) : IStubEndpoint
{
    public string Method => HttpMethods.Post;

    public string Path => "/v2/calls/extensive";

    public StubPageRequest Parse(HttpRequest request, string? body)
    {
        JsonNode? json;
        try
        {
            json = string.IsNullOrWhiteSpace(body) ? new JsonObject() : JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw Bad($"body is not JSON: {e.Message}");
        }
        if (json is not JsonObject root)
            throw Bad("body must be a JSON object");
        var since = StubParameters.Iso(Text(root["filter"]?["fromDateTime"]), "filter.fromDateTime", Bad);
        var position = StubParameters.Cursor(Text(root["cursor"]), Bad);
        return new StubPageRequest(Path, new StubFilter(since), position, pageSize);
    }

    public JsonNode Render(StubPageRequest request, StubPage page, HttpRequest httpRequest, HttpResponse response, int number)
    {
        var records = new JsonObject
        {
            ["totalRecords"] = page.Total,
            ["currentPageSize"] = page.Records.Count,
            ["currentPageNumber"] = page.Number(request.Size) - 1,
        };
        if (page.NextCursor is { } next)
            records["cursor"] = next;
        return new JsonObject
        {
            ["requestId"] = $"stub-{number}",
            ["records"] = records,
            ["calls"] = new JsonArray([.. page.Records.Select(Call)]),
        };
    }

    private static JsonObject Call(StubRecord r) => new()
    {
        ["metaData"] = new JsonObject
        {
            ["id"] = r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["url"] = $"https://app.gong.example/call?id={r.Id}",
            ["title"] = r.Text,
            ["started"] = StubTime.Iso(r.UpdatedAt),
            ["duration"] = 60 + r.Id % 3_000,
            ["primaryUserId"] = r.AuthorId,
            ["direction"] = "Conference",
            ["scope"] = "External",
            ["media"] = "Video",
            ["language"] = "eng",
        },
        ["parties"] = new JsonArray(
            new JsonObject
            {
                ["id"] = $"{r.Id}-1",
                ["emailAddress"] = r.Email,
                ["name"] = r.Author,
                ["userId"] = r.AuthorId,
                ["affiliation"] = "Internal",
                ["methods"] = new JsonArray("Invitee"),
            },
            new JsonObject
            {
                ["id"] = $"{r.Id}-2",
                ["name"] = $"Guest of {r.Conversation}",
                ["affiliation"] = "External",
                ["methods"] = new JsonArray("Attendee"),
            }),
    };

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node is null ? null : throw Bad("expected a string");

    private static StubBadRequest Bad(string message) =>
        new(400, new JsonObject { ["requestId"] = "stub", ["errors"] = new JsonArray(message) });
}
