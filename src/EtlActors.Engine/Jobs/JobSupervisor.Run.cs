using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using EtlActors.Contracts.Jobs;
using EtlActors.Engine.Load;
using EtlActors.Engine.Registry;
using EtlActors.Engine.Telemetry;
using static EtlActors.Engine.Jobs.JobEvents;

namespace EtlActors.Engine.Jobs;

/// <summary>How <see cref="JobSupervisor"/> carries out the decisions: persisting, answering, starting and stopping streams.</summary>
public sealed partial class JobSupervisor
{
    private void Act(Decision decision)
    {
        switch (decision)
        {
            case Decision.Reply reply:
                Sender.Tell(reply.Message);
                break;
            case Decision.Defer:
                Stash.Stash();
                break;
            case Decision.Wait wait:
                _waiters.Add(new Waiter(Sender, wait.WantsAccepted));
                if (_slotAnswered)
                    ReplyToWaiters();
                break;
            case Decision.Admit admit:
                _waiters.Add(new Waiter(Sender, admit.WantsAccepted));
                if (admit.Queue)
                    Persist(new JobQueued(admit.Spec, DateTimeOffset.UtcNow), e => { Apply(e); BecomeQueued(); });
                else
                    StartRun(admit.Spec);
                break;
            case Decision.StopRun stop:
                _waiters.Add(new Waiter(Sender, WantsAccepted: false));
                _run = _run!.Stopping(stop.Kind);
                _stream?.StopIntake();
                Become(JobPhase.Stopping);
                break;
            case Decision.StopNow stop:
                Timers.CancelAll();
                _waiters.Add(new Waiter(Sender, WantsAccepted: false));
                StopAs(stop.Kind, thenStop: false);
                break;
        }
    }

    private void BecomeQueued()
    {
        _slotAnswered = false;
        Become(JobPhase.Queued);
        _setup.Registry.Tell(new JobRegistry.AcquireSlot(Status()));
        Timers.StartPeriodicTimer(nameof(AskForSlot), new AskForSlot(), AskForSlotEvery);
    }

    private void StartRun(JobSpec spec)
    {
        Timers.Cancel(nameof(AskForSlot));
        // A refused source is not even looked at; its run fails naming the refusal. A source that is not a file
        // (an HTTP API) has no fingerprint: its position says where it is.
        var source = ReadsFiles(spec) && _setup.Sources.Admit(spec.SourcePath).PathToRead is { } path ? SourceFingerprint.Of(path) : null;
        var from = _state.Spec is null ? 0 : _state.ResumeOffsetFor(source);
        if (from == 0 && _state.ResumeOffset > 0)
            JobLog.Warning("job {0}: {1} changed since its checkpoint at record {2}; loading it again from the first record", _state.JobId, spec.SourcePath, _state.ResumeOffset);
        var position = _state.Spec is null ? null : _state.PositionFor(from);
        Persist(new JobStarted(_state.JobId, spec, from, DateTimeOffset.UtcNow, source, position), e =>
        {
            Apply(e);
            JobLog.Info("job {0} {1} at record {2}", _state.JobId, from == 0 ? "starting" : "resuming", from);
            StartStream(spec, JobRun.Start(0, from, _state.Quarantined, e.At));
            ReplyToWaiters();
            _setup.Registry.Tell(Status());
            Timers.StartPeriodicTimer(nameof(ReportProgress), new ReportProgress(), ReportEvery);
        });
    }

    private void StartStream(JobSpec spec, JobRun run)
    {
        _phaseBase = (_state.Phases ?? JobPhases.None).Plus(_unsavedErrors);
        _run = run.Restarted(++_streams, _state.Checkpoint, _state.Quarantined, _state.Position) with { Phases = _phaseBase };
        _running ??= RunningJobs.Start(spec.TenantId, spec.SourceKind, _run.FromOffset, _run.StartedAt, _state.Checkpoint, _state.LastCheckpointAt ?? _run.StartedAt);
        Become(JobPhase.Running);
        _stream = JobRunStream.Start(Context, _setup, _state.JobId, spec, new JobRunStream.From(_run.Processed, _state.Position), _run.Number);
    }

    private void OnBatchLoaded(BatchLoader.Loaded loaded)
    {
        _run = _run!.Loaded(loaded.LastOffset, loaded.Quarantined, loaded.Position) with { Phases = _phaseBase.Plus(_stream?.Clock.Snapshot() ?? JobPhases.None) };
        _running?.Loaded(_run.Processed);
        if (_run.BudgetSpent is null && _budget.Spent(_run.Processed, _run.Quarantined, _state.Spec?.SourcePath, _state.JobId.Value) is { } spent)
        {
            // The reader may have finished already, so completion checks this too; this batch still gets its checkpoint.
            _run = _run with { BudgetSpent = spent };
            _stream?.Abort(new ErrorBudgetSpentException(spent));
        }
        if (!JobDecisions.CheckpointDue(_state, _run, _setup.Options.CheckpointInterval))
        {
            Sender.Tell(new JobRunStream.Ack());
            return;
        }
        var stream = Sender;
        Persist(JobDecisions.Checkpoint(_run, DateTimeOffset.UtcNow), e =>
        {
            Apply(e);
            _stream?.Checkpointed(e.Checkpoint);
            _running?.Checkpointed(e.Checkpoint, e.At);
            _unsavedErrors = JobPhases.None; // in the checkpoint now
            stream.Tell(new JobRunStream.Ack());
        });
    }

