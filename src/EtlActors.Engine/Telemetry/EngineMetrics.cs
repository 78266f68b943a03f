using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Akka.Actor;
using EtlActors.Contracts.Jobs;
using EtlActors.Engine.Memory;
using EtlActors.Engine.Registry;
using EtlActors.Pipeline.Telemetry;

namespace EtlActors.Engine.Telemetry;

/// <summary>
/// The engine's instruments, on the meter <see cref="PipelineMetrics.MeterName"/> (a node exports them at
/// <c>/metrics</c>). Record counts are labelled by tenant and source kind only: a job id would make a series per
/// job. Gauges are read when scraped, from what this node runs now (<see cref="RunningJobs"/>), the job registry if it
/// lives here, and the cluster's membership as this node sees it.
/// </summary>
internal static class EngineMetrics
{
    private static readonly Meter Meter = new(PipelineMetrics.MeterName);

    private static readonly Counter<long> Extracted = Meter.CreateCounter<long>("etl.records.extracted", "{record}", "Source records read.");
    private static readonly Counter<long> Transformed = Meter.CreateCounter<long>("etl.records.transformed", "{record}", "Source records normalised into rows.");
    private static readonly Counter<long> Loaded = Meter.CreateCounter<long>("etl.records.loaded", "{record}", "Source records whose rows are committed to the sink.");
    private static readonly Counter<long> Quarantined = Meter.CreateCounter<long>("etl.records.quarantined", "{record}", "Source records committed to the quarantine table instead.");
    private static readonly Counter<long> TransformationErrors = Meter.CreateCounter<long>("etl.transformation.errors", "{error}", "Records quarantined, by error code.");
    private static readonly Counter<long> JobsFailed = Meter.CreateCounter<long>("etl.jobs.failed", "{job}", "Jobs that ended Failed.");

    // Seconds, so OpenTelemetry's default buckets (made for milliseconds) would put every batch in the first few.
    private static readonly Histogram<double> BatchLoadDuration = Meter.CreateHistogram(
        "etl.batch.load.duration", "s", "How long one batch's transaction took in the sink.", tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    // Each engine in this process (one on a node; tests start several) and its memory guard.
    private static readonly ConcurrentDictionary<Akka.Cluster.Cluster, MemoryGuard> Clusters = new();
    // Each registry this process hosts (a node hosts at most one; tests start several engines side by side), by its actor.
    private static readonly ConcurrentDictionary<IActorRef, JobRegistryState> Registries = new();

    static EngineMetrics()
    {
        Meter.CreateObservableGauge("etl.extraction.rate", ExtractionRates, "{record}/s", "Source records per second of the jobs running on this node, since each run started.");
        Meter.CreateObservableGauge("etl.checkpoint.age", () => RunningJobs.All.Select(j => j.CheckpointAge(DateTimeOffset.UtcNow)).DefaultIfEmpty(0).Max(), "s",
            "The longest time since the last checkpoint among the jobs running on this node (0 when none runs).");
        Meter.CreateObservableGauge("etl.checkpoint.lag", () => RunningJobs.All.Select(j => j.CheckpointLag).DefaultIfEmpty(0).Max(), "{record}",
            "The most records loaded but not yet checkpointed among the jobs running on this node.");
        Meter.CreateObservableGauge("etl.jobs", JobsByState, "{job}", "The cluster's jobs by state, as the job registry knows them (reported by the node that hosts it).");
        Meter.CreateObservableGauge("etl.cluster.members", MembersByStatus, "{member}", "Cluster members by status, as this node sees them.");
        Meter.CreateObservableGauge("etl.cluster.unreachable_members", () => Clusters.Keys.Sum(c => c.State.Unreachable.Count), "{member}",
            "Members this node's failure detector cannot reach.");
        Meter.CreateObservableGauge("etl.memory.used", () => Environment.WorkingSet, "By", "This process's resident memory.");
        Meter.CreateObservableGauge("etl.memory.limit", () => Clusters.Values.Select(g => g.LimitBytes).DefaultIfEmpty(MemoryLimits.DefaultBytes).Min(), "By",
            "The memory this node may use: Etl:MemoryLimitMiB, or its container's limit.");
        Meter.CreateObservableGauge("etl.memory.throttling", () => Clusters.Values.Any(g => g.Throttling) ? 1 : 0, unit: null,
            "1 while the memory guard slows intake (memory in use above 85% of the limit, until it falls below 70%), else 0.");
    }

    /// <summary>The tags of a job's record counts.</summary>
    public static TagList JobTags(string tenantId, string sourceKind) => new() { { "tenant", tenantId }, { "source_kind", sourceKind } };

    public static void RecordsExtracted(long count, in TagList tags) => Extracted.Add(count, tags);

    public static void RecordsTransformed(long count, IEnumerable<string> errorCodes, in TagList tags)
    {
        Transformed.Add(count, tags);
        foreach (var code in errorCodes)
            TransformationErrors.Add(1, new KeyValuePair<string, object?>("code", code));
    }

    public static void RecordsLoaded(long records, long quarantined, in TagList tags)
    {
        Loaded.Add(records - quarantined, tags);
        if (quarantined > 0)
            Quarantined.Add(quarantined, tags);
    }

    public static void BatchLoaded(TimeSpan took) => BatchLoadDuration.Record(took.TotalSeconds);

    public static void JobFailed(string tenantId) => JobsFailed.Add(1, new KeyValuePair<string, object?>("tenant", tenantId));

    /// <summary>The state of <paramref name="registry"/> after each change, on the node that hosts it; null when it stops here.</summary>
    public static void RegistryState(IActorRef registry, JobRegistryState? state)
    {
        if (state is null)
            Registries.TryRemove(registry, out _);
        else
            Registries[registry] = state;
    }

    /// <summary>Reports <paramref name="cluster"/>'s membership and its node's <paramref name="memory"/> guard until its actor system terminates.</summary>
    public static void Observe(Akka.Cluster.Cluster cluster, MemoryGuard memory)
    {
        Clusters[cluster] = memory;
        cluster.System.WhenTerminated.ContinueWith(_ => Clusters.TryRemove(cluster, out var _), TaskScheduler.Default);
    }

    private static IEnumerable<Measurement<double>> ExtractionRates()
    {
        var now = DateTimeOffset.UtcNow;
        return RunningJobs.All
            .GroupBy(j => (j.TenantId, j.SourceKind))
            .Select(g => new Measurement<double>(g.Sum(j => j.Rate(now)), JobTags(g.Key.TenantId, g.Key.SourceKind)));
    }

    private static IEnumerable<Measurement<long>> JobsByState()
    {
        if (Registries.IsEmpty)
            return [];
        var counts = Registries.Values.SelectMany(r => r.Jobs.Values).GroupBy(e => e.Status.State).ToDictionary(g => g.Key, g => (long)g.Count());
        // Every state, zeros included, so a state's series does not vanish when its last job leaves it.
        return Enum.GetValues<JobState>().Select(s => new Measurement<long>(counts.GetValueOrDefault(s), new KeyValuePair<string, object?>("state", s.ToString())));
    }

    private static IEnumerable<Measurement<long>> MembersByStatus() =>
        Clusters.Keys
            .SelectMany(c => c.State.Members)
            .GroupBy(m => m.Status.ToString())
            .Select(g => new Measurement<long>(g.Count(), new KeyValuePair<string, object?>("status", g.Key)));
}
