using System.Globalization;

namespace EtlActors.Benchmarks;

/// <summary>
/// CPU the local PostgreSQL server has used: the postmaster, the backends and workers it has reaped,
/// and those still running. The difference across a step is the database's share of that step.
/// </summary>
internal sealed class ServerCpu
{
    private readonly int _postmaster;

    private ServerCpu(int postmaster) => _postmaster = postmaster;

    /// <summary>The server listening on <paramref name="port"/> if it runs on this machine and we can see it.</summary>
    public static ServerCpu? Find(int port)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        foreach (var pid in ProcFs.AllPids())
        {
            var args = ProcFs.CommandLine(pid);
            if (args.Length == 0 || !Path.GetFileName(args[0]).Equals("postgres", StringComparison.Ordinal))
                continue;
            for (var i = 0; i + 1 < args.Length; i++)
            {
                if (args[i] == "-p" && args[i + 1] == portText)
                    return new ServerCpu(pid);
            }
        }
        return null;
    }

    /// <summary>Seconds of CPU so far; null when the server is gone.</summary>
    public double? TotalSeconds()
    {
        // Children first: one exiting in between is then counted twice at worst, never lost (a few ms).
        var children = 0.0;
        foreach (var pid in ProcFs.AllPids())
        {
            if (ProcFs.Stat(pid) is { } stat && stat.ParentPid == _postmaster)
                children += stat.CpuSeconds;
        }
        return ProcFs.Stat(_postmaster) is { } postmaster
            ? postmaster.CpuSeconds + postmaster.ReapedChildrenCpuSeconds + children
            : null;
    }
}
