using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using Akka.Streams;
using Akka.Streams.Dsl;
using EtlActors.Contracts.Jobs;
using EtlActors.Engine.Load;
using EtlActors.Pipeline.Load;
using static EtlActors.Contracts.Jobs.JobProtocol;
using EtlActors.Engine.Registry;
using static EtlActors.Engine.Jobs.JobEvents;

namespace EtlActors.Engine.Jobs;

/// <summary>
/// Owns one job: persists its state changes and checkpoints, runs its stream, and spawns its
/// loader. The stream reports loaded batches through Sink.ActorRefWithAck, so a checkpoint is
/// written before the next batch is acknowledged. A failed run is restarted from the checkpoint
/// with exponential backoff until the retry budget is spent; bad input fails at once.
/// It is an entity of the "jobs" shard region with remember-entities: when its node is lost, the
/// shard starts it again on another node, where it recovers Running and resumes from its checkpoint.
/// </summary>
public sealed class JobSupervisor : ReceivePersistentActor, IWithTimers
{
    /// <summary>
    /// Sharding's stop message for a job whose shard moves (its node leaving, a rebalance): save the
    /// loaded prefix as a checkpoint and stop, so the next node resumes there rather than further back.
    /// </summary>
    public sealed record HandOff : INoSerializationVerificationNeeded
    {
        public static readonly HandOff Instance = new();
    }

    private sealed record StreamStarted : INoSerializationVerificationNeeded;
    private sealed record StreamAck : INoSerializationVerificationNeeded;
    private sealed record StreamCompleted(int Run) : INoSerializationVerificationNeeded;
    private sealed record StreamFailed(int Run, Exception Cause) : INoSerializationVerificationNeeded;
    private sealed record RetryRun : INoSerializationVerificationNeeded;
    private sealed record ResumeAfterRecovery : INoSerializationVerificationNeeded;
    private sealed record AskForSlot : INoSerializationVerificationNeeded;
    private sealed record ReportProgress : INoSerializationVerificationNeeded;

    /// <summary>Who waits for an answer once the job runs, waits, pauses or is cancelled.</summary>
    private sealed record Waiter(IActorRef ReplyTo, bool WantsAccepted);

    private const int SnapshotEvery = 100;
    private const long RatioCheckAfter = 1000;
    private const int RecentErrorsKept = 5;
    private static readonly TimeSpan AskForSlotEvery = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(2);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _transformers;
    private readonly IActorRef _registry;
    private readonly List<Waiter> _waiters = [];
    private readonly Queue<string> _recentErrors = new();
    private DateTimeOffset _runStartedAt;
    private bool _cancelling;
    private bool _slotAnswered;
    private readonly EtlEngineOptions _settings;
    private readonly string _node;
    private JobSupervisorState _state;
    private long _processed;
    private long _quarantined;
    private long _runFromOffset;
    private int _run;
    private int _failuresInARow;
    private string? _retryReason;
    private bool _pausing;
    private string? _budgetSpent;
    private IReadOnlyList<IActorRef> _loaders = [];
    private UniqueKillSwitch? _intake;
    private CancellationTokenSource? _runCancellation;

