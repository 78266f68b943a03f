using System.Text.Json;
using EtlActors.Pipeline.Connectors.Files.Mapping;

namespace EtlActors.Pipeline.Connectors.Files.Extract;

/// <summary>
/// Which transformer entity a file record goes to. Messages go by conversation, like every chat source. Rows of
/// a named table go by a hash bucket of their key: spread over entities, yet the versions of one key stay in one
/// entity's part of a batch, in file order, so the batch keeps the later line (parts are joined per entity).
/// </summary>
internal static class PartitionKeys
{
    /// <summary>Entities a named table's rows spread over; never change: a resumed job would route differently.</summary>
    public const int TableBuckets = 16;

    /// <summary>For records without their key: they are quarantined, by any entity.</summary>
    public const string Unkeyed = "unkeyed";

    /// <summary>The mapped columns the key is made of.</summary>
    public static IReadOnlyList<string> Columns(FileMapping mapping) =>
        mapping.Target == MappingTarget.Messages ? ["conversation_id"] : mapping.Table!.Key;

    public static string Of(FileMapping mapping, string?[] keyTexts)
    {
        if (keyTexts.Any(string.IsNullOrEmpty))
            return Unkeyed;
        if (mapping.Target == MappingTarget.Messages)
            return keyTexts[0]!;
        // FNV-1a: stable across processes and runs, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var text in keyTexts)
        {
            foreach (var c in text!)
                hash = (hash ^ c) * 16777619u;
            hash = (hash ^ 0x1f) * 16777619u;
        }
        return "bucket-" + (hash % TableBuckets).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A JSON value as key text: a string's value, a number's digits as written, null for null.</summary>
    public static string? TextOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };
}
