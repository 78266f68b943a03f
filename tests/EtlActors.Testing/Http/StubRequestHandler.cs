using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace EtlActors.Testing.Http;

/// <summary>
/// Every request's way through the stub: log it, check its credentials, work out the page it asks for, let a
/// scripted fault hit it, then serve the page. Each request is logged once: just before the client can have the end of
/// its answer (a test that has read a response finds it in the log), or when it ends without one.
/// </summary>
internal sealed class StubRequestHandler(
    StubRecordStore store, StubFaults faults, StubRequestLog log, StubAuth auth, IReadOnlyList<IStubEndpoint> endpoints, CancellationToken stopping)
{
    // Non-ASCII as UTF-8 rather than \u escapes, as real APIs send it.
    private static readonly JsonSerializerOptions _json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task HandleAsync(HttpContext http)
    {
        var number = log.NextNumber();
        var at = log.Now;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        var outcome = new Outcome();
        string? body = null;
        outcome.LogWith(() => log.Add(new StubRequest(
            number, at, log.WallAt(at), log.Now - at, http.Request.Method, $"{http.Request.Path}{http.Request.QueryString}",
            string.IsNullOrEmpty(body) ? null : body, outcome.Tenant, outcome.Status, outcome.Records, outcome.PageKey, outcome.Page,
            outcome.Fault, outcome.RetryAfter, outcome.RetryNotBefore)));
        try
        {
            using (var reader = new StreamReader(http.Request.Body))
                body = await reader.ReadToEndAsync(cancel.Token);
            await ServeAsync(http, number, body.Length == 0 ? null : body, outcome, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The client gave up (its timeout) or the stub is stopping: nothing was sent.
            outcome.Status = 0;
        }
        finally
        {
            outcome.Log();
        }
    }

    private async Task ServeAsync(HttpContext http, int number, string? body, Outcome outcome, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var path = request.Path.Value ?? "/";
        if (path == StubAuth.TokenPath)
        {
            var (status, json, client) = auth.Issue(request, body);
            outcome.Tenant = auth.TenantOf(request, client);
            if (!await FaultAsync(http, number, path, null, outcome, cancellationToken))
                await WriteAsync(http, outcome, status, json, cancellationToken);
            return;
        }
        var admitted = auth.Admits(request, out var credentialTenant);
        outcome.Tenant = auth.TenantOf(request, credentialTenant);
        if (!admitted)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"stub\"";
            await WriteAsync(http, outcome, 401, new JsonObject { ["error"] = "unauthorized" }, cancellationToken);
            return;
        }
        var endpoint = endpoints.FirstOrDefault(e => e.Path == path);
        if (endpoint is null || !string.Equals(endpoint.Method, request.Method, StringComparison.OrdinalIgnoreCase))
        {
            if (!await FaultAsync(http, number, path, null, outcome, cancellationToken))
                await WriteAsync(http, outcome, endpoint is null ? 404 : 405, new JsonObject { ["error"] = $"no {request.Method} {path}" }, cancellationToken);
            return;
        }
        StubPageRequest pageRequest;
        try
        {
            pageRequest = endpoint.Parse(request, body);
        }
        catch (StubBadRequest bad)
        {
            if (!await FaultAsync(http, number, path, null, outcome, cancellationToken))
                await WriteAsync(http, outcome, bad.Status, bad.Body, cancellationToken);
            return;
        }
        var page = StubPaging.Take(store.Snapshot(), pageRequest);
        outcome.PageKey = pageRequest.PageKey;
        outcome.Page = page.Number(pageRequest.Size);
        if (await FaultAsync(http, number, path, outcome.Page, outcome, cancellationToken))
            return;
        var rendered = endpoint.Render(pageRequest, page, request, http.Response, number);
        if (outcome.Fault != StubFaultKind.Truncate)
            outcome.Records = page.Records.Count;
        await WriteAsync(http, outcome, 200, rendered, cancellationToken);
    }

    /// <summary>Lets the first matching fault hit the request; true when it answered (or dropped) the request itself.</summary>
    private async Task<bool> FaultAsync(HttpContext http, int number, string path, int? page, Outcome outcome, CancellationToken cancellationToken)
    {
        if (faults.Take(number, path, page, outcome.Tenant) is not { } fault)
            return false;
        outcome.Fault = fault.Kind;
        switch (fault.Kind)
        {
            case StubFaultKind.Slow:
                // Task.Delay runs on a coarser clock than the log's and may end a little early: wait out the rest.
                var until = log.Now + fault.Delay;
                for (TimeSpan left; (left = until - log.Now) > TimeSpan.Zero;)
                    await Task.Delay(left + TimeSpan.FromMilliseconds(1), cancellationToken);
                return false;
            case StubFaultKind.Truncate:
                // Served by WriteAsync, which sends half the body and then drops.
                return false;
            case StubFaultKind.Drop:
                outcome.Status = 0;
                outcome.Log();
                http.Abort();
                return true;
            case StubFaultKind.TooManyRequests:
                SetRetryAfter(http.Response, fault, outcome);
                await WriteAsync(http, outcome, 429, new JsonObject { ["error"] = "rate_limited" }, cancellationToken);
                return true;
            case StubFaultKind.ServerError:
                await WriteAsync(http, outcome, 500, new JsonObject { ["error"] = "internal" }, cancellationToken);
                return true;
            default:
                SetRetryAfter(http.Response, fault, outcome);
                await WriteAsync(http, outcome, 503, new JsonObject { ["error"] = "unavailable" }, cancellationToken);
                return true;
        }
    }

    // The wait is measured from when the stub answers; as a date it is rounded up to a whole second (HTTP dates
    // have no fraction) and placed on the real wall clock, which is what a client compares it with.
    private void SetRetryAfter(HttpResponse response, StubFault fault, Outcome outcome)
    {
        if (fault.RetryAfter is not { } wait)
            return;
        var now = log.Now;
        if (fault.RetryAfterAsDate)
        {
            var wall = DateTimeOffset.UtcNow;
            var until = wall + wait;
            var ticks = until.UtcTicks % TimeSpan.TicksPerSecond;
            until = ticks == 0 ? until : until.AddTicks(TimeSpan.TicksPerSecond - ticks);
            response.Headers.RetryAfter = until.ToString("R", CultureInfo.InvariantCulture);
            outcome.RetryAfter = until - wall;
        }
        else
        {
            var seconds = (long)Math.Ceiling(wait.TotalSeconds);
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            outcome.RetryAfter = TimeSpan.FromSeconds(seconds);
        }
        outcome.RetryNotBefore = now + outcome.RetryAfter;
    }

    private static async Task WriteAsync(HttpContext http, Outcome outcome, int status, JsonNode body, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, _json);
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.ContentLength = bytes.Length;
        outcome.Status = status;
        outcome.Log();
        if (outcome.Fault == StubFaultKind.Truncate)
        {
            await http.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), cancellationToken);
            await http.Response.Body.FlushAsync(cancellationToken);
            http.Abort();
            return;
        }
        await http.Response.Body.WriteAsync(bytes, cancellationToken);
    }

    private sealed class Outcome
    {
        public int Status { get; set; }
        public int Records { get; set; }
        public string? Tenant { get; set; }
        public string? PageKey { get; set; }
        public int? Page { get; set; }
        public StubFaultKind? Fault { get; set; }
        public TimeSpan? RetryAfter { get; set; }
        public TimeSpan? RetryNotBefore { get; set; }

        private Action? _log;

        /// <summary>How to log the request: with the outcome as it is when <see cref="Log"/> is first called.</summary>
        public void LogWith(Action log) => _log = log;

        /// <summary>Logs the request, the first time only.</summary>
        public void Log() => Interlocked.Exchange(ref _log, null)?.Invoke();
    }
}
