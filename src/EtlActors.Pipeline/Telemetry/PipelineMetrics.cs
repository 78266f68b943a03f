using System.Diagnostics;
using System.Diagnostics.Metrics;
using EtlActors.Pipeline.Load;

namespace EtlActors.Pipeline.Telemetry;

/// <summary>
/// The instruments of the pipeline's plain .NET parts, on the meter every EtlActors metric shares. Names follow
/// OpenTelemetry's conventions (dotted, UCUM units); Prometheus scrapes <c>etl.http.requests</c> as
/// <c>etl_http_requests_total</c>. Labels stay bounded: hosts and status classes, never a job id or a URL.
/// </summary>
public static class PipelineMetrics
{
    /// <summary>The meter's name: what a MeterProvider listens to (<c>AddMeter("EtlActors")</c>).</summary>
    public const string MeterName = "EtlActors";

    /// <summary>The one meter of this assembly; the engine's instruments use a meter of the same name.</summary>
    internal static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> HttpRequests = Meter.CreateCounter<long>(
        "etl.http.requests", "{request}", "Requests HTTP sources sent, by host and status class (2xx, 4xx, 429, 5xx, error).");

    private static readonly Counter<double> HttpThrottled = Meter.CreateCounter<double>(
        "etl.http.throttled", "s", "Seconds HTTP sources waited because a server asked them to (Retry-After, a rate limit's reset).");

    private static readonly Counter<long> LoadBatches = Meter.CreateCounter<long>(
        "etl.load.batches", "{batch}", "Batches loaded into PostgreSQL, by how their messages and raw records went in: direct (COPY into the tables), staged (upserted), collided (a direct COPY met rows already there, then staged).");

    /// <summary>A batch was committed to PostgreSQL by <paramref name="path"/>.</summary>
    internal static void LoadBatch(LoadPath path) =>
        LoadBatches.Add(1, new KeyValuePair<string, object?>("path", path switch
        {
            LoadPath.Direct => "direct",
            LoadPath.Collided => "collided",
            _ => "staged",
        }));

    /// <summary>One request to <paramref name="host"/> ended with <paramref name="status"/> (null: no response).</summary>
    public static void HttpRequest(string host, int? status) =>
        HttpRequests.Add(1, new TagList { { "host", host }, { "status_class", StatusClass(status) } });

    /// <summary>A server made a source wait <paramref name="wait"/> before its next request to <paramref name="host"/>.</summary>
    public static void Throttled(string host, TimeSpan wait)
    {
        if (wait > TimeSpan.Zero)
            HttpThrottled.Add(wait.TotalSeconds, new KeyValuePair<string, object?>("host", host));
    }

    private static string StatusClass(int? status) => status switch
    {
        null => "error",
        429 => "429",
        >= 200 and < 300 => "2xx",
        >= 300 and < 400 => "3xx",
        >= 400 and < 500 => "4xx",
        _ => "5xx",
    };
}
