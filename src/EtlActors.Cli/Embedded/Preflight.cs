using EtlActors.Pipeline.Load;

namespace EtlActors.Cli.Embedded;

/// <summary>Reaches the sink and the journal before the engine starts: a typo in either is one line and exit 2.</summary>
internal static class Preflight
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    /// <returns>Null when both are reachable, else what is wrong (the sink's problem first when both have one).</returns>
    public static async Task<string?> CheckAsync(RunRequest request, CancellationToken cancellationToken)
    {
        // Independent checks, run together: on PostgreSQL each is a connection and round trips.
        var sink = Reachability.CheckSinkAsync(DatabaseAddress.Parse(request.Spec.Sink), Limit, cancellationToken);
        var journal = Reachability.CheckJournalAsync(DatabaseAddress.Parse(request.Journal), Limit, cancellationToken);
        return await sink ?? await journal;
    }
}
