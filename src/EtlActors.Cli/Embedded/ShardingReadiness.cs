using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using EtlActors.Engine.Jobs;
using EtlActors.Engine.Transform;

namespace EtlActors.Cli.Embedded;

/// <summary>
/// Waits until this process's shard regions have registered with their coordinators (which first recover
/// from the journal), before the job is submitted. A message sent earlier waits in the region's buffer, and
/// with the short retry interval of an embedded run (EmbeddedAkkaSettings) the region would warn on stderr
/// after five retries that its coordinator has not answered, as it may under load. Submitting once the
/// regions are registered sends the job straight to its shard.
/// </summary>
internal static class ShardingReadiness
{
    // Each poll is a local message; the coordinators' recovery takes hundreds of milliseconds.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    /// <exception cref="TimeoutException">A region did not register within <paramref name="timeout"/>.</exception>
    public static async Task WaitAsync(ActorRegistry registry, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            foreach (var region in new[] { registry.Get<JobRegion>(), registry.Get<TransformerRegion>() })
            {
                // A region answers with no regions until its coordinator has acknowledged it, then forwards the
                // query to the coordinator, whose answer holds at least this region's address.
                while (!await IsRegisteredAsync(region, limit.Token))
                    await Task.Delay(PollInterval, limit.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the engine did not start within {timeout.TotalSeconds:0} s (its shard coordinators did not recover from the journal)");
        }
    }

    private static async Task<bool> IsRegisteredAsync(IActorRef region, CancellationToken cancellationToken)
    {
        try
        {
            return (await region.Ask<CurrentRegions>(GetCurrentRegions.Instance, AskTimeout, cancellationToken)).Regions.Count > 0;
        }
        catch (AskTimeoutException)
        {
            return false; // a coordinator busy recovering or moving: ask again until the overall limit
        }
    }
}
