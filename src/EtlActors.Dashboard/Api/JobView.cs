using EtlActors.Contracts.Jobs;

namespace EtlActors.Dashboard.Api;

/// <summary>
/// A job as the pages show it. Built field by field from <see cref="JobStatus"/> rather than serialised whole, so that
/// what reaches a browser is chosen here: the sink as the job keeps it (a sink's name, or an address without its
/// password), never the mapping text or a node's configuration.
/// </summary>
internal sealed record JobView(
    string Id,
    string Tenant,
    string State,
    string? Node,
    string SourceKind,
    string SourcePath,
    string Sink,
    long Processed,
    long Loaded,
    long Quarantined,
    long Checkpoint,
    double? RecordsPerSecond,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? LastCheckpointAt,
    string? Error,
    IReadOnlyList<string> RecentErrors,
    PhaseView[] Phases,
    JobTotals? Totals,
    double? ReadFraction,
    double? SecondsLeft)
{
    public static JobView Of(JobStatus status) => new(
        status.JobId.Value,
        status.Spec?.TenantId ?? "",
        status.State.ToString(),
        status.Node,
        status.Spec?.SourceKind ?? "",
        status.Spec?.SourcePath ?? "",
        status.Spec?.Sink ?? "",
        status.Processed,
        status.Processed - status.Quarantined,
        status.Quarantined,
        status.Checkpoint,
        status.RecordsPerSecond is { } rate ? Math.Round(rate, 1) : null,
        status.StartedAt,
        status.FinishedAt,
        status.LastCheckpointAt,
        status.Error,
        status.RecentErrors ?? [],
        status.Phases is { } phases
            ?
            [
                PhaseView.Of("extract", phases.Extract),
                PhaseView.Of("transform", phases.Transform),
                PhaseView.Of("load", phases.Load),
            ]
            : [],
        status.Totals,
        status.ReadFraction,
        status.EstimatedTimeLeft()?.TotalSeconds);
}

/// <summary>One phase's work: records, its own speed (records per busy second) and errors.</summary>
internal sealed record PhaseView(string Name, long Records, double? RecordsPerSecond, long Errors)
{
    public static PhaseView Of(string name, PhaseStats stats) => new(name, stats.Records, stats.RecordsPerSecond, stats.Errors);
}
