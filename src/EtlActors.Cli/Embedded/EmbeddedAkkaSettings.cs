namespace EtlActors.Cli.Embedded;

/// <summary>
/// Akka settings for `etl run` only: a cluster of one node that starts, runs one job and stops. Akka's
/// defaults are tuned for many nodes on a network, where a tick of a second costs nothing next to a job's
/// life; here each tick is a wait the user sees (measured in bench/README.md, "Start-up"). None of these
/// changes what is persisted or when; nodes (EtlActors.Node) keep Akka's defaults.
/// </summary>
internal static class EmbeddedAkkaSettings
{
    public const string Hocon = """
        # Akka would start its own shutdown on SIGINT/SIGTERM, under the job being paused; StopSignals pauses
        # first, and the host stops the system once the job has stopped. No builder option exists for this.
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off

        # A region registers with its coordinator 250 ms, 750 ms and 1.75 s after it starts, then every 2 s
        # (retry-interval and fractions of it), and the coordinator ignores it until it has recovered from the
        # journal and waited a fixed 500 ms: the job waited 0.3-0.5 s more for the next try. With one node,
        # trying every 200 ms (first at 100 ms) costs a local message. A region warns after five tries with
        # messages buffered, so ShardingReadiness sends the job only once the regions are registered.
        akka.cluster.sharding.retry-interval = 200ms

        # Shutting down: the leader moves this node Leaving -> Exiting -> Removed on its leader-actions tick
        # (1 s), and each singleton manager (job registry, two shard coordinators) notices that it may stop
        # on its hand-over retry tick (1 s): ~1 s of waiting after a job ends. One member has nobody to gossip
        # with, so a faster tick costs a little local work.
        akka.cluster.leader-actions-interval = 100ms
        akka.cluster.singleton.hand-over-retry-interval = 100ms
        """;
}
