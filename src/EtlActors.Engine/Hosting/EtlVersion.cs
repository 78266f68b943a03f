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
}
