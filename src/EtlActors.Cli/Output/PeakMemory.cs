using System.Globalization;

namespace EtlActors.Cli.Output;

/// <summary>The process's peak resident memory (VmHWM), which the benchmark and users compare across input sizes.</summary>
internal static class PeakMemory
{
    public static long? Bytes()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
            return null;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        return null;
    }

    public static string Describe() =>
        Bytes() is { } bytes ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0} MB") : "unknown";
}
