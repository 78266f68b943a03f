using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using EtlActors.Contracts.Jobs;
using EtlActors.Pipeline.Sources;
using EtlActors.Engine.Load;
using EtlActors.Engine.Logging;
using EtlActors.Engine.Registry;
using EtlActors.Engine.Telemetry;
using static EtlActors.Contracts.Jobs.JobProtocol;
using static EtlActors.Engine.Jobs.JobEvents;

namespace EtlActors.Engine.Jobs;

/// <summary>
/// Owns one job: an entity of the "jobs" shard region (remember-entities, so a lost node's jobs restart
/// elsewhere and resume from their checkpoints). A thin shell over <see cref="JobDecisions"/>: each phase is
/// a behaviour that asks the rules what to do and does it — persist, answer, start or stop a stream.
/// Messages a phase does not take fall through to Unhandled.
/// </summary>
public sealed partial class JobSupervisor : ReceivePersistentActor, IWithTimers
{
    /// <summary>Sharding's stop message when the job's shard moves: checkpoint the loaded prefix and stop.</summary>
    public sealed record HandOff : INoSerializationVerificationNeeded
    {
        public static readonly HandOff Instance = new();
    }

    private sealed record RetryRun : INoSerializationVerificationNeeded;
    private sealed record ResumeAfterRecovery : INoSerializationVerificationNeeded;
    private sealed record AskForSlot : INoSerializationVerificationNeeded;
    private sealed record ReportProgress : INoSerializationVerificationNeeded;

    /// <summary>Who waits for an answer once the job runs, waits, pauses or is cancelled.</summary>
    private sealed record Waiter(IActorRef ReplyTo, bool WantsAccepted);

    private const int SnapshotEvery = 100;
    private const int RecentErrorsKept = 5;
    private static readonly TimeSpan AskForSlotEvery = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(2);

    private readonly JobSupervisorSetup _setup;
    private readonly RetryPolicy _retry;
    private readonly ErrorBudget _budget;
    private readonly List<Waiter> _waiters = [];
    private readonly Queue<string> _recentErrors = new();
    private JobSupervisorState _state;
    private JobPhase _phase;
    private JobRun? _run;
    private JobRunStream? _stream;
    private RunningJob? _running;
    // The work per phase when the current stream started (the last checkpoint's, and failures since), and the
    // failures not yet in a checkpoint.
    private JobPhases _phaseBase = JobPhases.None;
    private JobPhases _unsavedErrors = JobPhases.None;
    private int _streams;
    private bool _slotAnswered;

    public JobSupervisor(JobId jobId, JobSupervisorSetup setup)
    {
        _setup = setup;
        _retry = RetryPolicy.From(setup.Options);
        _budget = ErrorBudget.From(setup.Options);
        _state = JobSupervisorState.Initial(jobId);
        PersistenceId = $"job-{jobId.Value}";

        Recover<SnapshotOffer>(offer => _state = (JobSupervisorState)offer.Snapshot);
        Recover<RecoveryCompleted>(_ => OnRecovered());
        Recover<object>(e => _state = _state.Apply(e));
        Idle();
    }

    private static readonly TimeSpan RecoveredIdlePassivation = TimeSpan.FromSeconds(1);

