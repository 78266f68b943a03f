using System.Text.Json;
using EtlActors.Dashboard.Access;
using EtlActors.Dashboard.Api;
using EtlActors.Dashboard.Live;
using Microsoft.AspNetCore.Http;

namespace EtlActors.Dashboard;

public static partial class EtlDashboardEndpointRouteBuilderExtensions
{
    /// <summary>Server-Sent Events: each event as it happens, and a comment every 15 s so that idle proxies keep the stream open.</summary>
    private static async Task StreamAsync(HttpContext context, DashboardFeed feed, DashboardUser user, CancellationToken stopping)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync("retry: 2000\n\n", both.Token);
        await response.Body.FlushAsync(both.Token);
        await using var events = feed.SubscribeAsync(user, both.Token).GetAsyncEnumerator(both.Token);
        var next = events.MoveNextAsync().AsTask();
        try
        {
            while (true)
            {
                var keepAlive = Task.Delay(TimeSpan.FromSeconds(15), both.Token);
                if (await Task.WhenAny(next, keepAlive) == keepAlive)
                {
                    await response.WriteAsync(": keep-alive\n\n", both.Token);
                    await response.Body.FlushAsync(both.Token);
                    continue;
                }
                if (!await next)
                    return;
                var e = events.Current;
                await response.WriteAsync($"event: {e.Name}\ndata: {JsonSerializer.Serialize(e.Data, DashboardJson.Options)}\n\n", both.Token);
                await response.Body.FlushAsync(both.Token);
                next = events.MoveNextAsync().AsTask();
            }
        }
        catch (OperationCanceledException)
        {
            // the browser left, or the node stops
        }
        finally
        {
            // An async iterator cannot be disposed while a MoveNextAsync is pending (NotSupportedException, which
            // Kestrel logged as an unhandled error each time a browser left a page): end that wait first.
            await both.CancelAsync();
            try
            {
                await next;
            }
            catch (OperationCanceledException)
            {
                // what the cancellation above asked for
            }
        }
    }
}
