using Akka.Actor;
using EtlActors.Pipeline.Connectors.Http;
using static EtlActors.Engine.RateLimits.RequestBudgetCoordinator;

namespace EtlActors.Engine.RateLimits;

/// <summary>
/// The engine's request gate: every permit comes from the <see cref="RequestBudgetCoordinator"/> singleton, so one
/// budget per host holds across every job on every node. No local limiter is needed beside it: the coordinator
/// counts every node's permits.
/// </summary>
/// <param name="coordinator">The singleton's proxy (from the ActorRegistry).</param>
/// <param name="retryInterval">
/// How long to wait for a grant before asking again under the same request id: the singleton may be moving to
/// another node, where it starts with an empty line. Asking again also tells the coordinator someone still waits.
/// </param>
public sealed class ClusterRequestGate(IActorRef coordinator, TimeSpan retryInterval) : IRequestGate
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException">The budget cannot be paced (a rate below one a day, no concurrent permit).</exception>
    public async ValueTask<IAsyncDisposable> AcquireAsync(RequestBudget budget, string tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(tenantId);
        if (!RequestBudgetState.IsValid(budget.RequestsPerSecond, budget.Concurrent))
            throw new ArgumentException($"the request budget of {budget.Host} ({budget.RequestsPerSecond}/s, {budget.Concurrent} at once) cannot be paced: it needs a positive rate and at least one request at once", nameof(budget));

        var acquire = new Acquire(Guid.NewGuid(), budget.Host, budget.RequestsPerSecond, budget.Concurrent, tenantId);
        try
        {
            while (true)
            {
                try
                {
                    await coordinator.Ask<Granted>(acquire, retryInterval, cancellationToken).ConfigureAwait(false);
                    return new Permit(coordinator, acquire.RequestId);
                }
                catch (AskTimeoutException)
                {
                    // No answer yet: still waiting in line, or the singleton moved and lost the line. Asking again keeps our place in either case.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Leave the line, or give the permit back if it was granted while we stopped waiting.
            coordinator.Tell(new Release(acquire.RequestId));
            throw;
        }
    }

    /// <summary>Releases its request once, however often it is disposed.</summary>
    private sealed class Permit(IActorRef coordinator, Guid requestId) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                coordinator.Tell(new Release(requestId));
            return ValueTask.CompletedTask;
        }
    }
}
