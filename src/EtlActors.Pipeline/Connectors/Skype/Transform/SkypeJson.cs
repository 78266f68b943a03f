using System.Globalization;
using System.Text.Json;

namespace EtlActors.Pipeline.Connectors.Skype.Transform;

/// <summary>Lenient readers for the loosely typed fields of real Skype exports.</summary>
internal static class SkypeJson
{
    /// <summary>
    /// Parses one record (a few KB); throws <see cref="JsonException"/> when it is not exactly one JSON value. The
    /// document rents its buffers from the shared pool, which a million records would otherwise allocate and drop:
    /// dispose it once its values are read (rows keep strings, never elements).
    /// </summary>
    public static JsonDocument ParseRecord(string payload) => JsonDocument.Parse(payload);

    public static JsonElement? Property(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value)
            && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value
            : null;

    /// <summary>A string, or a number's literal text (ids are numbers in some exports).</summary>
    public static string? Text(JsonElement obj, string name) => Property(obj, name) switch
    {
        { ValueKind: JsonValueKind.String } s => JsonStringFallback.GetString(s),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        _ => null,
    };

    /// <summary>A string that is not empty or blank; otherwise null.</summary>
    public static string? NonBlankText(JsonElement obj, string name) =>
        Text(obj, name) is { } text && !string.IsNullOrWhiteSpace(text) ? text : null;

    /// <summary>The value's raw JSON text when it is an object.</summary>
    public static string? ObjectRaw(JsonElement obj, string name) =>
        Property(obj, name) is { ValueKind: JsonValueKind.Object } o ? o.GetRawText() : null;

    /// <summary>An integer or float (truncated), or a string holding one; clamped to the long range.</summary>
    public static long? Int64(JsonElement obj, string name) => Property(obj, name) switch
    {
        { ValueKind: JsonValueKind.Number } n => n.TryGetInt64(out var l) ? l : Truncate(n.GetDouble()),
        { ValueKind: JsonValueKind.String } s => ParseInt64(JsonStringFallback.GetString(s)),
        _ => null,
    };

    /// <summary>
    /// Counts the entries of a list given as a JSON array or as a JSON array encoded in a string
    /// (Skype's <c>threadProperties.members</c>); null when it is neither.
    /// </summary>
    public static int? ArrayLength(JsonElement obj, string name)
    {
        switch (Property(obj, name))
        {
            case { ValueKind: JsonValueKind.Array } array:
                return array.GetArrayLength();
            case { ValueKind: JsonValueKind.String } encoded:
                try
                {
                    using var inner = ParseRecord(JsonStringFallback.GetString(encoded));
                    return inner.RootElement.ValueKind == JsonValueKind.Array ? inner.RootElement.GetArrayLength() : null;
                }
                catch (JsonException)
                {
                    return null;
                }
            default:
                return null;
        }
    }

    private static long? ParseInt64(string? text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? Truncate(d) : null;
    }

    private static long? Truncate(double value) => value switch
    {
        double.NaN => null,
        >= long.MaxValue => long.MaxValue,
        <= long.MinValue => long.MinValue,
        _ => (long)value,
    };
}
