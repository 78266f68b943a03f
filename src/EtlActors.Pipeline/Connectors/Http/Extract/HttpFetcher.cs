using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using EtlActors.Pipeline.Connectors.Http.Config;
using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Telemetry;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace EtlActors.Pipeline.Connectors.Http.Extract;

/// <summary>A response as read: its status, headers and whole body (read inside the retry, so a dropped body is retried too).</summary>
internal sealed record FetchedPage(HttpStatusCode Status, HttpResponseHeaders Headers, byte[] Body, Uri Url);

/// <summary>
/// Sends a source's requests: each attempt admitted by the request gate, timed out by the config's timeout, and
/// retried (Polly) on 429, 5xx, timeouts and dropped connections with exponential backoff and jitter, waiting
/// what a <c>Retry-After</c> asks (seconds or an HTTP date) and until an exhausted rate limit resets.
/// Another 4xx fails the job at once; retries spent fail the run, which the engine restarts from its checkpoint.
/// </summary>
internal sealed class HttpFetcher(HttpSourceConfig config, string sourceName, SourceRead read, HttpClient client)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);
    private readonly RequestBudget? _budget = config.RateLimit is { } limit ? new RequestBudget(config.Host, limit.RequestsPerSecond, limit.Concurrent) : null;
    private readonly OAuth2Tokens? _tokens = config.Auth is HttpAuth.OAuth2ClientCredentials oauth ? new OAuth2Tokens(oauth, client) : null;
    private readonly ResiliencePipeline<FetchedPage> _retries = Retries(config);
    private DateTimeOffset _notBefore = DateTimeOffset.MinValue;

    public async Task<FetchedPage> FetchAsync(HttpResource resource, PageRequest? page, string? since, CancellationToken cancellationToken)
    {
        FetchedPage fetched;
        try
        {
            fetched = await _retries.ExecuteAsync(async ct => await SendAsync(resource, page, since, ct).ConfigureAwait(false), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or IOException && !cancellationToken.IsCancellationRequested)
        {
            var what = ex is TimeoutRejectedException ? $"no answer within {config.Timeout.TotalSeconds:0.#} s" : ex.Message;
            throw new HttpSourceException(config.Redact($"{sourceName}: {resource.Name}: {what} (after {config.MaxRetries} retries)"), ex);
        }
        var status = (int)fetched.Status;
        if (status is >= 200 and < 300)
            return fetched;
        var described = config.Redact($"{sourceName}: {resource.Name}: {resource.Method} {fetched.Url}: {status} {fetched.Status}");
        if (Transient(fetched.Status))
            throw new HttpSourceException($"{described} (after {config.MaxRetries} retries)");
        throw new SourceFormatException(sourceName, config.Redact($"{resource.Name}: {resource.Method} {fetched.Url}: {status} {fetched.Status}"));
    }

    private async ValueTask<FetchedPage> SendAsync(HttpResource resource, PageRequest? page, string? since, CancellationToken cancellationToken)
    {
        var wait = _notBefore - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            PipelineMetrics.Throttled(config.Host, wait);
            await Task.Delay(wait + TimerSlack, cancellationToken).ConfigureAwait(false);
        }
        var token = _tokens is null ? null : await _tokens.GetAsync(cancellationToken).ConfigureAwait(false);
        await using var permit = _budget is null
            ? null
            : await read.Gate.AcquireAsync(_budget, read.TenantId, cancellationToken).ConfigureAwait(false);
        using var request = PageRequests.Build(config, resource, page, since, token);
        HttpResponseMessage sent;
        try
        {
            sent = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            PipelineMetrics.HttpRequest(config.Host, null);
            throw;
        }
        using var response = sent;
        PipelineMetrics.HttpRequest(config.Host, (int)response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (RateLimitReset(response.Headers) is { } reset)
            _notBefore = reset;
        if (response.StatusCode == HttpStatusCode.Unauthorized && _tokens is not null)
            _tokens.Expire(); // a token revoked early: the next attempt fetches another
        return new FetchedPage(response.StatusCode, response.Headers, body, request.RequestUri!);
    }

    private static ResiliencePipeline<FetchedPage> Retries(HttpSourceConfig config)
    {
        var builder = new ResiliencePipelineBuilder<FetchedPage>();
        if (config.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<FetchedPage>
            {
                MaxRetryAttempts = config.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(250),
                MaxDelay = MaxBackoff,
                ShouldHandle = new PredicateBuilder<FetchedPage>()
                    .Handle<HttpRequestException>()
                    .Handle<IOException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(page => Transient(page.Status) || (page.Status == HttpStatusCode.Unauthorized && config.Auth is HttpAuth.OAuth2ClientCredentials)),
                // The server's word beats our backoff: Retry-After in seconds or as a date.
                // Timers fire on a coarse tick and may end a hair before the server's clock says the wait is over
                // (CI saw a retry 0.3 ms early): a little slack keeps the retry after it.
                DelayGenerator = args =>
                {
                    if (args.Outcome.Result is not { } page || RetryAfter(page.Headers) is not { } wait)
                        return ValueTask.FromResult<TimeSpan?>(null);
                    PipelineMetrics.Throttled(config.Host, wait);
                    return ValueTask.FromResult<TimeSpan?>(wait + TimerSlack);
                },
            });
        }
        return builder.AddTimeout(config.Timeout).Build();
    }

    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(20);

    private static bool Transient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    /// <summary>How long a <c>Retry-After</c> asks to wait (never negative), or null when there is none.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers) => headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>
    /// When a rate limit the server reports (<c>X-RateLimit-Remaining: 0</c> or <c>RateLimit-Remaining: 0</c>) resets:
    /// its <c>Reset</c> is seconds from now, or a Unix time when it is that large; null while requests remain.
    /// </summary>
    public static DateTimeOffset? RateLimitReset(HttpResponseHeaders headers)
    {
        foreach (var prefix in new[] { "X-RateLimit-", "RateLimit-" })
        {
            if (Number(headers, prefix + "Remaining") is not 0)
                continue;
            if (Number(headers, prefix + "Reset") is not { } reset)
                continue;
            return reset > 1_000_000_000 ? DateTimeOffset.FromUnixTimeSeconds((long)reset) : DateTimeOffset.UtcNow.AddSeconds(reset);
        }
        return null;
    }

    private static double? Number(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values)
        && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}

/// <summary>An API that kept failing (429, 5xx, timeouts, dropped connections) past its retries: the engine restarts the run from its checkpoint.</summary>
public sealed class HttpSourceException(string message, Exception? inner = null) : Exception(message, inner);
