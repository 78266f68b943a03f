namespace EtlActors.Pipeline.Connectors.Http;

/// <summary>
/// Admits each HTTP request a reader makes under its host's budget. The engine's gate shares the budget across
/// every job on every node of the cluster and divides it fairly between tenants; <see cref="UnlimitedRequestGate"/> admits at once.
/// </summary>
public interface IRequestGate
{
    /// <summary>
    /// Waits until <paramref name="tenantId"/> may start one request to <paramref name="budget"/>'s host; dispose the
    /// permit when the response is read (it frees a concurrent slot).
    /// </summary>
    ValueTask<IAsyncDisposable> AcquireAsync(RequestBudget budget, string tenantId, CancellationToken cancellationToken);
}

/// <summary>The budget of one host: requests started per second and at once.</summary>
/// <param name="Host"><c>host:port</c>.</param>
public sealed record RequestBudget(string Host, double RequestsPerSecond, int Concurrent);

/// <summary>Admits every request at once: for hosts without a rate limit, and readers run outside an engine.</summary>
public sealed class UnlimitedRequestGate : IRequestGate
{
    /// <summary>The one instance.</summary>
    public static readonly UnlimitedRequestGate Instance = new();

    private UnlimitedRequestGate()
    {
    }

    /// <inheritdoc />
    public ValueTask<IAsyncDisposable> AcquireAsync(RequestBudget budget, string tenantId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IAsyncDisposable>(NoPermit.Instance);

    private sealed class NoPermit : IAsyncDisposable
    {
        public static readonly NoPermit Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
