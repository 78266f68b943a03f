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

    private const int SnapshotEvery = 100;
    private const long RatioCheckAfter = 1000;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _transformers;
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

    public JobSupervisor(JobId jobId, IActorRef transformers, EtlEngineOptions settings)
    {
        _transformers = transformers;
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
        Recover<RecoveryCompleted>(_ => OnRecovered());
        Idle();
    }

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(JobId jobId, IActorRef transformers, EtlEngineOptions settings) =>
        Akka.Actor.Props.Create(() => new JobSupervisor(jobId, transformers, settings));

    // A loader that fails is restarted with a fresh connection; the run's stream already failed through its ask.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Restart);

    private void OnRecovered()
    {
        _processed = _state.Checkpoint;
        _quarantined = _state.Quarantined;
        // A run that was going when the process or node died goes on from its checkpoint.
        if (_state.State == JobState.Running && _state.Spec is not null)
            Self.Tell(new StartJob(_state.JobId, _state.Spec));
    }

    private void Idle()
    {
        // A job that is not running leaves memory (and the remembered entities) after a while; the
        // next message about it recovers it from the journal.
        SetReceiveTimeout(_settings.IdleJobPassivation);
        Command<StartJob>(start =>
        {
            SetReceiveTimeout(null);
            StartRun(start.Spec);
        });
        Command<GetJob>(_ => Sender.Tell(Status()));
        Command<PauseJob>(_ => Sender.Tell(Status()));
        Command<ReceiveTimeout>(_ => Context.Parent.Tell(new Passivate(HandOff.Instance)));
        Command<HandOff>(_ => Context.Stop(Self));
        Command<StreamCompleted>(_ => { }); // from a run already ended
        Command<StreamFailed>(_ => { });
    }

    private void Running()
    {
        Command<StartJob>(_ => Sender.Tell(new JobAccepted(_state.JobId, _runFromOffset)));
        Command<GetJob>(_ => Sender.Tell(Status()));
        Command<PauseJob>(_ =>
        {
            _pausing = true;
            _intake?.Shutdown(); // in-flight batches still finish and are acknowledged
            Sender.Tell(Status());
        });
        Command<StreamStarted>(_ => Sender.Tell(new StreamAck()));
        Command<BatchLoader.Loaded>(OnBatchLoaded);
        Command<StreamCompleted>(c => c.Run == _run, _ =>
        {
            if (_pausing)
            {
                Pause();
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
        Command<StreamCompleted>(_ => { });
        Command<StreamFailed>(_ => { });
    }

    /// <summary>Between a failed run and its restart: still Running to callers.</summary>
    private void Retrying()
    {
        Command<StartJob>(_ => Sender.Tell(new JobAccepted(_state.JobId, _runFromOffset)));
        Command<GetJob>(_ => Sender.Tell(Status()));
        Command<PauseJob>(_ =>
        {
            Timers.Cancel(nameof(RetryRun));
            Sender.Tell(Status());
            Pause();
        });
        Command<RetryRun>(_ =>
        {
            _log.Info("job {0}: restarting from checkpoint {1} (attempt {2} of {3})", _state.JobId, _state.Checkpoint, _failuresInARow, _settings.MaxRetries);
            StartStream(_state.Spec!, _state.Checkpoint);
        });
        Command<HandOff>(_ => Context.Stop(Self));
        Command<StreamCompleted>(_ => { });
        Command<StreamFailed>(_ => { });
    }

    private void StartRun(JobSpec spec)
    {
        var source = SourceFingerprint.Of(spec.SourcePath);
        var from = _state.Spec is null ? 0 : _state.ResumeOffsetFor(source);
        if (from == 0 && _state.ResumeOffset > 0)
            _log.Warning("job {0}: {1} changed since its checkpoint at record {2}; loading it again from the first record", _state.JobId, spec.SourcePath, _state.ResumeOffset);
        Persist(new JobStarted(_state.JobId, spec, from, DateTimeOffset.UtcNow, source), e =>
        {
            Apply(e);
            _runFromOffset = from;
            _failuresInARow = 0;
            Sender.Tell(new JobAccepted(_state.JobId, from));
            _log.Info("job {0} {1} at record {2}", _state.JobId, from == 0 ? "starting" : "resuming", from);
            StartStream(spec, from);
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
        if (_pausing)
        {
            Pause();
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

    private void Pause()
    {
        var now = DateTimeOffset.UtcNow;
        PersistAll(new object[] { new CheckpointAdvanced(_processed, _quarantined, now), new JobPaused(now) }, Apply);
        DeferAsync(now, _ => EndRun($"paused at record {_state.Checkpoint}"));
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
        Become(Idle);
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
        var status = _state.ToStatus(_processed, _quarantined) with { Node = _node };
        return _retryReason is null || status.State != JobState.Running
            ? status
            : status with { Error = $"retrying after: {_retryReason} (attempt {_failuresInARow} of {_settings.MaxRetries})" };
    }

    protected override void PostStop()
    {
        StopRun();
        base.PostStop();
    }
}
