namespace EtlActors.Client;

/// <summary>How <see cref="EtlClient"/> reaches a cluster.</summary>
public sealed class EtlClientOptions
{
    /// <summary>
    /// Nodes to contact first, as <c>host:port</c> (the node's Akka.Remote address). One is enough;
    /// more keep the client working while one of them is down.
    /// </summary>
    public List<string> Contacts { get; set; } = [];

    /// <summary>How long to wait for any contact point to answer before the cluster counts as unreachable. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a request may wait for its answer once the cluster is reached. Default 30 s (a job's first message may wait for its shard to start).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often <see cref="EtlClient.WatchAsync"/> asks for a job's progress. Default 1 s.</summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The address nodes reply to. Default: 127.0.0.1 when every contact is on loopback, otherwise
    /// this machine's host name (the client listens on all interfaces).
    /// </summary>
    public string? Hostname { get; set; }
}
