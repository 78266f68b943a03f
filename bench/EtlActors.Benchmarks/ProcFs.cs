using System.Globalization;

namespace EtlActors.Benchmarks;

/// <summary>What Linux's /proc says about a process: its peak resident memory and the CPU it has used.</summary>
internal static class ProcFs
{
    // The kernel's user-space clock: 100 ticks a second on every Linux ABI.
    private const double TicksPerSecond = 100.0;

    /// <summary>VmHWM in bytes, or null once the process is gone.</summary>
    public static long? PeakResidentBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>The fields of /proc/&lt;pid&gt;/stat, or null once the process is gone.</summary>
    public static ProcStat? Stat(int pid) => Stat($"/proc/{pid}/stat");

    /// <summary>CPU of processes this one has started and waited for (a finished child's whole CPU time).</summary>
    public static double ReapedChildrenCpuSeconds() => Stat("/proc/self/stat")?.ReapedChildrenCpuSeconds ?? 0;

    public static IEnumerable<int> AllPids()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                yield return pid;
        }
    }

    /// <summary>The command line's arguments, or an empty array when unreadable.</summary>
    public static string[] CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The 1, 5 and 15-minute load averages, as /proc/loadavg gives them.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    public static long? MemoryTotalBytes()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static ProcStat? Stat(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' are plain.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return new ProcStat(
            ParentPid: (int)Field(4),
            CpuSeconds: (Field(14) + Field(15)) / TicksPerSecond,
            ReapedChildrenCpuSeconds: (Field(16) + Field(17)) / TicksPerSecond);
    }
}

/// <summary>utime + stime, and cutime + cstime (children that have exited and been waited for), in seconds.</summary>
internal sealed record ProcStat(int ParentPid, double CpuSeconds, double ReapedChildrenCpuSeconds);
