using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Load;

/// <summary>A database the pipeline loads into. Every write is idempotent: replaying a batch changes nothing.</summary>
public interface ISink : IAsyncDisposable
{
    /// <summary>Where it writes, safe to print: never a password.</summary>
    string Description { get; }

    /// <summary>Creates the schema and tables when missing.</summary>
    Task EnsureSchemaAsync(CancellationToken cancellationToken);

    /// <summary>Writes the whole batch in one transaction (raw and normalised rows, quarantine).</summary>
    Task LoadAsync(LoadBatch batch, CancellationToken cancellationToken);

    /// <summary>Recomputes conversation aggregates (message_count, first/last_message_at) for a tenant and source.</summary>
    Task FinalizeAsync(string tenantId, string source, CancellationToken cancellationToken);

    /// <summary>Row counts for the summary a user sees at the end of a job.</summary>
    Task<SinkTotals> GetTotalsAsync(string tenantId, string source, string jobId, CancellationToken cancellationToken);
}

/// <summary>Rows of a tenant and source in the sink, and the records the job quarantined.</summary>
public sealed record SinkTotals(long Conversations, long Participants, long Messages, long Quarantined);
