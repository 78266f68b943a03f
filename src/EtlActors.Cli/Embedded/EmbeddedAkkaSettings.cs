namespace EtlActors.Cli.Embedded;

/// <summary>Akka settings for `etl run` only, which no builder option covers.</summary>
internal static class EmbeddedAkkaSettings
{
    public const string Hocon = """
        # Akka would start its own shutdown on SIGINT/SIGTERM, under the job being paused; StopSignals pauses
        # first, and the host stops the system once the job has stopped.
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
        """;
}
