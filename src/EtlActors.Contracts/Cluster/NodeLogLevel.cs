namespace EtlActors.Contracts.Cluster;

/// <summary>
/// The least level a node writes to its log, as <c>etl cluster log-level</c> sets it: the node's own log and Akka's
/// together. Named as Serilog and Microsoft.Extensions.Logging name them.
/// </summary>
public enum NodeLogLevel
{
    /// <summary>Everything, Akka's internals included: for a while, to see what a node does.</summary>
    Debug,

    /// <summary>A node's default: jobs starting, checkpoints restarting, members joining and leaving.</summary>
    Information,

    /// <summary>Only what needs a look: refused commands, failed runs, an unreachable member.</summary>
    Warning,

    /// <summary>Only failures.</summary>
    Error,
}
