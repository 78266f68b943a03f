using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace EtlActors.Testing.Http;

/// <summary>
/// Slack-like <c>GET /api/conversations.history?channel=C1&amp;cursor=&amp;oldest=&amp;limit=</c>: the messages of
/// one conversation, oldest change first (Slack itself sends newest first). <c>oldest</c> (unix seconds) is exclusive
/// unless <c>inclusive=true</c>, as in Slack, and compares the message's <c>ts</c>, which here is its update time.
/// Errors are Slack's: 200 with <c>ok: false</c>.
/// </summary>
internal sealed class SlackEndpoint(int pageSize, int conversations) : IStubEndpoint
{
    public string Method => HttpMethods.Get;

    public string Path => "/api/conversations.history";

    public StubPageRequest Parse(HttpRequest request, string? body)
    {
        var channel = request.Query["channel"].ToString();
        if (!(channel.StartsWith('C') && int.TryParse(channel.AsSpan(1), out var n) && n >= 1 && n <= conversations && channel == $"C{n}"))
            throw Bad("channel_not_found");
        var size = StubParameters.Int(request, "limit", pageSize, 1, _ => Bad("invalid_limit"));
        DateTimeOffset? oldest = null;
        var oldestText = request.Query["oldest"].ToString();
        if (oldestText.Length > 0)
            oldest = StubTime.TryParseUnix(oldestText, out var at) ? at : throw Bad("invalid_ts_oldest");
        var inclusive = request.Query["inclusive"].ToString() is "true" or "1";
        var position = StubParameters.Cursor(request.Query["cursor"], _ => Bad("invalid_cursor"));
        return new StubPageRequest($"{Path}", new StubFilter(oldest, SinceExclusive: !inclusive, Conversation: channel), position, size);
    }

    public JsonNode Render(StubPageRequest request, StubPage page, HttpRequest httpRequest, HttpResponse response, int number) =>
        new JsonObject
        {
            ["ok"] = true,
            ["messages"] = new JsonArray([.. page.Records.Select(Message)]),
            ["has_more"] = page.HasMore,
            ["pin_count"] = 0,
            // Slack sends an empty next_cursor on the last page.
            ["response_metadata"] = new JsonObject { ["next_cursor"] = page.NextCursor ?? "" },
        };

    private static JsonObject Message(StubRecord r)
    {
        var message = new JsonObject
        {
            ["type"] = "message",
            ["user"] = r.AuthorId,
            ["text"] = r.Text,
            ["ts"] = r.Ts,
            ["client_msg_id"] = r.ClientMsgId,
            ["team"] = "T0STUB",
        };
        if (r.ThreadTs is { } thread)
            message["thread_ts"] = thread;
        if (r.Version > 1)
            message["edited"] = new JsonObject { ["user"] = r.AuthorId, ["ts"] = r.Ts };
        return message;
    }

    private static StubBadRequest Bad(string error) => new(200, new JsonObject { ["ok"] = false, ["error"] = error });
}
