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
}
