using EtlActors.Pipeline.Records;

namespace EtlActors.Engine.Memory;

/// <summary>
/// One run's intake under its node's <see cref="MemoryGuard"/>. While the guard throttles, batches are cut to a
/// <see cref="Share"/> of their size (records weigh more, see <see cref="Weight"/>) and a batch enters only when the
/// run's earlier batches are all loaded: one in flight instead of the transform and load parallelism's several. Plain
/// .NET: the job's stream calls it, so it is tested without one.
/// </summary>
internal sealed class ThrottledIntake(MemoryGuard guard, int batchSize, long maxBatchBytes)
{
    /// <summary>A throttled batch is at most this part of a full one, by count and by bytes.</summary>
    public const int Share = 4;

    private readonly Lock _lock = new();
    private int _inFlight;
    private TaskCompletionSource? _idle;

    /// <summary>
    /// A record's weight against the batch's byte bound: twice its length (UTF-16). Throttled, <see cref="Share"/> times
    /// that, and no less than a <see cref="Share"/>-th batch's share of the bound, so the count bound shrinks as well.
    /// </summary>
    public long Weight(ExtractedRecord record)
    {
        var weight = Math.Max(1, record.Payload.Length * 2L);
        return guard.Throttling ? Math.Max(weight * Share, maxBatchBytes / Math.Max(1, batchSize / Share)) : weight;
    }

    /// <summary>Lets <paramref name="batch"/> in: at once, or while throttled once nothing of this run is in flight.</summary>
    public async Task<T> EnterAsync<T>(T batch)
    {
        while (guard.Check())
        {
            Task idle;
            lock (_lock)
            {
                if (_inFlight == 0)
                    break;
                idle = (_idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
            await idle;
        }
        lock (_lock)
            _inFlight++;
        return batch;
    }

    /// <summary>A batch that entered is loaded.</summary>
    public void Left()
    {
        TaskCompletionSource? idle = null;
        lock (_lock)
        {
            if (--_inFlight == 0)
                (idle, _idle) = (_idle, null);
        }
        idle?.TrySetResult();
    }

    /// <summary>Batches entered and not yet loaded.</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
                return _inFlight;
        }
    }
}
