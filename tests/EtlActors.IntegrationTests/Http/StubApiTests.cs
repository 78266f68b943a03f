using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EtlActors.Testing.Http;

namespace EtlActors.IntegrationTests.Http;

/// <summary>
/// The stub paged API that HTTP source tests run against: every pagination style walks the records exactly once,
/// the incremental filters return what changed, and the log counts re-fetched pages. Split by subject over the
/// <c>StubApiTests.*.cs</c> files.
/// </summary>
public sealed partial class StubApiTests : IAsyncLifetime
{
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<StubApi> _apis = [];

    public static TheoryData<string, int> Styles()
    {
        var data = new TheoryData<string, int>();
        // 1 000 ends on a full page (the counting styles then ask for an empty one), 1 050 on a short one.
        foreach (var style in new[] { "cursor", "next-url", "link", "offset", "page" })
        {
            data.Add(style, 1_000);
            data.Add(style, 1_050);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Styles))]
    public async Task Each_items_pagination_style_walks_every_record_once_in_sort_order(string style, int records)
    {
        var api = await StartAsync(new StubApiOptions { Records = records, PageSize = 100, Seed = 1 });

        var ids = await StubWalk.ItemsAsync(_client, api, style, size: 100);

        Assert.Equal(api.Records.Select(r => r.Id), ids);
        Assert.Equal(records, ids.Distinct().Count());
        Assert.Equal(records, api.Stats.RecordsServed);
        Assert.Equal(0, api.Stats.PagesRefetched);
        // Sorted by update time, not by id: the generator deals times to ids in a shuffled order.
        Assert.NotEqual(ids.Order(), ids);
    }

    [Fact]
    public async Task Gong_HubSpot_and_Slack_walk_every_record_once()
    {
        var api = await StartAsync(new StubApiOptions { Records = 2_345, PageSize = 100, Seed = 7, Conversations = 3 });
        var all = api.Records.Select(r => r.Id).ToList();

        Assert.Equal(all, await StubWalk.GongAsync(_client, api));
        Assert.Equal(all, await StubWalk.HubSpotAsync(_client, api, size: 250));
        var slack = new List<long>();
        foreach (var channel in new[] { "C1", "C2", "C3" })
        {
            var ids = await StubWalk.SlackAsync(_client, api, channel, size: 100);
            Assert.Equal(api.Records.Where(r => r.Conversation == channel).Select(r => r.Id), ids);
            slack.AddRange(ids);
        }
        Assert.Equal(all.Order(), slack.Order());
        Assert.Equal(0, api.Stats.PagesRefetched);
    }

    [Fact]
    public async Task Responses_have_each_api_s_shape()
    {
        var api = await StartAsync(new StubApiOptions { Records = 3, PageSize = 2, Seed = 3 });
        var first = api.Records[0];

        var gong = await StubWalk.JsonAsync(await _client.PostAsJsonAsync(api.Url("/v2/calls/extensive"), new JsonObject()));
        Assert.Equal(3, gong["records"]!["totalRecords"]!.GetValue<int>());
        Assert.Equal(2, gong["records"]!["currentPageSize"]!.GetValue<int>());
        Assert.NotNull(gong["records"]!["cursor"]);
        var meta = gong["calls"]![0]!["metaData"]!;
        Assert.Equal(first.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), meta["id"]!.GetValue<string>());
        Assert.Equal(StubTime.Iso(first.UpdatedAt), meta["started"]!.GetValue<string>());
        Assert.Equal(first.Text, meta["title"]!.GetValue<string>());
        Assert.Equal(first.AuthorId, meta["primaryUserId"]!.GetValue<string>());
        Assert.Equal(first.Email, gong["calls"]![0]!["parties"]![0]!["emailAddress"]!.GetValue<string>());

        var hubspot = (await _client.GetFromJsonAsync<JsonObject>(api.Url("/crm/v3/objects/contacts?properties=firstname,email")))!;
        var contact = hubspot["results"]![0]!;
        Assert.Equal(first.FirstName, contact["properties"]!["firstname"]!.GetValue<string>());
        Assert.Null(contact["properties"]!["lastname"]);
        Assert.Equal(StubTime.Iso(first.UpdatedAt), contact["updatedAt"]!.GetValue<string>());
        Assert.StartsWith(api.BaseUrl, hubspot["paging"]!["next"]!["link"]!.GetValue<string>(), StringComparison.Ordinal);

        var slack = (await _client.GetFromJsonAsync<JsonObject>(api.Url("/api/conversations.history?channel=C1")))!;
        var message = slack["messages"]![0]!;
        Assert.Equal("message", message["type"]!.GetValue<string>());
        Assert.Equal(first.Ts, message["ts"]!.GetValue<string>());
        Assert.Equal(first.Text, message["text"]!.GetValue<string>());
        Assert.True(slack["has_more"]!.GetValue<bool>());
        // As in Slack, oldest is exclusive unless inclusive=true.
        var newer = (await _client.GetFromJsonAsync<JsonObject>(api.Url($"/api/conversations.history?channel=C1&oldest={first.Ts}")))!;
        Assert.Equal(api.Records[1].Ts, newer["messages"]![0]!["ts"]!.GetValue<string>());
        var unknown = (await _client.GetFromJsonAsync<JsonObject>(api.Url("/api/conversations.history?channel=C9")))!;
        Assert.False(unknown["ok"]!.GetValue<bool>());
        Assert.Equal("channel_not_found", unknown["error"]!.GetValue<string>());

        using var last = await _client.GetAsync(api.Url("/items?offset=2&limit=2"));
        var items = await StubWalk.JsonAsync(last);
        Assert.Null(items["next_cursor"]);
        Assert.Null(items["links"]!["next"]);
        Assert.Null(StubWalk.NextLink(last));
        Assert.Equal(api.Records[2].Text, items["items"]![0]!["text"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("gong")]
    [InlineData("hubspot")]
    [InlineData("slack")]
    [InlineData("items")]
    public async Task The_incremental_filter_returns_only_what_changed_since_the_watermark(string endpoint)
    {
        var api = await StartAsync(new StubApiOptions { Records = 500, PageSize = 50, Seed = 11 });
        var watermark = api.Records[^1].UpdatedAt;
        var updated = api.UpdateRecords(5, 17, 42);
        var added = api.AddRecords(2);

        // Inclusive of the watermark, as an incremental source with no lookback asks: the record at the watermark comes again.
        var since = watermark;
        var ids = endpoint switch
        {
            "gong" => await StubWalk.GongAsync(_client, api, since),
            "hubspot" => await StubWalk.HubSpotAsync(_client, api, 50, since),
            "slack" => await StubWalk.SlackAsync(_client, api, "C1", 50, since),
            _ => await StubWalk.ItemsAsync(_client, api, "cursor", 50, since),
        };

        var last = api.Records.Single(r => r.UpdatedAt == watermark).Id;
        Assert.Equal([last, 5, 17, 42, .. added.Select(r => r.Id)], ids);
        Assert.All(updated, r => Assert.True(r.UpdatedAt > watermark && r.Version == 2 && r.Text.EndsWith("(edit 2)", StringComparison.Ordinal)));
        Assert.Equal(api.Records.Where(r => r.UpdatedAt >= since).Select(r => r.Id), ids);
    }

    [Fact]
    public async Task A_cursor_asked_again_gets_the_same_page_and_counts_as_a_refetch()
    {
        var api = await StartAsync(new StubApiOptions { Records = 300, PageSize = 100, Seed = 5 });
        var first = (await _client.GetFromJsonAsync<JsonObject>(api.Url("/items")))!;
        var cursor = Uri.EscapeDataString(first["next_cursor"]!.GetValue<string>());

        var once = await _client.GetStringAsync(api.Url($"/items?cursor={cursor}"));
        var again = await _client.GetStringAsync(api.Url($"/items?cursor={cursor}"));

        Assert.Equal(once, again);
        var stats = api.Stats;
        Assert.Equal(1, stats.PagesRefetched);
        Assert.Equal([api.Log[1].PageKey!], stats.RefetchedPages());
        Assert.Equal(2, api.Log[1].Page);
        Assert.Equal(300, stats.RecordsServed);

        // Same seed, same records and cursors: a second stub serves the same bytes for the same cursor.
        var twin = await StartAsync(new StubApiOptions { Records = 300, PageSize = 100, Seed = 5 });
        var twinPage = await _client.GetStringAsync(twin.Url($"/items?cursor={cursor}"));
        Assert.Equal(once.Replace(api.BaseUrl, "", StringComparison.Ordinal), twinPage.Replace(twin.BaseUrl, "", StringComparison.Ordinal));
    }

    private async Task<StubApi> StartAsync(StubApiOptions options)
    {
        var api = await StubApi.StartAsync(options);
        _apis.Add(api);
        return api;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _client.Dispose();
        foreach (var api in _apis)
            await api.DisposeAsync();
    }
}
