namespace EtlActors.Testing;

/// <summary>
/// Waits for a condition on something only observable by asking (a job's status, the cluster's
/// members): asks on a timer until <c>until</c> holds, and fails naming what it waited for and what it saw last.
/// </summary>
public static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> observe, Func<T, bool> until, TimeSpan within, string what, TimeSpan? every = null, Func<T, string>? describe = null)
    {
        using var deadline = new CancellationTokenSource(within);
        using var ticks = new PeriodicTimer(every ?? TimeSpan.FromMilliseconds(100));
        T last;
        do
        {
            last = await observe();
            if (until(last))
                return last;
        }
        while (await ticks.WaitForNextTickAsync(deadline.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully));
        throw new TimeoutException($"not {what} within {within}; last seen: {(describe is null ? last?.ToString() : describe(last))}");
    }
}
