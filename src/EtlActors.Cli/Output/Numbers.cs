using System.Globalization;

namespace EtlActors.Cli.Output;

/// <summary>
/// How `etl` writes a count or a rate, in every view and line alike: thousands separated by
/// commas whatever the machine's culture, so output reads the same in logs, scripts and docs.
/// </summary>
internal static class Numbers
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Count(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Rate(double recordsPerSecond) => $"{Count(recordsPerSecond)} records/s";

    /// <summary>A share read, floored: "100%" only once all of it is.</summary>
    public static string Percent(double fraction) =>
        Math.Floor(Math.Clamp(fraction, 0, 1) * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    /// <summary>A time left to the second: "42 s", "3 min 05 s", "1 h 02 min".</summary>
    public static string Duration(TimeSpan time)
    {
        var inv = CultureInfo.InvariantCulture;
        return time.TotalSeconds < 60 ? $"{((int)time.TotalSeconds).ToString(inv)} s"
            : time.TotalHours < 1 ? $"{time.Minutes.ToString(inv)} min {time.Seconds.ToString("00", inv)} s"
            : $"{((int)time.TotalHours).ToString(inv)} h {time.Minutes.ToString("00", inv)} min";
    }

    /// <summary>A time left as a clock, where room is short: "0:42", "3:05", "1:02:05".</summary>
    public static string Clock(TimeSpan time) =>
        time.TotalHours < 1 ? time.ToString(@"m\:ss", CultureInfo.InvariantCulture)
            : $"{((int)time.TotalHours).ToString(CultureInfo.InvariantCulture)}:{time.ToString(@"mm\:ss", CultureInfo.InvariantCulture)}";

    /// <summary>How far a running job is when its source's size is known, "37%, 42 s left"; empty otherwise.</summary>
    public static string Done(double? readFraction, TimeSpan? left) =>
        readFraction is not { } read ? "" : Percent(read) + (left is { } time ? $", {Duration(time)} left" : "");
}
