using System.Globalization;
using System.Text.Json;

namespace EtlActors.Pipeline.Connectors.Slack.Transform;

/// <summary>Slack's times: a message <c>ts</c> is a string of epoch seconds with six decimals; <c>created</c> and <c>updated</c> are epoch seconds.</summary>
internal static class SlackTimestamps
{
    /// <summary>A <c>ts</c> such as <c>"1700000000.000100"</c> as a UTC time, to the microsecond; null when it is not one.</summary>
    public static DateTimeOffset? FromTs(string? ts) => Microseconds(ts) is { } micros
        ? DateTimeOffset.UnixEpoch.AddTicks(micros * 10)
        : null;

    /// <summary>A <c>ts</c> in microseconds since the epoch: an edit's <c>ts</c> orders revisions exactly.</summary>
    public static long? Microseconds(string? ts)
    {
        if (string.IsNullOrEmpty(ts))
            return null;
        var dot = ts.IndexOf('.');
        var secondsText = dot < 0 ? ts : ts[..dot];
        var fraction = dot < 0 ? "" : ts[(dot + 1)..];
        if (fraction.Length > 6 || !long.TryParse(secondsText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > 253_402_300_799 // the last second of year 9999
            || (fraction.Length > 0 && !long.TryParse(fraction, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            return null;
        var micros = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(6, '0'), CultureInfo.InvariantCulture);
        return seconds * 1_000_000 + micros;
    }

    /// <summary>An epoch-seconds number (or a string holding one), as <c>users.json</c>'s <c>updated</c>; null otherwise.</summary>
    public static DateTimeOffset? FromEpochSeconds(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value))
            return null;
        long seconds;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n))
            seconds = n;
        else if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s))
            seconds = s;
        else
            return null;
        return seconds is > 0 and <= 253_402_300_799 ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }
}
