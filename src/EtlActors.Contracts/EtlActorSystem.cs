namespace EtlActors.Contracts;

/// <summary>Where a client finds the engine: the actor system's name and the paths of the actors it talks to on every node.</summary>
public static class EtlActorSystem
{
    /// <summary>The actor system's name; every node and client of a cluster uses it (<c>akka.ssl.tcp://etl@host:port</c>).</summary>
    public const string Name = "etl";

    /// <summary>Name of the job front door under <c>/user</c>.</summary>
    public const string JobsActor = "jobs";

    /// <summary>Name of the cluster administration actor under <c>/user</c>.</summary>
    public const string ClusterAdminActor = "cluster-admin";

    /// <summary>The job front door on every node: job commands and queries.</summary>
    public const string JobsPath = "/user/" + JobsActor;

    /// <summary>The cluster administration actor on every node: cluster commands and queries.</summary>
    public const string ClusterAdminPath = "/user/" + ClusterAdminActor;

    /// <summary>Akka.Remote's protocol: <c>akka.ssl.tcp</c> with TLS (a node's default), <c>akka.tcp</c> without.</summary>
    public static string Protocol(bool tls) => tls ? "akka.ssl.tcp" : "akka.tcp";

    /// <summary>The ClusterClient receptionist of the node at <paramref name="hostAndPort"/>, reached with TLS or without.</summary>
    public static string ReceptionistPath(string hostAndPort, bool tls) => $"{Protocol(tls)}://{Name}@{hostAndPort}/system/receptionist";
}
