using System.Globalization;
using System.Text.Json;
using EtlActors.Pipeline.Connectors.Files.Mapping;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Connectors.Files.Transform;

/// <summary>
/// Turns a raw value (a JSON value from NDJSON, a string from CSV) into its column's type, as the invariant text
/// <see cref="TableRow.Values"/> holds, or says why it is not of that type.
/// </summary>
internal static class ValueConverter
{
    private const NumberStyles Integer = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign;
    private const NumberStyles Decimal = Integer | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
    private const DateTimeStyles Utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowWhiteSpaces;

    /// <returns>Null when the value converts (into <paramref name="text"/>, null for a null value), else the problem.</returns>
    public static string? Convert(JsonElement value, MappedColumn column, out string? text)
    {
        text = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return null;
            case JsonValueKind.String:
                return FromString(value.GetString()!, column, out text);
            case JsonValueKind.Number:
                return column.Type switch
                {
                    ColumnType.String => Set(value.GetRawText(), out text),
                    ColumnType.Int => value.TryGetInt64(out var l) ? Set(Invariant(l), out text) : $"{value.GetRawText()} is not a whole number",
                    ColumnType.Decimal => value.TryGetDecimal(out var d) ? Set(Invariant(d), out text) : $"{value.GetRawText()} is not a decimal number",
                    ColumnType.Timestamp when column.Format is "unix" or "unix_ms" => FromString(value.GetRawText(), column, out text),
                    _ => $"a number ({value.GetRawText()}) is not a {Name(column.Type)}",
                };
            case JsonValueKind.True or JsonValueKind.False:
                return column.Type is ColumnType.String or ColumnType.Bool
                    ? Set(value.ValueKind == JsonValueKind.True ? "true" : "false", out text)
                    : $"a boolean is not a {Name(column.Type)}";
            default:
                return column.Type == ColumnType.String ? Set(value.GetRawText(), out text) : $"a JSON {value.ValueKind.ToString().ToLowerInvariant()} is not a {Name(column.Type)}";
        }
    }

    private static string? FromString(string value, MappedColumn column, out string? text)
    {
        text = null;
        switch (column.Type)
        {
            case ColumnType.String:
                return Set(value, out text);
            case ColumnType.Int:
                return long.TryParse(value, Integer, CultureInfo.InvariantCulture, out var l) ? Set(Invariant(l), out text) : $"'{Clip(value)}' is not a whole number";
            case ColumnType.Decimal:
                return decimal.TryParse(value, Decimal, CultureInfo.InvariantCulture, out var d) ? Set(Invariant(d), out text) : $"'{Clip(value)}' is not a decimal number";
            case ColumnType.Bool:
                return value.Trim().ToLowerInvariant() switch
                {
                    "true" or "1" or "yes" or "y" or "t" => Set("true", out text),
                    "false" or "0" or "no" or "n" or "f" => Set("false", out text),
                    _ => $"'{Clip(value)}' is not a boolean (true/false, 1/0, yes/no)",
                };
            default:
                return Timestamp(value, column.Format) is { } at
                    ? Set(at.ToString("O", CultureInfo.InvariantCulture), out text)
                    : $"'{Clip(value)}' is not a timestamp" + (column.Format is null ? " (ISO-8601 expected)" : $" in format '{column.Format}'");
        }
    }

    /// <summary>The instant <paramref name="value"/> stands for in <paramref name="format"/>, in UTC; a value without an offset is UTC.</summary>
    public static DateTimeOffset? Timestamp(string value, string? format)
    {
        if (format is "unix" or "unix_ms")
        {
            if (!decimal.TryParse(value, Decimal, CultureInfo.InvariantCulture, out var number))
                return null;
            var ms = format == "unix" ? number * 1000 : number;
            return ms is < -62_135_596_800_000m or > 253_402_300_799_999m ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)ms);
        }
        var ok = format is null
            ? DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, Utc, out var at)
            : DateTimeOffset.TryParseExact(value, format, CultureInfo.InvariantCulture, Utc, out at);
        return ok ? at.ToUniversalTime() : null;
    }

    private static string? Set(string value, out string? text)
    {
        text = value;
        return null;
    }

    private static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);

    private static string Name(ColumnType type) => type switch
    {
        ColumnType.Int => "whole number",
        ColumnType.Decimal => "decimal number",
        ColumnType.Bool => "boolean",
        ColumnType.Timestamp => "timestamp",
        _ => "string",
    };

    private static string Clip(string value) => value.Length <= 60 ? value : value[..57] + "...";
}