    private void OnFailed(Exception cause)
    {
        var reason = FailureReason.Describe(cause);
        RememberError(reason);
        var failed = new PhaseStats(0, 0, 1);
        if (FailureReason.IsLoadFailure(cause))
            _unsavedErrors = _unsavedErrors.Plus(JobPhases.None with { Load = failed });
        else if (FailureReason.IsExtractFailure(cause))
            _unsavedErrors = _unsavedErrors.Plus(JobPhases.None with { Extract = failed });
        OnOutcome(JobDecisions.OnRunFailed(_run!, reason, FailureReason.IsPermanent(cause), _retry, Random.Shared.NextDouble()));
    }

    private void OnOutcome(RunOutcome outcome)
    {
        switch (outcome)
        {
            case RunOutcome.Finish:
                Become(JobPhase.Finishing);
                var run = _run!.Number;
                var (connector, mapping) = (_setup.Connectors.Get(_state.Spec!.SourceKind), _state.Spec.Mapping); // a mapping may name the rows' source and a table
                _stream!.Loaders[0].Ask<BatchLoader.Finished>(new BatchLoader.Finish(_state.Spec.TenantId, connector.RowSource(mapping), _state.JobId.Value, connector.RowTable(mapping)), _setup.Options.AskTimeout)
                    .PipeTo(Self, failure: ex => new JobRunStream.Failed(run, ex));
                break;
            case RunOutcome.Stop stop:
                StopAs(stop.Kind, thenStop: false);
                break;
            case RunOutcome.Retry retry:
                DisposeStream();
                _run = _run! with { FailuresInARow = retry.Attempt, RetryReason = retry.Reason };
                JobLog.Warning("job {0}: run failed ({1}); restarting from checkpoint {2} in {3:0.0} s", _state.JobId, retry.Reason, _state.Checkpoint, retry.Delay.TotalSeconds);
                Timers.StartSingleTimer(nameof(RetryRun), new RetryRun(), retry.Delay);
                Become(JobPhase.Retrying);
                break;
            case RunOutcome.Fail fail:
                DisposeStream();
                Persist(new JobFailed(fail.Reason, DateTimeOffset.UtcNow), e =>
                {
                    Apply(e);
                    EngineMetrics.JobFailed(_state.Spec!.TenantId);
                    EndRun($"failed: {fail.Reason}");
                });
                break;
        }
    }

    private void EndRun(string outcome)
    {
        JobLog.Info("job {0} {1}", _state.JobId, outcome);
        DisposeStream();
        StopRunning();
        _run = null;
        Timers.CancelAll();
        Become(JobPhase.Idle);
        ReplyToWaiters();
        _setup.Registry.Tell(Status());
        Stash.UnstashAll();
    }

    private void Become(JobPhase phase)
    {
        _phase = phase;
        if (phase != JobPhase.Idle)
            SetReceiveTimeout(null); // a job that runs or waits for its slot must stay
        Become(phase switch
        {
            JobPhase.Idle => Idle,
            JobPhase.Queued => Queued,
            JobPhase.Running => Running,
            JobPhase.Retrying => Retrying,
            JobPhase.Stopping => Stopping,
            JobPhase.Finishing => Finishing,
            _ => (Action)Common,
        });
    }

    private void ReplyToWaiters()
    {
        var status = Status();
        foreach (var waiter in _waiters)
            waiter.ReplyTo.Tell(JobDecisions.Answer(waiter.WantsAccepted, _state, status));
        _waiters.Clear();
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

    /// <summary>A snapshot holds the whole state: the events and older snapshots before it are not needed for recovery.</summary>
    private void PruneBefore(long sequenceNr)
    {
        DeleteMessages(sequenceNr);
        DeleteSnapshots(new SnapshotSelectionCriteria(sequenceNr - 1));
    }

    private JobStatus Status() =>
        JobDecisions.Status(_state, _run, _setup.Node, DateTimeOffset.UtcNow, _recentErrors.ToList(), _retry.MaxRetries, _stream?.Progress.Fraction);

    private void DisposeStream()
    {
        _stream?.Dispose();
        _stream = null;
    }

    /// <summary>The node's gauges stop counting this job: its run ended, or it moves.</summary>
    private void StopRunning()
    {
        RunningJobs.Stop(_running);
        _running = null;
    }

    protected override void PostStop()
    {
        DisposeStream();
        StopRunning();
        base.PostStop();
    }
}
