using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Akka.Persistence;
using EtlActors.Engine.Logging;
using EtlActors.Engine.Telemetry;
using EtlActors.Contracts.Jobs;
using static EtlActors.Contracts.Jobs.JobProtocol;
using static EtlActors.Engine.Registry.JobRegistryState;

namespace EtlActors.Engine.Registry;

/// <summary>
/// The cluster's list of jobs and keeper of the per-tenant limit on concurrent jobs: a persistent
/// cluster singleton. Supervisors report their status to it and ask it for a slot before they run;
/// it answers <c>etl jobs list</c>. Reports can be lost while it moves between nodes, so it also asks
/// the jobs it believes running or waiting for their status now and then.
/// </summary>
public sealed class JobRegistry : ReceivePersistentActor, IWithTimers
{
    /// <summary>A supervisor of a job (pending) asks to run it; answered with <see cref="SlotGranted"/> or <see cref="SlotQueued"/>.</summary>
    public sealed record AcquireSlot(JobStatus Pending) : IWithJobId
    {
        public JobId JobId => Pending.JobId;
    }

    /// <summary>The job may run: its tenant has a free slot and the job was first in line. Sent through the shard region when a slot frees up.</summary>
    public sealed record SlotGranted(JobId JobId) : IWithJobId;

    /// <summary>The job waits; <paramref name="Position"/> 1 is next in line.</summary>
    public sealed record SlotQueued(JobId JobId, int Position) : IWithJobId;

    private sealed record Reconcile : INoSerializationVerificationNeeded;

    public const string Name = "job-registry";

    /// <summary>
    /// The distributed pub-sub topic every status the registry records is published on (a <see cref="JobStatus"/>): state
    /// changes at once, progress as supervisors report it (every 2 s). The dashboards subscribe, so they are pushed what
    /// the registry knows without asking it.
    /// </summary>
    public const string StatusTopic = "etl-job-status";
    private const int SnapshotEvery = 200;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _jobRegion;
    private readonly int _limit;
    private readonly TimeSpan _reconcileEvery;
    private readonly IActorRef? _statusTopic;
    private JobRegistryState _state = Empty;

    public JobRegistry(IActorRef jobRegion, int maxConcurrentJobsPerTenant, TimeSpan reconcileEvery, IActorRef? mediator)
    {
        _jobRegion = jobRegion;
        _statusTopic = mediator;
        _limit = maxConcurrentJobsPerTenant;
        _reconcileEvery = reconcileEvery;

        Recover<SnapshotOffer>(offer => _state = (JobRegistryState)offer.Snapshot);
        Recover<JobRecorded>(e => _state = _state.Apply(e));
        Recover<RecoveryCompleted>(_ =>
        {
            EngineMetrics.RegistryState(Self, _state);
            Timers.StartPeriodicTimer(nameof(Reconcile), new Reconcile(), TimeSpan.FromSeconds(2), _reconcileEvery);
            // A slot may have freed while the registry was moving: admit whoever waits.
            foreach (var tenant in _state.Jobs.Values.Select(e => e.Tenant).Distinct().ToList())
                AdmitNext(tenant);
        });

        Command<AcquireSlot>(OnAcquire);
        Command<JobStatus>(OnReport);
        Command<ListJobs>(list => Sender.Tell(new JobList(_state.List(list.State, list.TenantId))));
        Command<Reconcile>(_ =>
        {
            foreach (var entry in _state.Jobs.Values.Where(e => e.Status.State is JobState.Running or JobState.Pending))
                _jobRegion.Tell(new GetJob(entry.Status.JobId));
        });
        // A snapshot holds the whole state: the events and older snapshots before it are not needed for recovery.
        Command<SaveSnapshotSuccess>(saved =>
        {
            DeleteMessages(saved.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(f => _log.Warning("job registry: snapshot failed: {0}", f.Cause.Message));
    }

    public override string PersistenceId => "etl-job-registry";

    protected override void PostStop()
    {
        EngineMetrics.RegistryState(Self, null); // the registry moves: its new node reports the jobs
        base.PostStop();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="mediator">The distributed pub-sub mediator <see cref="StatusTopic"/> is published through; null in an engine of one process, which no dashboard watches.</param>
    public static Props Props(IActorRef jobRegion, int maxConcurrentJobsPerTenant, TimeSpan reconcileEvery, IActorRef? mediator) =>
        Akka.Actor.Props.Create(() => new JobRegistry(jobRegion, maxConcurrentJobsPerTenant, reconcileEvery, mediator));

    private void OnAcquire(AcquireSlot acquire)
    {
        var decision = _state.Acquire(acquire.Pending, _limit);
        var supervisor = Sender;
        PersistAll(decision.Events, Record);
        DeferAsync(decision, d =>
        {
            if (d.Granted)
                supervisor.Tell(new SlotGranted(acquire.JobId));
            else
            {
                supervisor.Tell(new SlotQueued(acquire.JobId, d.Position));
                if (d.Events.Count > 0)
                    _log.ForJob(acquire.JobId, acquire.Pending.Spec?.TenantId)
                        .Info("job {0} waits: tenant {1} runs {2} of {3} jobs (position {4})", acquire.JobId, acquire.Pending.Spec?.TenantId, _state.RunningCount(acquire.Pending.Spec?.TenantId ?? ""), _limit, d.Position);
            }
        });
    }

    private void OnReport(JobStatus report)
    {
        if (!_state.Accepts(report))
            return;
        if (!_state.ChangesState(report))
        {
            _state = _state.Apply(new JobRecorded(report)); // progress only: kept in memory, the next report renews it
            _statusTopic?.Tell(new Publish(StatusTopic, report));
            return;
        }
        var freesSlot = _state.Jobs.TryGetValue(report.JobId.Value, out var before) && before.Status.State == JobState.Running && report.State != JobState.Running;
        Persist(new JobRecorded(report), e =>
        {
            Record(e);
            if (freesSlot)
                AdmitNext(e.Status.Spec!.TenantId);
        });
    }

    private void AdmitNext(string tenant)
    {
        var admitted = _state.Admit(tenant, _limit);
        if (admitted.Count == 0)
            return;
        PersistAll(admitted, e =>
        {
            Record(e);
            _log.ForJob(e.Status.JobId, tenant).Info("job {0} may run now: a slot of tenant {1} is free", e.Status.JobId, tenant);
            _jobRegion.Tell(new SlotGranted(e.Status.JobId)); // wakes the supervisor wherever it lives
        });
    }

    private void Record(JobRecorded e)
    {
        _state = _state.Apply(e);
        EngineMetrics.RegistryState(Self, _state);
        _statusTopic?.Tell(new Publish(StatusTopic, _state.Jobs[e.Status.JobId.Value].Status));
        if (LastSequenceNr % SnapshotEvery == 0)
            SaveSnapshot(_state);
    }
}