    public override string PersistenceId { get; }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(TransformerNodeLost)); // dropped when this actor stops
        base.PreStart();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(JobId jobId, JobSupervisorSetup setup) => Akka.Actor.Props.Create(() => new JobSupervisor(jobId, setup));

    protected override SupervisorStrategy SupervisorStrategy() => LoaderSupervision.Strategy();

    /// <summary>A logger for one line: with the job's id and tenant, at the level last set (see <see cref="JobLogging"/>).</summary>
    private ILoggingAdapter JobLog => Context.GetLogger().ForJob(_state.JobId, _state.Spec?.TenantId);

    private bool Limited => _setup.Options.MaxConcurrentJobsPerTenant > 0;

    /// <summary>Whether <paramref name="spec"/>'s source is a file or folder of the node (else it is named, not read, by its path).</summary>
    private bool ReadsFiles(JobSpec spec) => _setup.Connectors.Find(spec.SourceKind)?.ReadsFiles ?? true;

    /// <summary>The sources root that admits <paramref name="spec"/>'s path, or null for a source that is not a file.</summary>
    private SourceRoot? SourcesFor(JobSpec? spec) => spec is null || ReadsFiles(spec) ? _setup.Sources : null;

    private void OnRecovered()
    {
        if (_state.Error is not null)
            _recentErrors.Enqueue(_state.Error);
        // A run going when the process or node died goes on from its checkpoint, still holding its tenant's
        // slot; a job that was waiting for a slot waits again.
        if (_state.State == JobState.Running && _state.Spec is not null)
            Self.Tell(new ResumeAfterRecovery());
        else if (_state.State == JobState.Pending && _state.Spec is not null)
            BecomeQueued();
        else
            // Restarted as a remembered entity (its shard moved, or its node started again) with
            // nothing to do: leaving soon also drops it from the remembered set, so a finished job is restarted
            // once, not on every later start-up or failover (issue 17). A message that woke it is answered first.
            SetReceiveTimeout(RecoveredIdlePassivation);
    }

    private void Idle()
    {
        // A job with no run leaves memory (and the remembered entities) after a while; the next message recovers it.
        SetReceiveTimeout(_setup.Options.IdleJobPassivation);
        Common();
        Commands();
        Command<ResumeAfterRecovery>(_ => StartRun(_state.Spec!));
        Command<JobRegistry.SlotGranted>(_ => _setup.Registry.Tell(Status())); // the registry thinks it runs: tell it otherwise
        Command<ReceiveTimeout>(_ => Context.Parent.Tell(new Passivate(HandOff.Instance)));
        Command<HandOff>(_ => Context.Stop(Self));
    }

    /// <summary>Waits for a slot of its tenant; the registry grants it when one is free and the job is first in line.</summary>
    private void Queued()
    {
        Common();
        Commands();
        Command<JobRegistry.SlotGranted>(_ => StartRun(_state.Spec!));
        Command<JobRegistry.SlotQueued>(_ =>
        {
            _slotAnswered = true;
            ReplyToWaiters();
        });
        Command<AskForSlot>(_ =>
        {
            // The registry is a singleton that may be moving: ask again, and do not keep callers waiting.
            _setup.Registry.Tell(new JobRegistry.AcquireSlot(Status()));
            ReplyToWaiters();
        });
        Command<HandOff>(_ => Context.Stop(Self));
    }

    private void Running()
    {
        Streaming();
        Commands();
        Command<JobRunStream.Completed>(c => c.Run == _run!.Number, _ => OnOutcome(JobDecisions.OnStreamCompleted(_run!)));
        Command<HandOff>(_ => HandOver());
        Command<TransformerNodeLost>(lost => _stream?.Abort(new TransformerNodeLostException(lost.Node)));
    }

    /// <summary>Intake is shut: in-flight batches load, then the stop is persisted. A start or resume waits for it.</summary>
    private void Stopping()
    {
        Streaming();
        Commands();
        Command<JobRunStream.Completed>(c => c.Run == _run!.Number, _ => OnOutcome(JobDecisions.OnStreamCompleted(_run!)));
        Command<HandOff>(_ => StopAs(_run!.Stop!.Value, thenStop: true));
    }

    /// <summary>Every record is loaded; the sink finalises and counts. Commands wait for the completion to be persisted.</summary>
    private void Finishing()
    {
        Common();
        Commands();
        Command<ReportProgress>(_ => _setup.Registry.Tell(Status()));
        Command<JobRunStream.Failed>(f => f.Run == _run!.Number, f => OnFailed(f.Cause));
        Command<BatchLoader.Finished>(finished =>
        {
            PersistAll(JobDecisions.CompletionEvents(_run!, finished.Totals, DateTimeOffset.UtcNow), Apply);
            DeferAsync(finished, _ => EndRun($"completed: {finished.Totals}"));
        });
        Command<HandOff>(_ => HandOver());
    }

    /// <summary>Between a failed stream and its restart: still Running to callers.</summary>
    private void Retrying()
    {
        Common();
        Commands();
        Command<ReportProgress>(_ => _setup.Registry.Tell(Status()));
        Command<RetryRun>(_ =>
        {
            JobLog.Info("job {0}: restarting from checkpoint {1} (attempt {2} of {3})", _state.JobId, _state.Checkpoint, _run!.FailuresInARow, _retry.MaxRetries);
            StartStream(_state.Spec!, _run with { });
        });
        Command<HandOff>(_ => Context.Stop(Self));
    }

    private void Common()
    {
        Command<GetJob>(_ => Sender.Tell(Status()));
        Command<SaveSnapshotSuccess>(saved => PruneBefore(saved.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(failed => JobLog.Warning("job {0}: snapshot failed: {1}", _state.JobId, failed.Cause.Message));
    }

    private void Commands()
    {
        Command<StartJob>(start => Act(JobDecisions.OnStart(_state, _phase, _run, start.Spec, Limited, SourcesFor(start.Spec))));
        Command<ResumeJob>(_ => Act(JobDecisions.OnResume(_state, _phase, Status(), Limited, SourcesFor(_state.Spec))));
        Command<PauseJob>(_ => Act(JobDecisions.OnPause(_state, _phase, Status())));
        Command<CancelJob>(_ => Act(JobDecisions.OnCancel(_state, _phase)));
    }

    /// <summary>What Running and Stopping share: the stream's protocol.</summary>
    private void Streaming()
    {
        Common();
        Command<ReportProgress>(_ => _setup.Registry.Tell(Status()));
        Command<JobRunStream.Started>(_ => Sender.Tell(new JobRunStream.Ack()));
        Command<BatchLoader.Loaded>(OnBatchLoaded);
        Command<JobRunStream.Failed>(f => f.Run == _run!.Number, f => OnFailed(f.Cause));
    }
}