    public JobSupervisor(JobId jobId, IActorRef transformers, IActorRef registry, EtlEngineOptions settings)
    {
        _transformers = transformers;
        _registry = registry;
        _settings = settings;
        var self = Cluster.Get(Context.System).SelfAddress;
        _node = $"{self.Host}:{self.Port}";
        _state = JobSupervisorState.Initial(jobId);
        PersistenceId = $"job-{jobId.Value}";

        Recover<SnapshotOffer>(offer => _state = (JobSupervisorState)offer.Snapshot);
        Recover<JobStarted>(e => _state = _state.Apply(e));
        Recover<CheckpointAdvanced>(e => _state = _state.Apply(e));
        Recover<JobCompleted>(e => _state = _state.Apply(e));
        Recover<JobFailed>(e => _state = _state.Apply(e));
        Recover<JobPaused>(e => _state = _state.Apply(e));
        Recover<JobQueued>(e => _state = _state.Apply(e));
        Recover<JobCancelled>(e => _state = _state.Apply(e));
        Recover<RecoveryCompleted>(_ => OnRecovered());
        Idle();
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(JobId jobId, IActorRef transformers, IActorRef registry, EtlEngineOptions settings) =>
        Akka.Actor.Props.Create(() => new JobSupervisor(jobId, transformers, registry, settings));

    // A loader that fails is restarted with a fresh connection; the run's stream already failed through its ask.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Restart);

    private void OnRecovered()
    {
        _processed = _state.Checkpoint;
        _quarantined = _state.Quarantined;
        if (_state.Error is not null)
            _recentErrors.Enqueue(_state.Error);
        // A run that was going when the process or node died goes on from its checkpoint; it still
        // holds its tenant's slot. A job that was waiting for a slot waits again.
        if (_state.State == JobState.Running && _state.Spec is not null)
            Self.Tell(new ResumeAfterRecovery());
        else if (_state.State == JobState.Pending && _state.Spec is not null)
            BecomeQueued();
    }

    private void Idle()
    {
        // A job that is not running leaves memory (and the remembered entities) after a while; the
        // next message about it recovers it from the journal.
        SetReceiveTimeout(_settings.IdleJobPassivation);
        Command<StartJob>(start => Enqueue(start.Spec, new Waiter(Sender, WantsAccepted: true)));
        Command<ResumeAfterRecovery>(_ => StartRun(_state.Spec!));
        Command<ResumeJob>(_ =>
        {
            if (_state.State is JobState.Paused or JobState.Failed)
                Enqueue(_state.Spec!, new Waiter(Sender, WantsAccepted: false));
            else
                Reject(_state.State == JobState.Completed
                    ? $"job '{_state.JobId}' has completed; nothing to resume (submit it again to load it once more)"
                    : $"job '{_state.JobId}' was cancelled; nothing to resume (submit it again to run it from its checkpoint)");
        });
        Command<GetJob>(_ => Sender.Tell(Status()));
        Command<PauseJob>(_ =>
        {
            if (_state.State == JobState.Paused)
                Sender.Tell(Status());
            else
                Reject($"job '{_state.JobId}' has {Ended()}; nothing to pause");
        });
        Command<CancelJob>(_ =>
        {
            if (_state.State is JobState.Paused or JobState.Failed)
                Cancel(Sender);
            else
                Reject(_state.State == JobState.Cancelled ? $"job '{_state.JobId}' is already cancelled" : $"job '{_state.JobId}' has {Ended()}; nothing to cancel");
        });
        Command<JobRegistry.SlotGranted>(_ => _registry.Tell(Status())); // the registry thinks it runs: tell it otherwise
        Command<JobRegistry.SlotQueued>(_ => { });
        Command<ReceiveTimeout>(_ => Context.Parent.Tell(new Passivate(HandOff.Instance)));
        Command<HandOff>(_ => Context.Stop(Self));
        Command<StreamCompleted>(_ => { }); // from a run already ended
        Command<StreamFailed>(_ => { });
        Command<ReportProgress>(_ => { });
        Command<AskForSlot>(_ => { });
    }

    /// <summary>Waits for a slot of its tenant; the registry grants it when one is free and the job is first in line.</summary>
    private void Queued()
    {
        Command<StartJob>(_ => AnswerOrWait(new Waiter(Sender, WantsAccepted: true)));
        Command<ResumeJob>(_ => AnswerOrWait(new Waiter(Sender, WantsAccepted: false)));
        Command<GetJob>(_ => Sender.Tell(Status()));
        Command<JobRegistry.SlotGranted>(_ =>
        {
            Timers.Cancel(nameof(AskForSlot));
            StartRun(_state.Spec!);
        });
        Command<JobRegistry.SlotQueued>(_ =>
        {
            _slotAnswered = true;
            ReplyToWaiters();
        });
        Command<AskForSlot>(_ =>
        {
            // The registry is a singleton that may be moving: ask again, and do not keep callers waiting.
            _registry.Tell(new JobRegistry.AcquireSlot(Status()));
            ReplyToWaiters();
        });
        Command<PauseJob>(_ =>
        {
            Timers.Cancel(nameof(AskForSlot));
            _waiters.Add(new Waiter(Sender, WantsAccepted: false));
            Pause();
        });
        Command<CancelJob>(_ =>
        {
            Timers.Cancel(nameof(AskForSlot));
            Cancel(Sender);
        });
        Command<HandOff>(_ => Context.Stop(Self));
        Command<StreamCompleted>(_ => { });
        Command<StreamFailed>(_ => { });
        Command<ReportProgress>(_ => { });
    }

    private void Enqueue(JobSpec spec, Waiter waiter)
    {
        SetReceiveTimeout(null);
        _waiters.Add(waiter);
        if (_settings.MaxConcurrentJobsPerTenant <= 0)
        {
            StartRun(spec);
            return;
        }
        Persist(new JobQueued(spec, DateTimeOffset.UtcNow), e =>
        {
            Apply(e);
            BecomeQueued();
        });
    }

    private void BecomeQueued()
    {
        SetReceiveTimeout(null); // a waiting job must stay to be granted its slot
        _slotAnswered = false;
        Become(Queued);
        _registry.Tell(new JobRegistry.AcquireSlot(Status()));
        Timers.StartPeriodicTimer(nameof(AskForSlot), new AskForSlot(), AskForSlotEvery);
    }

    private void AnswerOrWait(Waiter waiter)
    {
        _waiters.Add(waiter);
        if (_slotAnswered)
            ReplyToWaiters();
    }

    private void ReplyToWaiters()
    {
        var status = Status();
        foreach (var waiter in _waiters)
            waiter.ReplyTo.Tell(waiter.WantsAccepted ? new JobAccepted(_state.JobId, _state.ResumeOffset, status.State) : status);
        _waiters.Clear();
    }

    private void Reject(string reason) => Sender.Tell(new JobRejected(_state.JobId, _state.State, _state.Spec is null ? $"no job '{_state.JobId}' in this cluster" : reason));

    private string Ended() => _state.State switch
    {
        JobState.Completed => "completed",
        JobState.Failed => "failed",
        JobState.Cancelled => "been cancelled",
        _ => _state.State.ToString().ToLowerInvariant(),
    };

    private void Running()
    {
        Command<StartJob>(_ => Sender.Tell(new JobAccepted(_state.JobId, _runFromOffset)));
        Command<ResumeJob>(_ => Sender.Tell(Status()));
        Command<GetJob>(_ => Sender.Tell(Status()));
        Command<PauseJob>(_ => StopIntake(cancel: false));
        Command<CancelJob>(_ => StopIntake(cancel: true));
        Command<StreamStarted>(_ => Sender.Tell(new StreamAck()));
        Command<BatchLoader.Loaded>(OnBatchLoaded);
        Command<StreamCompleted>(c => c.Run == _run, _ =>
        {
            if (_pausing)
            {
                StopAfterRun();
                return;
            }
            if (_budgetSpent is not null)
            {
                OnRunFailed(new ErrorBudgetSpentException(_budgetSpent));
                return;
            }
            _loaders[0].Ask<BatchLoader.Finished>(new BatchLoader.Finish(_state.Spec!.TenantId, _state.Spec.SourceKind, _state.JobId.Value), _settings.AskTimeout)
                .PipeTo(Self, failure: ex => new StreamFailed(_run, ex));
        });
        Command<BatchLoader.Finished>(finished =>
        {
            var now = DateTimeOffset.UtcNow;
            PersistAll(new object[] { new CheckpointAdvanced(_processed, _quarantined, now), new JobCompleted(finished.Totals, now) }, Apply);
            DeferAsync(finished, _ => EndRun($"completed: {finished.Totals}"));
        });
        Command<StreamFailed>(f => f.Run == _run, failed => OnRunFailed(failed.Cause));
        Command<HandOff>(_ => HandOver());
        Command<ReportProgress>(_ => _registry.Tell(Status()));
        Command<JobRegistry.SlotGranted>(_ => { });
        Command<JobRegistry.SlotQueued>(_ => { });
        Command<AskForSlot>(_ => { });
        Command<StreamCompleted>(_ => { });
        Command<StreamFailed>(_ => { });
    }

    /// <summary>Between a failed run and its restart: still Running to callers.</summary>
    private void Retrying()
    {
        Command<StartJob>(_ => Sender.Tell(new JobAccepted(_state.JobId, _runFromOffset)));
        Command<ResumeJob>(_ => Sender.Tell(Status()));
        Command<GetJob>(_ => Sender.Tell(Status()));
        Command<PauseJob>(_ =>
        {
            Timers.Cancel(nameof(RetryRun));
            _waiters.Add(new Waiter(Sender, WantsAccepted: false));
            Pause();
        });
        Command<CancelJob>(_ =>
        {
            Timers.Cancel(nameof(RetryRun));
            Cancel(Sender);
        });
        Command<RetryRun>(_ =>
        {
            _log.Info("job {0}: restarting from checkpoint {1} (attempt {2} of {3})", _state.JobId, _state.Checkpoint, _failuresInARow, _settings.MaxRetries);
            StartStream(_state.Spec!, _state.Checkpoint);
        });
        Command<HandOff>(_ => Context.Stop(Self));
        Command<ReportProgress>(_ => _registry.Tell(Status()));
        Command<JobRegistry.SlotGranted>(_ => { });
        Command<JobRegistry.SlotQueued>(_ => { });
        Command<AskForSlot>(_ => { });
        Command<StreamCompleted>(_ => { });
        Command<StreamFailed>(_ => { });
    }

    /// <summary>Pausing or cancelling a run: in-flight batches still finish and are acknowledged, then the callers hear back.</summary>
    private void StopIntake(bool cancel)
    {
        _pausing = true;
        _cancelling |= cancel;
        _waiters.Add(new Waiter(Sender, WantsAccepted: false));
        _intake?.Shutdown();
    }

    private void StopAfterRun()
    {
        if (_cancelling)
            StopAs(new JobCancelled(DateTimeOffset.UtcNow), "cancelled");
        else
            Pause();
    }

    private void StartRun(JobSpec spec)
    {
        SetReceiveTimeout(null);
        var source = SourceFingerprint.Of(spec.SourcePath);
        var from = _state.Spec is null ? 0 : _state.ResumeOffsetFor(source);
        if (from == 0 && _state.ResumeOffset > 0)
            _log.Warning("job {0}: {1} changed since its checkpoint at record {2}; loading it again from the first record", _state.JobId, spec.SourcePath, _state.ResumeOffset);
        Persist(new JobStarted(_state.JobId, spec, from, DateTimeOffset.UtcNow, source), e =>
        {
            Apply(e);
            _runFromOffset = from;
            _runStartedAt = e.At;
            _failuresInARow = 0;
            _cancelling = false;
            _log.Info("job {0} {1} at record {2}", _state.JobId, from == 0 ? "starting" : "resuming", from);
            StartStream(spec, from);
            ReplyToWaiters();
            _registry.Tell(Status());
            Timers.StartPeriodicTimer(nameof(ReportProgress), new ReportProgress(), ReportEvery);
        });
    }

    private void StartStream(JobSpec spec, long from)
    {
        _processed = from;
        _quarantined = _state.Quarantined;
        _pausing = false;
        _budgetSpent = null;
        var run = ++_run;
        Become(Running);
        try
        {
            if (!File.Exists(spec.SourcePath))
                throw new SourceUnreadableException(
                    $"{spec.SourcePath}: file not found on node {_node} (a job's source must be readable from every node: mount the sources volume at the same path on each)");
            var sink = SinkAddress.Parse(spec.Sink);
            // SQLite has one writer at a time: more loaders would only wait on its lock.
            var parallelism = sink.Kind == SinkKind.Sqlite ? 1 : Math.Max(1, _settings.LoadParallelism);
            _loaders = Enumerable.Range(1, parallelism)
                .Select(i => Context.ActorOf(BatchLoader.Props(() => SinkFactory.Create(sink)), $"loader-{run}-{i}"))
                .ToList();
            _runCancellation = new CancellationTokenSource();
            var pipeline = new JobPipeline.Run(_state.JobId.Value, spec.TenantId, spec.SourceKind, spec.SourcePath, from);
            _intake = JobPipeline.Create(pipeline, _transformers, _loaders, _settings, _runCancellation.Token)
                .ToMaterialized(
                    Sink.ActorRefWithAck<BatchLoader.Loaded>(Self, new StreamStarted(), new StreamAck(), new StreamCompleted(run), ex => new StreamFailed(run, ex)),
                    Keep.Left)
                .Run(Context.Materializer());
        }
        catch (Exception ex)
        {
            Self.Tell(new StreamFailed(run, ex)); // the run fails visibly, the supervisor stays up
        }
    }

    private void OnBatchLoaded(BatchLoader.Loaded loaded)
    {
        _processed = loaded.LastOffset + 1;
        _quarantined += loaded.Quarantined;
        _failuresInARow = 0;
        _retryReason = null;
        if (_budgetSpent is null && ErrorBudgetSpent() is { } spent)
        {
            // The reader may have finished already, so completion checks this too.
            _budgetSpent = spent;
            _intake?.Abort(new ErrorBudgetSpentException(spent)); // this batch still gets its checkpoint below
        }
        if (_processed - _state.Checkpoint < _settings.CheckpointInterval)
        {
            Sender.Tell(new StreamAck());
            return;
        }
        var stream = Sender;
        Persist(new CheckpointAdvanced(_processed, _quarantined, DateTimeOffset.UtcNow), e =>
        {
            Apply(e);
            stream.Tell(new StreamAck());
        });
    }

    private string? ErrorBudgetSpent()
    {
        var overCount = _quarantined > _settings.MaxQuarantined;
        var overRatio = _processed >= RatioCheckAfter && _quarantined > _settings.MaxQuarantineRatio * _processed;
        if (!overCount && !overRatio)
            return null;
        var limit = overCount ? $"{_settings.MaxQuarantined} records" : $"{_settings.MaxQuarantineRatio:P0} of records";
        return $"{_state.Spec?.SourcePath}: error budget spent: {_quarantined} of {_processed} records quarantined (limit {limit}); see the quarantine table for job_id '{_state.JobId}'";
    }

    private void OnRunFailed(Exception cause)
    {
        var reason = FailureReason.Describe(cause);
        StopRun();
        RememberError(reason);
        if (_pausing)
        {
            StopAfterRun();
            return;
        }
        if (!FailureReason.IsPermanent(cause) && _failuresInARow < _settings.MaxRetries)
        {
            _failuresInARow++;
            _retryReason = reason;
            var delay = Backoff(_failuresInARow);
            _log.Warning("job {0}: run failed ({1}); restarting from checkpoint {2} in {3:0.0} s", _state.JobId, reason, _state.Checkpoint, delay.TotalSeconds);
            Timers.StartSingleTimer(nameof(RetryRun), new RetryRun(), delay);
            Become(Retrying);
            return;
        }
        if (_failuresInARow >= _settings.MaxRetries)
            reason = $"{reason} (gave up after {_failuresInARow} restarts)";
        Persist(new JobFailed(reason, DateTimeOffset.UtcNow), e =>
        {
            Apply(e);
            EndRun($"failed: {reason}");
        });
    }

    private TimeSpan Backoff(int attempt)
    {
        var exponential = _settings.RetryMinBackoff.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var capped = Math.Min(exponential, _settings.RetryMaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 + Random.Shared.NextDouble() * _settings.RetryRandomFactor));
    }

