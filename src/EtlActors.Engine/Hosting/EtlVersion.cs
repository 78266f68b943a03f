using System.Reflection;

namespace EtlActors.Engine;

/// <summary>
/// This build's version: the informational version every EtlActors assembly carries (one <c>Version</c> in
/// Directory.Build.props). Read from the engine's own assembly, not the entry assembly, so that a node, an
/// embedded <c>etl run</c> and a test host hosting the engine all report the version of the engine they run.
/// </summary>
public static class EtlVersion
{
    /// <summary>For example <c>0.1.0</c> or <c>0.2.0-beta.1</c>.</summary>
    public static string Current { get; } =
        typeof(EtlVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(EtlVersion).Assembly.GetName().Version?.ToString(3)
        ?? "0.0.0";

    /// <summary>
    /// <paramref name="version"/> as Akka's app-version can hold it. Akka takes at most three dot-separated numbers and
    /// no dot after the <c>-</c> (a node given <c>0.2.0-beta.1</c> fails to start), and reads <c>+</c> as a commit count;
    /// so SemVer build metadata (<c>+…</c>) is dropped, as SemVer ignores it for ordering, and the pre-release's dots
    /// become dashes: <c>0.2.0-beta.1</c> is announced as <c>0.2.0-beta-1</c>.
    /// </summary>
    public static string ForCluster(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        var core = (plus < 0 ? version : version[..plus]).Trim();
        var dash = core.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? core : core[..dash] + core[dash..].Replace('.', '-');
    }

    /// <summary>Whether Akka can compare <paramref name="version"/> (as <see cref="ForCluster"/> makes it) with others.</summary>
    public static bool IsComparable(string version)
    {
        var cluster = ForCluster(version);
        if (cluster.Length == 0 || !char.IsAsciiDigit(cluster[0]))
            return false;
        try
        {
            // Akka parses lazily, on the first comparison: compare now rather than fail when the node joins.
            _ = Akka.Util.AppVersion.Create(cluster).CompareTo(Akka.Util.AppVersion.Create("0.0.0"));
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            return false;
        }
    }
}
