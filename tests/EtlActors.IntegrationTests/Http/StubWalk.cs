using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EtlActors.Testing.Http;

namespace EtlActors.IntegrationTests.Http;

/// <summary>
/// A plain client of each stub endpoint that follows its pagination to the end, the way an HTTP source would:
/// what the stub tests walk the record store with. Each returns the record ids in the order served.
/// </summary>
internal static class StubWalk
{
    // A stub that never ended a walk would otherwise hang the test.
    private const int MaxPages = 1_000;

    public static async Task<List<long>> ItemsAsync(HttpClient client, StubApi api, string style, int size, DateTimeOffset? since = null)
    {
        var ids = new List<long>();
        var filter = since is { } s ? $"&updated_since={Uri.EscapeDataString(StubTime.Iso(s))}" : "";
        var sizeName = style == "page" ? "per_page" : "limit";
        var url = style switch
        {
            "offset" => api.Url($"/items?offset=0&limit={size}{filter}"),
            "page" => api.Url($"/items?page=1&per_page={size}{filter}"),
            _ => api.Url($"/items?{sizeName}={size}{filter}"),
        };
        for (var pages = 0; pages < MaxPages; pages++)
        {
            using var response = await client.GetAsync(url);
            response.EnsureSuccessStatusCode();
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            var items = body["items"]!.AsArray();
            ids.AddRange(items.Select(i => i!["id"]!.GetValue<long>()));
            string? next = style switch
            {
                "cursor" => body["next_cursor"] is { } c ? api.Url($"/items?cursor={Uri.EscapeDataString(c.GetValue<string>())}&limit={size}{filter}") : null,
                "next-url" => body["links"]?["next"]?.GetValue<string>(),
                "link" => NextLink(response),
                "offset" => items.Count < size ? null : api.Url($"/items?offset={ids.Count}&limit={size}{filter}"),
                "page" => items.Count < size ? null : api.Url($"/items?page={pages + 2}&per_page={size}{filter}"),
                _ => throw new ArgumentException(style, nameof(style)),
            };
            if (next is null)
                return ids;
            url = next;
        }
        throw new InvalidOperationException($"/items ({style}) did not end within {MaxPages} pages");
    }

    public static async Task<List<long>> GongAsync(HttpClient client, StubApi api, DateTimeOffset? since = null)
    {
        var ids = new List<long>();
        string? cursor = null;
        for (var pages = 0; pages < MaxPages; pages++)
        {
            var request = new JsonObject { ["filter"] = since is { } s ? new JsonObject { ["fromDateTime"] = StubTime.Iso(s) } : new JsonObject() };
            if (cursor is not null)
                request["cursor"] = cursor;
            using var response = await client.PostAsJsonAsync(api.Url("/v2/calls/extensive"), request);
            response.EnsureSuccessStatusCode();
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            ids.AddRange(body["calls"]!.AsArray().Select(c => long.Parse(c!["metaData"]!["id"]!.GetValue<string>(), CultureInfo.InvariantCulture)));
            cursor = body["records"]!["cursor"]?.GetValue<string>();
            if (cursor is null)
                return ids;
        }
        throw new InvalidOperationException($"Gong did not end within {MaxPages} pages");
    }

    public static async Task<List<long>> HubSpotAsync(HttpClient client, StubApi api, int size, DateTimeOffset? since = null)
    {
        var ids = new List<long>();
        var filter = since is { } s ? $"&updated_since={Uri.EscapeDataString(StubTime.Iso(s))}" : "";
        var after = "";
        for (var pages = 0; pages < MaxPages; pages++)
        {
            var url = api.Url($"/crm/v3/objects/contacts?limit={size}&properties=firstname,lastname,email{filter}{after}");
            var body = (await client.GetFromJsonAsync<JsonObject>(url))!;
            ids.AddRange(body["results"]!.AsArray().Select(r => long.Parse(r!["id"]!.GetValue<string>(), CultureInfo.InvariantCulture)));
            if (body["paging"]?["next"]?["after"]?.GetValue<string>() is not { } next)
                return ids;
            after = $"&after={Uri.EscapeDataString(next)}";
        }
        throw new InvalidOperationException($"HubSpot did not end within {MaxPages} pages");
    }

    public static async Task<List<long>> SlackAsync(HttpClient client, StubApi api, string channel, int size, DateTimeOffset? oldest = null)
    {
        var ids = new List<long>();
        var filter = oldest is { } o ? $"&oldest={StubTime.SlackTs(o)}&inclusive=true" : "";
        var cursor = "";
        for (var pages = 0; pages < MaxPages; pages++)
        {
            var url = api.Url($"/api/conversations.history?channel={channel}&limit={size}{filter}{cursor}");
            var body = (await client.GetFromJsonAsync<JsonObject>(url))!;
            Assert.True(body["ok"]!.GetValue<bool>(), body.ToJsonString());
            ids.AddRange(body["messages"]!.AsArray().Select(m => long.Parse(m!["client_msg_id"]!.GetValue<string>()[^12..], CultureInfo.InvariantCulture)));
            if (!body["has_more"]!.GetValue<bool>())
                return ids;
            cursor = $"&cursor={Uri.EscapeDataString(body["response_metadata"]!["next_cursor"]!.GetValue<string>())}";
        }
        throw new InvalidOperationException($"Slack did not end within {MaxPages} pages");
    }

    /// <summary>The URL of RFC 8288's <c>rel="next"</c>, or null.</summary>
    public static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
            return null;
        foreach (var link in values.SelectMany(v => v.Split(',')))
        {
            var parts = link.Split(';', StringSplitOptions.TrimEntries);
            if (parts.Skip(1).Any(p => p.Replace(" ", "", StringComparison.Ordinal) == "rel=\"next\""))
                return parts[0].Trim('<', '>');
        }
        return null;
    }

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject ?? throw new JsonException("not an object");
}