    /// <summary>
    /// Everything below <c>_processed</c> is loaded (batches are acknowledged in source order), so it
    /// is a safe checkpoint; batches in flight are dropped and loaded again, idempotently, on the next node.
    /// </summary>
    private void HandOver()
    {
        StopRun();
        _log.Info("job {0}: handing over at record {1}", _state.JobId, _processed);
        Persist(new CheckpointAdvanced(_processed, _quarantined, DateTimeOffset.UtcNow), e =>
        {
            Apply(e);
            Context.Stop(Self);
        });
    }

    private void Pause() => StopAs(new JobPaused(DateTimeOffset.UtcNow), "paused");

    private void Cancel(IActorRef replyTo)
    {
        _waiters.Add(new Waiter(replyTo, WantsAccepted: false));
        StopAs(new JobCancelled(DateTimeOffset.UtcNow), "cancelled");
    }

    /// <summary>Ends the job as <paramref name="final"/> (paused or cancelled), keeping what is loaded as its checkpoint.</summary>
    private void StopAs(object final, string outcome)
    {
        var events = _processed > _state.Checkpoint
            ? new[] { new CheckpointAdvanced(_processed, _quarantined, DateTimeOffset.UtcNow), final }
            : new[] { final };
        PersistAll(events, Apply);
        DeferAsync(final, _ =>
        {
            EndRun($"{outcome} at record {_state.Checkpoint}");
            ReplyToWaiters();
        });
    }

