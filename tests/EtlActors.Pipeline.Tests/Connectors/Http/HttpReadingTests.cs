using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using EtlActors.Pipeline.Connectors.Files.Mapping;
using EtlActors.Pipeline.Connectors.Http.Config;
using EtlActors.Pipeline.Connectors.Http.Extract;

namespace EtlActors.Pipeline.Tests.Connectors.Http;

/// <summary>The pure parts of reading an API: the next page by each pagination, requests, watermarks and positions.</summary>
public class HttpReadingTests
{
    private static readonly Uri Requested = new("https://api.example.com/v1/items?limit=2");
    private static readonly FileMapping Messages = FileMapping.Parse("""
        into: messages
        columns: { conversation_id: channel, message_id: id }
        """, "test");

    private static HttpResponseHeaders Headers(params (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage();
        foreach (var (name, value) in headers)
            response.Headers.TryAddWithoutValidation(name, value);
        return response.Headers;
    }

    private static PageRequest? Next(Pagination pagination, string body, int records, PageRequest? current = null, HttpResponseHeaders? headers = null)
    {
        using var document = JsonDocument.Parse(body);
        return Paginators.Next(pagination, current, document.RootElement, headers ?? Headers(), records, Requested);
    }

    [Fact]
    public void A_cursor_comes_from_the_body_and_ends_when_missing_empty_or_repeated()
    {
        var cursor = new Pagination.Cursor("paging.next.after", new Parameter("after", ParameterPlace.Query));
        Assert.Equal(new PageRequest(Cursor: "c2"), Next(cursor, """{"paging":{"next":{"after":"c2"}}}""", 2));
        Assert.Equal(new PageRequest(Cursor: "42"), Next(cursor, """{"paging":{"next":{"after":42}}}""", 2));
        Assert.Null(Next(cursor, """{"paging":{}}""", 2));
        Assert.Null(Next(cursor, """{"paging":{"next":{"after":""}}}""", 2));
        Assert.Null(Next(cursor, """{"paging":{"next":{"after":"c2"}}}""", 2, new PageRequest(Cursor: "c2")));
        Assert.Null(Next(cursor, """{"paging":{"next":{"after":"c3"}}}""", 0)); // an empty page ends every kind
    }

    [Fact]
    public void A_next_url_is_taken_from_the_body_or_the_link_header_relative_to_the_request()
    {
        Assert.Equal(new PageRequest(Url: "https://api.example.com/v1/items?page=2"),
            Next(new Pagination.NextUrl("links.next"), """{"links":{"next":"/v1/items?page=2"}}""", 2));
        Assert.Null(Next(new Pagination.NextUrl("links.next"), """{"links":{"next":null}}""", 2));

        var link = Headers(("Link", """<https://api.example.com/v1/items?page=1>; rel="prev", <https://api.example.com/v1/items?page=3>; rel="next last" """));
        Assert.Equal(new PageRequest(Url: "https://api.example.com/v1/items?page=3"), Next(new Pagination.LinkHeader(), "{}", 2, headers: link));
        Assert.Null(Next(new Pagination.LinkHeader(), "{}", 2, headers: Headers(("Link", """<https://x/a>; rel="prev" """))));
        Assert.Null(Next(new Pagination.LinkHeader(), "{}", 2));
    }

    [Fact]
    public void Offsets_and_page_numbers_advance_until_a_short_page()
    {
        var offset = new Pagination.OffsetLimit(new Parameter("offset", ParameterPlace.Query), new Parameter("limit", ParameterPlace.Query), 2);
        Assert.Equal(new PageRequest(Offset: 2), Next(offset, "{}", 2));
        Assert.Equal(new PageRequest(Offset: 6), Next(offset, "{}", 2, new PageRequest(Offset: 4)));
        Assert.Null(Next(offset, "{}", 1, new PageRequest(Offset: 4)));

        var pages = new Pagination.PageNumber(new Parameter("page", ParameterPlace.Query), 1, new Parameter("per_page", ParameterPlace.Query), 2);
        Assert.Equal(new PageRequest(Number: 2), Next(pages, "{}", 2));
        Assert.Equal(new PageRequest(Number: 4), Next(pages, "{}", 2, new PageRequest(Number: 3)));
        Assert.Null(Next(pages, "{}", 1, new PageRequest(Number: 3)));
    }

    [Fact]
    public async Task A_request_carries_the_query_the_page_the_watermark_and_the_credentials()
    {
        var resource = new HttpResource("calls", "/calls/extensive", HttpMethod.Post, [new("workspace", "w1")],
            new JsonObject { ["filter"] = new JsonObject { ["workspaceId"] = "w1" } }, "calls",
            new Pagination.Cursor("records.cursor", new Parameter("cursor", ParameterPlace.Body)),
            new Incremental("metaData.started", new Parameter("filter.fromDateTime", ParameterPlace.Body), WatermarkType.Timestamp, TimeSpan.Zero, null),
            Messages);
        var config = Config(resource, new HttpAuth.ApiKey(new Parameter("api_key", ParameterPlace.Query), "k3y"));
        using var request = PageRequests.Build(config, resource, new PageRequest(Cursor: "c9"), "2026-01-01T00:00:00Z", accessToken: null);

        Assert.Equal("https://api.example.com/v2/calls/extensive?workspace=w1&api_key=k3y", request.RequestUri!.ToString());
        Assert.Equal(HttpMethod.Post, request.Method);
        var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync())!;
        Assert.Equal("""{"filter":{"workspaceId":"w1","fromDateTime":"2026-01-01T00:00:00Z"},"cursor":"c9"}""", body.ToJsonString());
        Assert.Equal("team", request.Headers.GetValues("X-Team").Single());
        Assert.Equal("w1", resource.Body!["filter"]!["workspaceId"]!.GetValue<string>()); // the resource's own body is not changed
        Assert.Null(resource.Body["filter"]!["fromDateTime"]);
    }

