using System.Diagnostics;
using System.Net;
using EtlActors.Testing.Http;

namespace EtlActors.IntegrationTests.Http;

/// <summary>Scripted faults are served as scripted, and the log says which request each hit.</summary>
public sealed partial class StubApiTests
{
    [Fact]
    public async Task A_429_with_Retry_After_in_seconds_is_served_and_an_early_retry_is_a_violation()
    {
        var api = await StartAsync(new StubApiOptions { Records = 50, PageSize = 10 });
        api.Faults.Add(StubFault.TooManyRequests(TimeSpan.FromSeconds(1)) with { OnRequest = 1, Times = 1 });
        api.Faults.Add(StubFault.TooManyRequests(TimeSpan.FromSeconds(1)) with { OnRequest = 3 });

        using var throttled = await _client.GetAsync(api.Url("/items"));
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), throttled.Headers.RetryAfter?.Delta);
        // A client that waits as told: no violation.
        await Task.Delay(throttled.Headers.RetryAfter!.Delta!.Value);
        using var retried = await _client.GetAsync(api.Url("/items"));
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Empty(api.Stats.RetryAfterRespected());

        // A client that does not: its retry of the same page comes too early.
        using var again = await _client.GetAsync(api.Url("/items"));
        using var tooSoon = await _client.GetAsync(api.Url("/items"));
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        var violation = Assert.Single(api.Stats.RetryAfterRespected());
        Assert.Equal(3, violation.Throttled.Number);
        Assert.Equal(4, violation.Early.Number);
        Assert.InRange(violation.TooEarlyBy, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Equal([StubFaultKind.TooManyRequests, null, StubFaultKind.TooManyRequests, null], api.Log.Select(e => e.Fault));
        Assert.Equal(0, api.Faults.Remaining);
    }

    [Fact]
    public async Task A_429_with_Retry_After_as_an_HTTP_date_names_a_whole_second_far_enough_ahead()
    {
        var api = await StartAsync(new StubApiOptions { Records = 50, PageSize = 10 });
        api.Faults.Add(StubFault.TooManyRequestsUntilDate(TimeSpan.FromSeconds(1)));

        var before = DateTimeOffset.UtcNow;
        using var throttled = await _client.GetAsync(api.Url("/items"));

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        var date = throttled.Headers.RetryAfter?.Date ?? throw new Xunit.Sdk.XunitException("no Retry-After date");
        Assert.Equal(0, date.UtcTicks % TimeSpan.TicksPerSecond);
        Assert.InRange(date, before.AddSeconds(1), DateTimeOffset.UtcNow.AddSeconds(2));
        var entry = Assert.Single(api.Log);
        Assert.InRange(entry.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        // Waiting until the date is enough.
        await Task.Delay(date - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(20));
        using var retried = await _client.GetAsync(api.Url("/items"));
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Empty(api.Stats.RetryAfterRespected());
    }

    [Fact]
    public async Task Server_errors_hit_the_path_and_page_they_are_scripted_for()
    {
        var api = await StartAsync(new StubApiOptions { Records = 50, PageSize = 10 });
        api.Faults.Add(StubFault.ServerError() with { OnPath = "/items", OnPage = 3 });
        api.Faults.Add(StubFault.Unavailable(TimeSpan.FromSeconds(2)) with { OnPath = "/crm/v3/objects/contacts", Times = 2 });

        Assert.Equal(HttpStatusCode.InternalServerError, (await _client.GetAsync(api.Url("/items?page=3&per_page=10"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(api.Url("/items?page=3&per_page=10"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(api.Url("/items?offset=30&limit=10"))).StatusCode);
        using var unavailable = await _client.GetAsync(api.Url("/crm/v3/objects/contacts"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), unavailable.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await _client.GetAsync(api.Url("/crm/v3/objects/contacts?limit=5"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(api.Url("/crm/v3/objects/contacts"))).StatusCode);

        Assert.Equal([500, 200, 200, 503, 503, 200], api.Log.Select(e => e.Status));
        Assert.Equal([3, 3, 4, 1, 1, 1], api.Log.Select(e => e.Page ?? 0));
        Assert.Equal(0, api.Log[0].RecordsServed);
        Assert.Equal(10, api.Log[1].RecordsServed);
    }

    [Fact]
    public async Task A_slow_response_is_served_late_or_abandoned_by_a_client_that_times_out()
    {
        var api = await StartAsync(new StubApiOptions { Records = 50, PageSize = 10 });
        api.Faults.Add(StubFault.Slow(TimeSpan.FromMilliseconds(400)));
        api.Faults.Add(StubFault.Slow(TimeSpan.FromSeconds(20)));

        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(api.Url("/items"))).StatusCode);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(400), $"served after {clock.Elapsed}");

        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };
        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.GetAsync(api.Url("/items")));

        // The abandoned request is logged once the stub notices the client went away.
        var log = await EtlActors.Testing.Eventually.UntilAsync(
            () => Task.FromResult(api.Log), l => l.Count == 2, TimeSpan.FromSeconds(10), "the abandoned request logged");
        Assert.Equal((200, StubFaultKind.Slow), (log[0].Status, log[0].Fault!.Value));
        Assert.True(log[0].Duration >= TimeSpan.FromMilliseconds(400));
        Assert.Equal((0, 0), (log[1].Status, log[1].RecordsServed));
        Assert.False(log[1].Served);
    }

    [Fact]
    public async Task A_dropped_connection_and_a_truncated_body_fail_the_client()
    {
        var api = await StartAsync(new StubApiOptions { Records = 50, PageSize = 10 });
        api.Faults.Add(StubFault.Drop() with { OnRequest = 1 });
        api.Faults.Add(StubFault.Truncate() with { OnRequest = 2 });

        await Assert.ThrowsAsync<HttpRequestException>(() => _client.GetAsync(api.Url("/items")));
        var truncated = await Record.ExceptionAsync(() => _client.GetStringAsync(api.Url("/items")));
        Assert.True(truncated is HttpRequestException or IOException, $"got {truncated}");
        Assert.Equal(10, (await StubWalk.JsonAsync(await _client.GetAsync(api.Url("/items"))))["items"]!.AsArray().Count);

        var log = api.Log;
        Assert.Equal([(0, StubFaultKind.Drop), (200, StubFaultKind.Truncate)], log.Take(2).Select(e => (e.Status, e.Fault!.Value)));
        Assert.Equal([false, false, true], log.Select(e => e.Served));
        Assert.Equal(10, api.Stats.RecordsServed);
        // Only complete pages count: the page served after the drop and the truncation is not a re-fetch.
        Assert.Equal(0, api.Stats.PagesRefetched);
    }
}
