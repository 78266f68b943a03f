using System.Collections.Immutable;
using System.Text.Json.Serialization;
using EtlActors.Contracts.Jobs;

namespace EtlActors.Engine.Registry;

/// <summary>
/// Every job the cluster knows, with its last reported status, and the per-tenant slots: a job
/// holds a slot while <see cref="JobState.Running"/>, and jobs beyond their tenant's limit wait as
/// <see cref="JobState.Pending"/> in submission order. Pure, so the rules are tested without actors.
/// </summary>
/// <param name="Jobs">By job id.</param>
/// <param name="NextOrder">The order the next job to queue gets: a job queued later runs later.</param>
public sealed record JobRegistryState(ImmutableDictionary<string, JobRegistryState.Entry> Jobs, long NextOrder)
{
    /// <summary>A job's last known status, and when it was last queued.</summary>
    public sealed record Entry(JobStatus Status, long Order)
    {
        [JsonIgnore]
        public string Tenant => Status.Spec?.TenantId ?? "";
    }

    /// <summary>The registry's only event: a job's status as recorded.</summary>
    public sealed record JobRecorded(JobStatus Status);

    /// <summary>What an <see cref="Acquire"/> decided: the events to persist, and whether the job may run now.</summary>
    public sealed record Decision(IReadOnlyList<JobRecorded> Events, bool Granted, int Position);

    public static readonly JobRegistryState Empty = new(ImmutableDictionary<string, Entry>.Empty, 1);

    public JobRegistryState Apply(JobRecorded recorded)
    {
        var status = recorded.Status;
        var id = status.JobId.Value;
        var requeued = !Jobs.TryGetValue(id, out var entry) || (status.State == JobState.Pending && entry.Status.State != JobState.Pending);
        var next = requeued ? new Entry(status, NextOrder) : entry! with { Status = status };
        return this with { Jobs = Jobs.SetItem(id, next), NextOrder = requeued ? NextOrder + 1 : NextOrder };
    }

    /// <summary>Jobs of <paramref name="tenant"/> holding a slot.</summary>
    public int RunningCount(string tenant) => Jobs.Values.Count(e => e.Tenant == tenant && e.Status.State == JobState.Running);

    /// <summary><paramref name="tenant"/>'s waiting jobs, first to run first.</summary>
    public IReadOnlyList<Entry> Queue(string tenant) =>
        Jobs.Values.Where(e => e.Tenant == tenant && e.Status.State == JobState.Pending).OrderBy(e => e.Order).ToList();

    /// <summary>
    /// A supervisor asks to run <paramref name="pending"/>: it may when the job already holds a slot, or
    /// when it is first in its tenant's queue and the tenant runs fewer than <paramref name="limit"/> jobs
    /// (0: no limit). Otherwise it is queued (once) and told its place.
    /// </summary>
    public Decision Acquire(JobStatus pending, int limit)
    {
        var id = pending.JobId.Value;
        if (Jobs.TryGetValue(id, out var known) && known.Status.State == JobState.Running)
            return new Decision([], true, 0);
        var events = new List<JobRecorded>();
        var state = this;
        if (known?.Status.State != JobState.Pending)
        {
            var queued = new JobRecorded(pending with { State = JobState.Pending });
            events.Add(queued);
            state = state.Apply(queued);
        }
        var tenant = pending.Spec?.TenantId ?? "";
        var queue = state.Queue(tenant);
        var position = queue.ToList().FindIndex(e => e.Status.JobId == pending.JobId);
        if (position == 0 && (limit <= 0 || state.RunningCount(tenant) < limit))
            return new Decision([.. events, new JobRecorded(state.Jobs[id].Status with { State = JobState.Running })], true, 0);
        return new Decision(events, false, position + 1);
    }

    /// <summary>The jobs of <paramref name="tenant"/> that may run now that a slot is free, first in the queue first.</summary>
    public IReadOnlyList<JobRecorded> Admit(string tenant, int limit)
    {
        var queue = Queue(tenant);
        var free = limit <= 0 ? queue.Count : Math.Max(0, limit - RunningCount(tenant));
        return queue.Take(free).Select(e => new JobRecorded(e.Status with { State = JobState.Running })).ToList();
    }

    /// <summary>
    /// Whether a supervisor's report should be recorded: not when it is older than what is known (an
    /// earlier run, or a run the registry already saw end), and not a Pending report, since the queue
    /// is the registry's to keep (a supervisor waits through <see cref="Acquire"/>).
    /// </summary>
    public bool Accepts(JobStatus report)
    {
        if (report.Spec is null)
            return false;
        if (!Jobs.TryGetValue(report.JobId.Value, out var entry))
            return report.State != JobState.Pending;
        var known = entry.Status;
        if (report.State == JobState.Pending)
            return false;
        if (report.StartedAt < known.StartedAt)
            return false;
        if (report.StartedAt == known.StartedAt && known.FinishedAt is not null && report.FinishedAt is null && known.State != JobState.Running)
            return false;
        return true;
    }

    /// <summary>Whether the report changes the job's state (recorded durably) rather than only its progress (kept in memory).</summary>
    public bool ChangesState(JobStatus report) =>
        !Jobs.TryGetValue(report.JobId.Value, out var entry) || entry.Status.State != report.State || entry.Status.StartedAt != report.StartedAt;

    /// <summary>The jobs matching the filter, newest first.</summary>
    public IReadOnlyList<JobStatus> List(JobState? state, string? tenant) => Jobs.Values
        .Where(e => (state is null || e.Status.State == state) && (tenant is null || e.Tenant == tenant))
        .OrderByDescending(e => e.Order)
        .ThenBy(e => e.Status.JobId.Value, StringComparer.Ordinal)
        .Select(e => e.Status)
        .ToList();
}
