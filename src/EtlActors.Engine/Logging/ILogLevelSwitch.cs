using EtlActors.Contracts.Cluster;

namespace EtlActors.Engine;

/// <summary>
/// The host's own log pipeline, as <c>etl cluster log-level</c> changes it. A host that registers one in its services
/// (the node does, over Serilog) lets an admin set its least level at run time, and the engine starts Akka's at the
/// same level and moves it along; a node without one refuses the command. The engine knows no logging library.
/// </summary>
public interface ILogLevelSwitch
{
    /// <summary>The least level the host writes now.</summary>
    NodeLogLevel Level { get; }

    /// <summary>Makes the host write <paramref name="level"/> and above from now on.</summary>
    void Set(NodeLogLevel level);
}
