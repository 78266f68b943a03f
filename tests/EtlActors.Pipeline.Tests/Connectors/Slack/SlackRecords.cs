using EtlActors.Pipeline.Connectors.Slack;
using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Transform;

namespace EtlActors.Pipeline.Tests.Connectors.Slack;

/// <summary>Reads a Slack export through the connector and normalises every record, as a job would, without actors.</summary>
internal static class SlackRecords
{
    public static readonly TransformContext Context = new("t1", "slack", "job-1", DateTimeOffset.UnixEpoch);

    public static async Task<List<ExtractedRecord>> ReadAsync(string path, long from = 0)
    {
        var records = new List<ExtractedRecord>();
        await foreach (var record in new SlackConnector().ReadAsync(new(path, from), CancellationToken.None))
            records.Add(record);
        return records;
    }

    public static TransformResult Normalize(IEnumerable<ExtractedRecord> records)
    {
        var result = new TransformResult();
        var connector = new SlackConnector();
        foreach (var record in records)
            connector.Normalize(record, Context, result);
        return result;
    }

    /// <summary>A record as text, hints included in key order, for comparing reads (records compare hints by reference).</summary>
    public static string Show(ExtractedRecord r) =>
        $"{r.Offset} {r.Kind} {r.ConversationId} {r.Payload} "
        + string.Join(",", (r.Hints ?? new Dictionary<string, string>()).OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key}={h.Value}"));
}