    private void RememberError(string reason)
    {
        _recentErrors.Enqueue($"{DateTimeOffset.UtcNow:u} {reason}");
        while (_recentErrors.Count > RecentErrorsKept)
            _recentErrors.Dequeue();
    }

    private void Apply(object evt)
    {
        _state = _state.Apply(evt);
        if (LastSequenceNr % SnapshotEvery == 0)
            SaveSnapshot(_state);
    }

    private void EndRun(string outcome)
    {
        _log.Info("job {0} {1}", _state.JobId, outcome);
        StopRun();
        _pausing = false;
        _cancelling = false;
        Timers.Cancel(nameof(ReportProgress));
        Become(Idle);
        _registry.Tell(Status());
    }

    private void StopRun()
    {
        _intake?.Shutdown();
        _intake = null;
        _runCancellation?.Cancel();
        _runCancellation?.Dispose();
        _runCancellation = null;
        foreach (var loader in _loaders)
            Context.Stop(loader);
        _loaders = [];
    }

    private JobStatus Status()
    {
        var status = _state.ToStatus(_processed, _quarantined) with
        {
            Node = _node,
            RecordsPerSecond = _state.State == JobState.Running ? Rate() : null,
            RecentErrors = _recentErrors.Count == 0 ? null : _recentErrors.ToList(),
        };
        return _retryReason is null || status.State != JobState.Running
            ? status
            : status with { Error = $"retrying after: {_retryReason} (attempt {_failuresInARow} of {_settings.MaxRetries})" };
    }

    private double? Rate()
    {
        var seconds = (DateTimeOffset.UtcNow - _runStartedAt).TotalSeconds;
        return _runStartedAt == default || seconds <= 0 ? null : Math.Round((_processed - _runFromOffset) / seconds, 1);
    }

    protected override void PostStop()
    {
        StopRun();
        base.PostStop();
    }
}
