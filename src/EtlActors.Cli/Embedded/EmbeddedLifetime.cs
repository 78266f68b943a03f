using Microsoft.Extensions.Hosting;

namespace EtlActors.Cli.Embedded;

/// <summary>
/// Replaces the host's ConsoleLifetime, which would stop the actor system on SIGINT/SIGTERM under a
/// running job. `etl run` handles those signals itself (StopSignals): pause at a checkpoint first.
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
