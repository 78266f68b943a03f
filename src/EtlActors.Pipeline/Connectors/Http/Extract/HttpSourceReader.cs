using System.Runtime.CompilerServices;
using System.Text.Json;
using EtlActors.Pipeline.Connectors.Files.Mapping;
using EtlActors.Pipeline.Connectors.Http.Config;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Connectors.Http.Extract;

/// <summary>
/// Reads an HTTP source's resources in order, page by page. Records are numbered across pages; each carries the
/// position to continue from after it (its page's request while the page goes on; after its page's last record,
/// the next page's). Before fetching a page the reader waits until every record before it is checkpointed, so at
/// most one page is ever in flight: a killed job fetches again only that page, and skips its loaded records.
/// </summary>
internal static class HttpSourceReader
{
    public static async IAsyncEnumerable<ExtractedRecord> ReadAsync(
        HttpSourceConfig config, string sourceName, SourceRead read, HttpClient client, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var fetcher = new HttpFetcher(config, sourceName, read, client);
        var (position, watermarks) = Begin(config, HttpPosition.Parse(read.Resume, sourceName), fresh: read.FromOffset == 0);
        var ordinal = position.PageStart;
        for (var r = position.Resource; r < config.Resources.Count; r++)
        {
            var resource = config.Resources[r];
            var records = new HttpRecords(resource, sourceName);
            var page = r == position.Resource ? position.Page : null;
            var since = watermarks.GetValueOrDefault(resource.Name)?.Since;
            for (var pageNumber = 1; ; pageNumber++)
            {
                await read.Checkpoints.WaitForAsync(ordinal, cancellationToken).ConfigureAwait(false);
                var fetched = await fetcher.FetchAsync(resource, page, since, cancellationToken).ConfigureAwait(false);
                using var body = Parse(fetched, resource, sourceName, config);
                var items = Items(body.RootElement, resource, fetched, sourceName, config);
                var next = Paginators.Next(resource.Pagination, page, body.RootElement, fetched.Headers, items.Count, fetched.Url);
                if (resource.Incremental is { } incremental)
                    watermarks[resource.Name] = Raise(watermarks.GetValueOrDefault(resource.Name), items, incremental);
                var within = new HttpPosition(r, page, ordinal, watermarks).ToToken();
                var after = (next is not null
                    ? new HttpPosition(r, next, ordinal + items.Count, watermarks)
                    : new HttpPosition(r + 1, null, ordinal + items.Count, watermarks)).ToToken();
                for (var i = 0; i < items.Count; i++)
                {
                    var offset = ordinal + i;
                    if (offset < read.FromOffset)
                        continue;
                    var last = i == items.Count - 1;
                    yield return records.Record(offset, pageNumber, i, items[i], new ReadPosition(last ? after : within, EndsPage: last));
                }
                ordinal += items.Count;
                if (next is null)
                    break;
                page = next;
            }
        }
    }

    /// <summary>
    /// Where to start and with which watermarks: a resumed run continues from its position with the watermarks it
    /// sent; a new run starts at the first resource and sends each resource's last highest value (less the lookback).
    /// </summary>
    private static (HttpPosition Position, Dictionary<string, Watermark> Watermarks) Begin(HttpSourceConfig config, HttpPosition saved, bool fresh)
    {
        var watermarks = new Dictionary<string, Watermark>(StringComparer.Ordinal);
        foreach (var resource in config.Resources)
        {
            if (resource.Incremental is not { } incremental)
                continue;
            var kept = saved.Watermarks?.GetValueOrDefault(resource.Name);
            watermarks[resource.Name] = fresh
                ? new Watermark(Watermarks.SinceFor(kept?.Max, incremental), kept?.Max)
                : kept ?? new Watermark(incremental.Initial, null);
        }
        return (fresh ? HttpPosition.Start : saved, watermarks);
    }

    private static Watermark Raise(Watermark? current, IReadOnlyList<JsonElement> items, Incremental incremental)
    {
        var field = JsonPath.Parse(incremental.Field);
        var max = current?.Max;
        foreach (var item in items)
        {
            if (field.Find(item) is { } value)
                max = Watermarks.Max(max, Watermarks.TextOf(value), incremental.Type);
        }
        return new Watermark(current?.Since, max);
    }

    private static JsonDocument Parse(FetchedPage fetched, HttpResource resource, string sourceName, HttpSourceConfig config)
    {
        try
        {
            return JsonDocument.Parse(fetched.Body);
        }
        catch (JsonException ex)
        {
            throw new SourceFormatException(sourceName, config.Redact($"{resource.Name}: {fetched.Url}: the response is not JSON ({ex.Message})"));
        }
    }

    private static List<JsonElement> Items(JsonElement root, HttpResource resource, FetchedPage fetched, string sourceName, HttpSourceConfig config)
    {
        var at = resource.Records is "$" or "" ? root : JsonPath.Parse(resource.Records).Find(root);
        return at switch
        {
            { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().ToList(),
            null or { ValueKind: JsonValueKind.Null } => [], // an API may leave the list out of an empty page
            _ => throw new SourceFormatException(sourceName, config.Redact(
                $"{resource.Name}: {fetched.Url}: 'records: {resource.Records}' is a {at.Value.ValueKind.ToString().ToLowerInvariant()}, not an array of records")),
        };
    }
}
