using System.Threading.Channels;
using Akka.Actor;
using EtlActors.Contracts.Jobs;
using EtlActors.Dashboard.Access;
using EtlActors.Dashboard.Api;

namespace EtlActors.Dashboard.Live;

/// <summary>
/// The node's end of the push: <see cref="FeedActor"/> hands it every job status the registry publishes and every
/// membership change, and it passes each on at once to the browsers connected to this node, keeping what the charts
/// and the checkpoint history need meanwhile.
/// </summary>
internal sealed class DashboardFeed
{
    /// <summary>How often the cluster's rate is sampled for the overview's chart; 15 minutes of samples are kept.</summary>
    public static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(5);
    private const int MaxRateSamples = 180;
    private const int MaxJobs = 2_000; // histories kept; the least recently reported go first
    private const int Backlog = 512; // events a slow browser may fall behind by before the oldest are dropped

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (JobStatus Status, JobHistory History, DateTimeOffset Seen)> _jobs = new(StringComparer.Ordinal);
    private readonly List<ClusterRateSample> _rates = [];
    private readonly List<Subscriber> _subscribers = [];
    private IActorRef? _actor;

    /// <summary>Starts listening on <paramref name="system"/>; once.</summary>
    public void Start(ActorSystem system)
    {
        lock (_lock)
            _actor ??= system.ActorOf(FeedActor.Props(this), "etl-dashboard-feed");
    }

    public void OnStatus(JobStatus status)
    {
        if (status.Spec is null)
            return;
        var now = DateTimeOffset.UtcNow;
        lock (_lock)
        {
            if (!_jobs.TryGetValue(status.JobId.Value, out var known))
            {
                if (_jobs.Count >= MaxJobs)
                    _jobs.Remove(_jobs.MinBy(j => j.Value.Seen).Key);
                known = (status, new JobHistory(), now);
            }
            known.History.Add(status, now);
            _jobs[status.JobId.Value] = (status, known.History, now);
        }
        Publish(new DashboardEvent("job", JobView.Of(status), status.Spec.TenantId));
    }

    public void OnMembersChanged() => Publish(new DashboardEvent("members", new { }, null));

    /// <summary>Adds up the rates of the running jobs the node has heard of, per tenant, and pushes each user their part.</summary>
    public void Sample()
    {
        ClusterRateSample sample;
        lock (_lock)
        {
            var stale = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(15); // a job that stopped reporting (its node died) no longer counts
            var byTenant = _jobs.Values
                .Where(j => j.Status.State == JobState.Running && j.Seen > stale && j.Status.RecordsPerSecond is > 0)
                .GroupBy(j => j.Status.Spec!.TenantId, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Sum(j => j.Status.RecordsPerSecond!.Value), StringComparer.Ordinal);
            sample = new ClusterRateSample(DateTimeOffset.UtcNow, byTenant);
            if (_rates.Count == MaxRateSamples)
                _rates.RemoveAt(0);
            _rates.Add(sample);
        }
        Subscriber[] subscribers;
        lock (_lock)
            subscribers = [.. _subscribers];
        foreach (var s in subscribers)
            s.Channel.Writer.TryWrite(new DashboardEvent("rate", sample.For(s.User), null));
    }

    /// <summary>The cluster's rate over the last minutes, as <paramref name="user"/> may see it.</summary>
    public IReadOnlyList<RatePoint> Rates(DashboardUser user)
    {
        lock (_lock)
            return [.. _rates.Select(r => r.For(user))];
    }

    /// <summary>What this node saw of a job: its rate samples and checkpoints; empty for a job it has not heard of.</summary>
    public (IReadOnlyList<RateSample> Samples, IReadOnlyList<CheckpointView> Checkpoints) History(JobStatus status)
    {
        lock (_lock)
        {
            return _jobs.TryGetValue(status.JobId.Value, out var known)
                ? (known.History.Samples, known.History.Checkpoints(status.Processed))
                : ([], []);
        }
    }

    /// <summary>A browser's stream of events; it ends when <paramref name="cancellationToken"/> does.</summary>
    public async IAsyncEnumerable<DashboardEvent> SubscribeAsync(DashboardUser user, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var subscriber = new Subscriber(user, Channel.CreateBounded<DashboardEvent>(new BoundedChannelOptions(Backlog)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        }));
        lock (_lock)
            _subscribers.Add(subscriber);
        try
        {
            await foreach (var e in subscriber.Channel.Reader.ReadAllAsync(cancellationToken))
                yield return e;
        }
        finally
        {
            lock (_lock)
                _subscribers.Remove(subscriber);
        }
    }

    private void Publish(DashboardEvent e)
    {
        Subscriber[] subscribers;
        lock (_lock)
            subscribers = [.. _subscribers];
        foreach (var s in subscribers)
        {
            if (e.IsFor(s.User))
                s.Channel.Writer.TryWrite(e);
        }
    }

    private sealed record Subscriber(DashboardUser User, Channel<DashboardEvent> Channel);

    private sealed record ClusterRateSample(DateTimeOffset At, IReadOnlyDictionary<string, double> ByTenant)
    {
        public RatePoint For(DashboardUser user) =>
            new(At, Math.Round(ByTenant.Where(t => user.Sees(t.Key)).Sum(t => t.Value), 1));
    }
}

/// <summary>Records per second across the cluster at a moment.</summary>
internal sealed record RatePoint(DateTimeOffset At, double RecordsPerSecond);
