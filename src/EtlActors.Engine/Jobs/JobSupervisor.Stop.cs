using Akka.Event;

namespace EtlActors.Engine.Jobs;

/// <summary>How <see cref="JobSupervisor"/> ends a run that does not finish: handed over to another node, paused or cancelled.</summary>
public sealed partial class JobSupervisor
{
    /// <summary>The shard moves: the loaded prefix becomes the checkpoint and the next node resumes there.</summary>
    private void HandOver()
    {
        DisposeStream();
        Become(JobPhase.HandingOver); // the stream's last messages must not start a completion now
        JobLog.Info("job {0}: handing over at record {1}", _state.JobId, _run?.Processed ?? _state.Checkpoint);
        StopRunning();
        PersistAll(JobDecisions.HandOffEvents(_state, _run, DateTimeOffset.UtcNow), Apply);
        DeferAsync(_state, _ => Context.Stop(Self));
    }

    /// <summary>Ends the job paused or cancelled, keeping what is loaded as its checkpoint, then answers the waiters.</summary>
    private void StopAs(StopKind kind, bool thenStop)
    {
        DisposeStream();
        var events = JobDecisions.StopEvents(_state, _run, kind, DateTimeOffset.UtcNow);
        PersistAll(events, Apply);
        DeferAsync(events, _ =>
        {
            EndRun($"{(kind == StopKind.Cancel ? "cancelled" : "paused")} at record {_state.Checkpoint}");
            if (thenStop)
                Context.Stop(Self);
        });
    }
}
