using System.Globalization;
using System.Text.Json;
using EtlActors.Contracts.Jobs;

namespace EtlActors.Cli.Output;

/// <summary>A job as `etl jobs show` prints it: the JSON object scripts parse, and the lines people read.</summary>
internal sealed record JobView(
    string Id,
    string State,
    string? Tenant,
    string? Node,
    long Offset,
    long Loaded,
    long Quarantined,
    string? Error,
    string? Source,
    string? Sink,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    JobTotals? Totals)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
    };

    public static JobView Of(JobStatus status) => new(
        status.JobId.Value,
        status.State.ToString(),
        status.Spec?.TenantId,
        status.Node,
        status.Checkpoint,
        status.Processed - status.Quarantined,
        status.Quarantined,
        status.Error,
        status.Spec?.SourcePath,
        status.Spec?.Sink,
        status.StartedAt,
        status.FinishedAt,
        status.Totals);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public IEnumerable<string> ToLines()
    {
        var inv = CultureInfo.InvariantCulture;
        yield return $"job          {Id}";
        yield return $"state        {State}";
        yield return $"tenant       {Tenant}";
        yield return $"node         {Node}";
        yield return $"source       {Source}";
        yield return $"sink         {Sink}";
        yield return $"checkpoint   {Offset.ToString(inv)}";
        yield return $"loaded       {Loaded.ToString(inv)}";
        yield return $"quarantined  {Quarantined.ToString(inv)}";
        if (StartedAt is { } started)
            yield return $"started      {started.ToString("u", inv)}";
        if (FinishedAt is { } finished)
            yield return $"finished     {finished.ToString("u", inv)}";
        if (Error is not null)
            yield return $"error        {Error}";
    }
}
