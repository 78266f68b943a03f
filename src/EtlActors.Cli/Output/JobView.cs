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
    JobTotals? Totals,
    double? RecordsPerSecond,
    DateTimeOffset? LastCheckpointAt,
    IReadOnlyList<string> Errors,
    JobPhases? Phases,
    double? ReadFraction = null,
    double? SecondsLeft = null)
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
        status.Totals,
        status.RecordsPerSecond,
        status.LastCheckpointAt,
        status.RecentErrors ?? [],
        status.Phases,
        status.ReadFraction,
        status.EstimatedTimeLeft()?.TotalSeconds);

    /// <summary>Many jobs as one JSON array of the objects <see cref="ToJson"/> prints.</summary>
    public static string ToJson(IEnumerable<JobView> views) => JsonSerializer.Serialize(views, Json);

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
        yield return $"checkpoint   {Numbers.Count(Offset)}";
        yield return $"loaded       {Numbers.Count(Loaded)}";
        yield return $"quarantined  {Numbers.Count(Quarantined)}";
        if (RecordsPerSecond is { } rate)
            yield return $"rate         {Numbers.Rate(rate)}";
        if (ReadFraction is { } read)
            yield return $"read         {Numbers.Done(read, SecondsLeft is { } left ? TimeSpan.FromSeconds(left) : null)}";
        if (LastCheckpointAt is { } checkpointAt)
            yield return $"checkpointed {checkpointAt.ToString("u", inv)}";
        if (StartedAt is { } started)
            yield return $"started      {started.ToString("u", inv)}";
        if (FinishedAt is { } finished)
            yield return $"finished     {finished.ToString("u", inv)}";
        if (Error is not null)
            yield return $"error        {Error}";
        if (Totals is { } totals)
            yield return $"rows         {Numbers.Count(totals.Conversations)} conversations, {Numbers.Count(totals.Participants)} participants, {Numbers.Count(totals.Messages)} messages"
                + (totals.Table is { } table ? $", {Numbers.Count(totals.TableRows)} {table}" : "");
        if (Phases is { } phases)
            foreach (var line in PhaseLines(phases))
                yield return line;
        foreach (var error in Errors)
            yield return $"recent error {error}";
    }

    /// <summary>One line per phase: records, busy time, own speed, errors (what each counts is in JobPhases' docs).</summary>
    public static IEnumerable<string> PhaseLines(JobPhases phases)
    {
        var inv = CultureInfo.InvariantCulture;
        foreach (var (name, stats, errors) in new[] { ("extract", phases.Extract, "failures"), ("transform", phases.Transform, "quarantined"), ("load", phases.Load, "failures") })
            yield return $"{name,-12} {Numbers.Count(stats.Records)} records in {stats.BusySeconds.ToString("0.0", inv)} s busy"
                + (stats.RecordsPerSecond is { } rate ? $" ({Numbers.Rate(rate)})" : "")
                + $", {Numbers.Count(stats.Errors)} {errors}";
    }
}