    [Fact]
    public void Basic_bearer_and_header_keys_go_in_headers()
    {
        var resource = new HttpResource("items", "items", HttpMethod.Get, [], null, "$", new Pagination.None(), null, Messages);
        using var basic = PageRequests.Build(Config(resource, new HttpAuth.Basic("u", "p")), resource, null, null, null);
        Assert.Equal("Basic dTpw", basic.Headers.Authorization!.ToString());
        using var bearer = PageRequests.Build(Config(resource, new HttpAuth.Bearer("t0k")), resource, null, null, null);
        Assert.Equal("Bearer t0k", bearer.Headers.Authorization!.ToString());
        using var key = PageRequests.Build(Config(resource, new HttpAuth.ApiKey(new Parameter("X-Api-Key", ParameterPlace.Header), "k")), resource, null, null, null);
        Assert.Equal("k", key.Headers.GetValues("X-Api-Key").Single());
        Assert.Equal("https://api.example.com/v2/items", key.RequestUri!.ToString());
        using var next = PageRequests.Build(Config(resource, null), resource, new PageRequest(Url: "https://api.example.com/v2/items?page=2"), null, null);
        Assert.Equal("https://api.example.com/v2/items?page=2", next.RequestUri!.ToString());

        var queryKey = Config(resource, new HttpAuth.ApiKey(new Parameter("api_key", ParameterPlace.Query), "k"));
        using var keyed = PageRequests.Build(queryKey, resource, new PageRequest(Url: "https://api.example.com/v2/items?page=2"), null, null);
        Assert.Equal("https://api.example.com/v2/items?page=2&api_key=k", keyed.RequestUri!.ToString());
        using var carried = PageRequests.Build(queryKey, resource, new PageRequest(Url: "https://api.example.com/v2/items?api_key=k&page=3"), null, null);
        Assert.Equal("https://api.example.com/v2/items?api_key=k&page=3", carried.RequestUri!.ToString()); // not sent twice
    }

