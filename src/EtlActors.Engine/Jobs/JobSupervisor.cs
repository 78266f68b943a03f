using Akka.Actor;
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
/// loader. A run's stream reports loaded batches back through Sink.ActorRefWithAck, so the
/// checkpoint is written before the next batch is acknowledged.
/// </summary>
public sealed class JobSupervisor : ReceivePersistentActor
{
    private sealed record StreamStarted : INoSerializationVerificationNeeded;
    private sealed record StreamAck : INoSerializationVerificationNeeded;
    private sealed record StreamCompleted : INoSerializationVerificationNeeded;
    private sealed record StreamFailed(Exception Cause) : INoSerializationVerificationNeeded;

    private const int SnapshotEvery = 100;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _transformers;
    private readonly EtlEngineOptions _settings;
    private JobSupervisorState _state;
    private long _processed;
    private long _quarantined;
    private long _runFromOffset;
    private int _runNumber;
    private IActorRef? _loader;
    private CancellationTokenSource? _runCancellation;

    public JobSupervisor(JobId jobId, IActorRef transformers, EtlEngineOptions settings)
    {
        _transformers = transformers;
        _settings = settings;
        _state = JobSupervisorState.Initial(jobId);
        PersistenceId = $"job-{jobId.Value}";

        Recover<SnapshotOffer>(offer => _state = (JobSupervisorState)offer.Snapshot);
        Recover<JobStarted>(e => _state = _state.Apply(e));
        Recover<CheckpointAdvanced>(e => _state = _state.Apply(e));
        Recover<JobCompleted>(e => _state = _state.Apply(e));
        Recover<JobFailed>(e => _state = _state.Apply(e));
        Recover<RecoveryCompleted>(_ => OnRecovered());
        Idle();
    }

    public override string PersistenceId { get; }

    public static Props Props(JobId jobId, IActorRef transformers, EtlEngineOptions settings) =>
        Akka.Actor.Props.Create(() => new JobSupervisor(jobId, transformers, settings));

    // A loader that fails is restarted with a fresh connection; the run's stream already failed through its ask.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Restart);

    private void OnRecovered()
    {
        _processed = _state.Checkpoint;
        _quarantined = _state.Quarantined;
        // A run that was going when the process died goes on from its checkpoint.
        if (_state.State == JobState.Running && _state.Spec is not null)
            Self.Tell(new StartJob(_state.JobId, _state.Spec));
    }

    private void Idle()
    {
        Command<StartJob>(start => StartRun(start.Spec));
        Command<GetJob>(_ => Sender.Tell(Status()));
    }

    private void Running()
    {
        Command<StartJob>(_ => Sender.Tell(new JobAccepted(_state.JobId, _runFromOffset)));
        Command<GetJob>(_ => Sender.Tell(Status()));
        Command<StreamStarted>(_ => Sender.Tell(new StreamAck()));
        Command<BatchLoader.Loaded>(OnBatchLoaded);
        Command<StreamCompleted>(_ =>
            _loader!.Ask<BatchLoader.Finished>(new BatchLoader.Finish(_state.Spec!.TenantId, _state.Spec.SourceKind, _state.JobId.Value), _settings.AskTimeout)
                .PipeTo(Self, failure: ex => new StreamFailed(ex)));
        Command<BatchLoader.Finished>(finished =>
        {
            var now = DateTimeOffset.UtcNow;
            PersistAll(new object[] { new CheckpointAdvanced(_processed, _quarantined, now), new JobCompleted(finished.Totals, now) }, Apply);
            DeferAsync(finished, _ => EndRun($"completed: {finished.Totals}"));
        });
        Command<StreamFailed>(failed =>
        {
            var reason = FailureReason.Describe(failed.Cause);
            Persist(new JobFailed(reason, DateTimeOffset.UtcNow), e =>
            {
                Apply(e);
                EndRun($"failed: {reason}");
            });
        });
    }

    private void StartRun(JobSpec spec)
    {
        var from = _state.Spec is null ? 0 : _state.ResumeOffset;
        Persist(new JobStarted(_state.JobId, spec, from, DateTimeOffset.UtcNow), e =>
        {
            Apply(e);
            _runFromOffset = from;
            _processed = from;
            _quarantined = _state.Quarantined;
            Sender.Tell(new JobAccepted(_state.JobId, from));
            _log.Info("job {0} {1} at record {2}", _state.JobId, from == 0 ? "starting" : "resuming", from);

            try
            {
                var sink = SinkAddress.Parse(spec.Sink);
                _loader = Context.ActorOf(BatchLoader.Props(() => SinkFactory.Create(sink)), $"loader-{++_runNumber}");
                _runCancellation = new CancellationTokenSource();
                var run = new JobPipeline.Run(_state.JobId.Value, spec.TenantId, spec.SourceKind, spec.SourcePath, from);
                JobPipeline.Create(run, _transformers, _loader, _settings, _runCancellation.Token)
                    .RunWith(Sink.ActorRefWithAck<BatchLoader.Loaded>(Self, new StreamStarted(), new StreamAck(), new StreamCompleted(), ex => new StreamFailed(ex)),
                        Context.Materializer());
            }
            catch (Exception ex)
            {
                Self.Tell(new StreamFailed(ex)); // the run fails visibly, the supervisor stays up
            }
            Become(Running);
        });
    }

    private void OnBatchLoaded(BatchLoader.Loaded loaded)
    {
        _processed = loaded.LastOffset + 1;
        _quarantined += loaded.Quarantined;
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
        Become(Idle);
    }

    private void StopRun()
    {
        _runCancellation?.Cancel();
        _runCancellation?.Dispose();
        _runCancellation = null;
        if (_loader is not null)
            Context.Stop(_loader);
        _loader = null;
    }

    private JobStatus Status() => _state.ToStatus(_processed, _quarantined);

    protected override void PostStop()
    {
        StopRun();
        base.PostStop();
    }
}
