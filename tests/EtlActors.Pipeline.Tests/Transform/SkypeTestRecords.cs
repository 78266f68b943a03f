using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Transform;
using EtlActors.Pipeline.Connectors.Skype.Transform;

namespace EtlActors.Pipeline.Tests.Transform;

/// <summary>Builds Skype records the way the extractor hands them over, and runs the normaliser on them.</summary>
internal static class SkypeTestRecords
{
    public const long Offset = 41;
    public static readonly DateTimeOffset ExtractedAt = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
    public static readonly TransformContext Context = new("tenant-a", "skype", "job-1", ExtractedAt);

    public static TransformResult Message(string payload, string conversationId = "8:live:friend") =>
        Run(new ExtractedRecord(Offset, RecordKind.Message, conversationId, payload));

    public static TransformResult Conversation(string payload) =>
        Run(new ExtractedRecord(Offset, RecordKind.Conversation, "ignored", payload));

    public static TransformResult Run(ExtractedRecord record)
    {
        var result = new TransformResult();
        SkypeNormalizer.Normalize(record, Context, result);
        return result;
    }

    /// <summary>A typical message; <paramref name="extra"/> replaces or adds top-level fields (raw JSON members).</summary>
    public static string MessageJson(
        string id = "\"1594819354321\"",
        string type = "RichText",
        string content = "Hello",
        string from = "8:live:me",
        string displayName = "null",
        string time = "2020-07-15T13:22:34.321Z",
        string version = "1594819354321",
        string properties = "null") =>
        $$"""
        {"id":{{id}},"displayName":{{displayName}},"originalarrivaltime":"{{time}}","messagetype":"{{type}}","version":{{version}},"content":{{System.Text.Json.JsonSerializer.Serialize(content)}},"conversationid":"8:live:friend","from":"{{from}}","properties":{{properties}},"amsreferences":null}
        """;
}