    [Fact]
    public void Watermarks_keep_the_highest_value_and_move_back_by_the_lookback()
    {
        Assert.Equal("2026-02-01T00:00:00Z", Watermarks.Max("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", WatermarkType.Timestamp));
        Assert.Equal("2026-02-01T00:00:00Z", Watermarks.Max("2026-02-01T00:00:00Z", "not a date", WatermarkType.Timestamp));
        Assert.Equal("1714557600.000200", Watermarks.Max("1714557600.000100", "1714557600.000200", WatermarkType.Unix));
        Assert.Equal("9", Watermarks.Max(null, "9", WatermarkType.UnixMs));

        Incremental Inc(WatermarkType type, TimeSpan lookback) => new("f", new Parameter("since", ParameterPlace.Query), type, lookback, "first");
        Assert.Equal("first", Watermarks.SinceFor(null, Inc(WatermarkType.Timestamp, TimeSpan.Zero)));
        Assert.Equal("2026-01-31T23:00:00Z", Watermarks.SinceFor("2026-02-01T00:00:00Z", Inc(WatermarkType.Timestamp, TimeSpan.FromHours(1))));
        Assert.Equal("1714554000.0001", Watermarks.SinceFor("1714557600.000100", Inc(WatermarkType.Unix, TimeSpan.FromHours(1))));
        Assert.Equal("1714557599000", Watermarks.SinceFor("1714557600000", Inc(WatermarkType.UnixMs, TimeSpan.FromSeconds(1))));
        Assert.Equal("1714557600", Watermarks.SinceFor("1714557600", Inc(WatermarkType.Unix, TimeSpan.Zero)));
    }

    [Fact]
    public void A_position_round_trips_as_its_token_and_a_foreign_token_is_an_error_naming_the_source()
    {
        var position = new HttpPosition(1, new PageRequest(Cursor: "c2"), 200,
            new Dictionary<string, Watermark> { ["calls"] = new("2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z") });
        var token = position.ToToken();
        var back = HttpPosition.Parse(token, "gong.yaml");
        Assert.Equal((1, new PageRequest(Cursor: "c2"), 200L), (back.Resource, back.Page, back.PageStart));
        Assert.Equal(position.Watermarks!["calls"], back.Watermarks!["calls"]);
        Assert.Same(HttpPosition.Start, HttpPosition.Parse(null, "gong.yaml"));
        var ex = Assert.Throws<Records.SourceFormatException>(() => HttpPosition.Parse("not json", "gong.yaml"));
        Assert.StartsWith("gong.yaml: the job's checkpoint position is not an HTTP source's", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rate_limit_and_retry_after_headers_say_how_long_to_wait()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), HttpFetcher.RetryAfter(Headers(("Retry-After", "3"))));
        var date = HttpFetcher.RetryAfter(Headers(("Retry-After", DateTimeOffset.UtcNow.AddSeconds(30).ToString("R"))));
        Assert.InRange(date!.Value, TimeSpan.FromSeconds(28), TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.Zero, HttpFetcher.RetryAfter(Headers(("Retry-After", DateTimeOffset.UtcNow.AddSeconds(-30).ToString("R")))));
        Assert.Null(HttpFetcher.RetryAfter(Headers()));

        Assert.Null(HttpFetcher.RateLimitReset(Headers(("X-RateLimit-Remaining", "5"), ("X-RateLimit-Reset", "10"))));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_900_000_000), HttpFetcher.RateLimitReset(Headers(("RateLimit-Remaining", "0"), ("RateLimit-Reset", "1900000000"))));
        var soon = HttpFetcher.RateLimitReset(Headers(("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "10")));
        Assert.InRange(soon!.Value - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Secrets_are_removed_from_text_also_as_they_appear_in_a_url()
    {
        var resource = new HttpResource("items", "items", HttpMethod.Get, [], null, "$", new Pagination.None(), null, Messages);
        var config = Config(resource, null) with { Secrets = ["s3cr/t+", "s3cr"] };
        Assert.Equal("key=*** and ***", config.Redact("key=s3cr%2Ft%2B and s3cr/t+"));
    }

    private static HttpSourceConfig Config(HttpResource resource, HttpAuth? auth) =>
        new("", new Uri("https://api.example.com/v2/"), [new("X-Team", "team")], auth, null, TimeSpan.FromSeconds(5), 2, [resource]);
}
