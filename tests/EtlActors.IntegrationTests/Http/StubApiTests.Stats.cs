using EtlActors.Testing.Http;

namespace EtlActors.IntegrationTests.Http;

/// <summary>The figures over the log: request windows, Retry-After violations, re-fetched pages.</summary>
public sealed partial class StubApiTests
{
    // A whole second on the wall clock, so the aligned windows are known.
    private static readonly DateTimeOffset _wallStart = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Windows_are_counted_aligned_to_the_clock_and_sliding()
    {
        // Arrivals at 0.9, 1.1, 1.2, 1.8 and 2.05 s: the aligned seconds hold 1, 3 and 1; the second from 0.9 s holds 4.
        var stats = new StubApiStats([.. new[] { 0.9, 1.1, 1.2, 1.8, 2.05 }.Select((s, i) => Entry(i + 1, s))]);

        Assert.Equal(new WindowPeak(Aligned: 3, Sliding: 4), stats.MaxRequestsInAnyWindow(TimeSpan.FromSeconds(1)));
        Assert.Equal(new WindowPeak(Aligned: 5, Sliding: 5), stats.MaxRequestsInAnyWindow(TimeSpan.FromSeconds(10)));
        Assert.Equal(new WindowPeak(Aligned: 1, Sliding: 2), stats.MaxRequestsInAnyWindow(TimeSpan.FromMilliseconds(200)));
        Assert.Equal(new WindowPeak(0, 0), new StubApiStats([]).MaxRequestsInAnyWindow(TimeSpan.FromSeconds(1)));
        // Only the selected requests count: 0.9, 1.2 and 2.05 s.
        Assert.Equal(new WindowPeak(1, 2), stats.MaxRequestsInAnyWindow(TimeSpan.FromSeconds(1), e => e.Number % 2 == 1));
    }

    [Fact]
    public void A_retry_of_the_same_page_before_the_Retry_After_is_a_violation_by_tenant()
    {
        var throttled = Entry(1, 1.0, page: "p2", status: 429) with { RetryAfter = TimeSpan.FromSeconds(2), RetryNotBefore = TimeSpan.FromSeconds(3) };
        var log = new[]
        {
            throttled,
            Entry(2, 1.5, page: "p3"),                    // another page: no retry
            Entry(3, 2.0, page: "p2") with { Tenant = "other" }, // another tenant's request for the page
            Entry(4, 2.5, page: "p2"),                    // the retry, half a second early
            Entry(5, 2.6, page: "p2"),                    // later requests are not the retry
        };

        var violation = Assert.Single(new StubApiStats(log).RetryAfterRespected());

        Assert.Equal((1, 4), (violation.Throttled.Number, violation.Early.Number));
        Assert.Equal(TimeSpan.FromSeconds(0.5), violation.TooEarlyBy);
        Assert.Empty(new StubApiStats([throttled, Entry(2, 3.0, page: "p2")]).RetryAfterRespected());
        // A page counts as re-fetched per tenant: the other tenant's fetch of p2 is its first.
        Assert.Equal(1, new StubApiStats(log).PagesRefetched);
    }

    [Fact]
    public async Task A_burst_of_concurrent_requests_shows_in_the_window_figures()
    {
        var api = await StartAsync(new StubApiOptions { Records = 100, PageSize = 10 });

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => _client.GetStringAsync(api.Url($"/items?offset={i * 10 % 100}&limit=10"))));

        var stats = api.Stats;
        Assert.Equal(20, stats.RequestsServed);
        Assert.Equal(200, stats.RecordsServed);
        Assert.Equal(10, stats.PagesRefetched);
        Assert.Equal(Enumerable.Range(1, 20), api.Log.Select(e => e.Number));
        var peak = stats.MaxRequestsInAnyWindow(TimeSpan.FromSeconds(1));
        Assert.InRange(peak.Aligned, 1, peak.Sliding);
        Assert.Equal(20, stats.MaxRequestsInAnyWindow(TimeSpan.FromMinutes(5)).Sliding);
        // Wall times are the start's wall time plus the monotonic time, so the two never disagree.
        Assert.All(api.Log, e => Assert.Equal(e.At - api.Log[0].At, e.Wall - api.Log[0].Wall));
    }

    private static StubRequest Entry(int number, double seconds, string? page = null, int status = 200) =>
        new(number, TimeSpan.FromSeconds(seconds), _wallStart + TimeSpan.FromSeconds(seconds), TimeSpan.FromMilliseconds(5),
            "GET", "/items", null, null, status, status == 200 ? 10 : 0, page, 1, null, null, null);
}
