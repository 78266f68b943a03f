using System.Globalization;
using System.Text.Json;

namespace EtlActors.Pipeline.Connectors.Skype.Transform;

/// <summary>
/// Tolerant UTC parsing of the timestamps found in Skype exports: ISO 8601 with or without
/// seconds or fractions, with <c>Z</c>, an offset or no zone (taken as UTC), or epoch milliseconds.
/// </summary>
public static class SkypeTimestamps
{
    // "FFFFFFF" makes the fraction (and its dot) optional; "K" accepts Z, an offset or nothing.
    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mmK",
    ];

    private const long MinEpochMs = -62_135_596_800_000;
    private const long MaxEpochMs = 253_402_300_799_999;

    /// <summary>Parses ISO 8601 or epoch milliseconds; the result is in UTC (offset zero).</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        if (LooksNumeric(trimmed))
        {
            return double.TryParse(trimmed, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                       CultureInfo.InvariantCulture, out var ms)
                   && TryFromEpochMilliseconds(ms, out value);
        }

        if (DateTimeOffset.TryParseExact(TrimExcessFraction(trimmed), IsoFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            value = parsed.ToUniversalTime();
            return true;
        }

        return false;
    }

    /// <summary>Parses a timestamp, or returns null when it cannot.</summary>
    public static DateTimeOffset? ParseOrNull(string? text) => TryParse(text, out var value) ? value : null;

    /// <summary>Converts epoch milliseconds (fraction truncated) when they fall in the representable range.</summary>
    public static bool TryFromEpochMilliseconds(double milliseconds, out DateTimeOffset value)
    {
        value = default;
        if (double.IsNaN(milliseconds) || milliseconds < MinEpochMs || milliseconds > MaxEpochMs)
        {
            return false;
        }

        value = DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds);
        return true;
    }

    /// <summary>A JSON string (ISO or epoch ms) or number (epoch ms).</summary>
    internal static bool TryParse(JsonElement element, out DateTimeOffset value)
    {
        value = default;
        return element.ValueKind switch
        {
            JsonValueKind.String => TryParse(JsonStringFallback.GetString(element), out value),
            JsonValueKind.Number => element.TryGetDouble(out var ms) && TryFromEpochMilliseconds(ms, out value),
            _ => false,
        };
    }

    private static bool LooksNumeric(string text)
    {
        var start = text[0] == '-' ? 1 : 0;
        if (start == text.Length)
        {
            return false;
        }

        for (var i = start; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]) && text[i] != '.')
            {
                return false;
            }
        }

        return true;
    }

    // .NET parses at most 7 fraction digits; exports with nanoseconds would otherwise be rejected.
    private static string TrimExcessFraction(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return text;
        }

        var end = dot + 1;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        return end - dot - 1 > 7 ? string.Concat(text.AsSpan(0, dot + 8), text.AsSpan(end)) : text;
    }
}
