using System.Globalization;
using System.Text.Json;
using EtlActors.Pipeline.Connectors.Http.Config;

namespace EtlActors.Pipeline.Connectors.Http.Extract;

/// <summary>Compares an incremental resource's cursor values and moves one back by the lookback.</summary>
internal static class Watermarks
{
    /// <summary>The cursor value of a record as text (a string's value, a number's digits), or null when it has none.</summary>
    public static string? TextOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    /// <summary>The later of two values (a value that does not parse as <paramref name="type"/> is ignored).</summary>
    public static string? Max(string? a, string? b, WatermarkType type)
    {
        if (a is null || !TryValue(a, type, out var va))
            return b is not null && TryValue(b, type, out _) ? b : null;
        if (b is null || !TryValue(b, type, out var vb))
            return a;
        return vb > va ? b : a;
    }

    /// <summary>What a new run sends: the last run's highest value minus the lookback, else the initial value.</summary>
    public static string? SinceFor(string? max, Incremental incremental)
    {
        if (max is null || !TryValue(max, incremental.Type, out _))
            return incremental.Initial;
        if (incremental.Lookback <= TimeSpan.Zero)
            return max;
        return incremental.Type switch
        {
            WatermarkType.Timestamp => (DateTimeOffset.Parse(max, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) - incremental.Lookback)
                .UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
            WatermarkType.Unix => (decimal.Parse(max, CultureInfo.InvariantCulture) - (decimal)incremental.Lookback.TotalSeconds)
                .ToString("0.######", CultureInfo.InvariantCulture),
            _ => (long.Parse(max, CultureInfo.InvariantCulture) - (long)incremental.Lookback.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        };
    }

    // Every type is compared as a number of ticks or units; decimal holds each exactly enough.
    private static bool TryValue(string text, WatermarkType type, out decimal value)
    {
        value = 0;
        switch (type)
        {
            case WatermarkType.Timestamp:
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                    return false;
                value = at.UtcTicks;
                return true;
            default:
                return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}
