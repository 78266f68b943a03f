using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Load;

/// <summary>A database the pipeline loads into. Every write is idempotent: replaying a batch changes nothing.</summary>
public interface ISink : IAsyncDisposable
{
    /// <summary>Where it writes, safe to print: never a password.</summary>
    string Description { get; }

    /// <summary>Creates the schema and tables when missing, and adds the columns a database made by an earlier release lacks.</summary>
    Task EnsureSchemaAsync(CancellationToken cancellationToken);

    /// <summary>Writes the whole batch in one transaction (raw and normalised rows, quarantine).</summary>
    Task LoadAsync(LoadBatch batch, CancellationToken cancellationToken);

    /// <summary>Recomputes conversation aggregates (message_count, first/last_message_at) for a tenant and source.</summary>
    Task FinalizeAsync(string tenantId, string source, CancellationToken cancellationToken);

    /// <summary>
    /// Row counts for the summary a user sees at the end of a job: the tenant's and source's rows
    /// that <paramref name="jobId"/> was the last to load (new, rewritten or re-loaded unchanged),
    /// not the whole table.
    /// </summary>
    Task<SinkTotals> GetTotalsAsync(string tenantId, string source, string jobId, CancellationToken cancellationToken);

    /// <summary>Rows of the named <paramref name="table"/> (a validated identifier) the job last loaded for the tenant and source; 0 when it does not exist.</summary>
    Task<long> CountTableRowsAsync(string table, string tenantId, string source, string jobId, CancellationToken cancellationToken);
}

/// <summary>Rows of a tenant and source that a job last loaded, and the records it quarantined.</summary>
public sealed record SinkTotals(long Conversations, long Participants, long Messages, long Quarantined);
