namespace EtlActors.Pipeline.Connectors;

/// <summary>How far a running job's checkpoint has come.</summary>
public interface ICheckpointProgress
{
    /// <summary>Completes when every record below <paramref name="offset"/> is loaded and checkpointed.</summary>
    ValueTask WaitForAsync(long offset, CancellationToken cancellationToken);
}

/// <summary>A job's checkpoint as its stream sees it: advanced by the supervisor each time it persists one.</summary>
public sealed class CheckpointProgress : ICheckpointProgress
{
    /// <summary>For readers run outside a job: every wait completes at once.</summary>
    public static readonly ICheckpointProgress Immediate = new ImmediateProgress();

    private readonly object _gate = new();
    private readonly List<(long Offset, TaskCompletionSource Done)> _waiters = [];
    private long _checkpoint;

    /// <summary>A job's progress from <paramref name="checkpoint"/>.</summary>
    public CheckpointProgress(long checkpoint) => _checkpoint = checkpoint;

    /// <summary>Every record below <paramref name="checkpoint"/> is checkpointed.</summary>
    public void Advance(long checkpoint)
    {
        List<TaskCompletionSource> done;
        lock (_gate)
        {
            if (checkpoint <= _checkpoint)
                return;
            _checkpoint = checkpoint;
            done = _waiters.Where(w => w.Offset <= checkpoint).Select(w => w.Done).ToList();
            _waiters.RemoveAll(w => w.Offset <= checkpoint);
        }
        foreach (var waiter in done)
            waiter.TrySetResult();
    }

    /// <inheritdoc />
    public async ValueTask WaitForAsync(long offset, CancellationToken cancellationToken)
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            if (offset <= _checkpoint)
                return;
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((offset, done));
        }
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed class ImmediateProgress : ICheckpointProgress
    {
        public ValueTask WaitForAsync(long offset, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
