using EtlActors.Contracts.Jobs;

namespace EtlActors.Dashboard.Live;

/// <summary>
/// What this node's dashboard has seen of one job: its rate over time (the job page's chart) and each checkpoint as it
/// was reported. Kept in the node's memory from the statuses the registry publishes to every node, so a dashboard on a
/// node that survives another's loss keeps the history of the jobs that moved.
/// </summary>
internal sealed class JobHistory
{
    private const int MaxSamples = 360; // 12 minutes at one report every 2 s; older ones are thinned out, not dropped
    private const int MaxCheckpoints = 200;
    private readonly List<RateSample> _samples = [];
    private readonly List<CheckpointEntry> _checkpoints = [];

    public void Add(JobStatus status, DateTimeOffset at)
    {
        if (status.State == JobState.Running && status.RecordsPerSecond is { } rate)
        {
            if (_samples.Count == MaxSamples)
            {
                // Halve the resolution of the older half: a long run keeps its whole shape in the chart.
                for (var i = 1; i < MaxSamples / 2; i++)
                    _samples.RemoveAt(i);
            }
            _samples.Add(new RateSample(at, Math.Round(rate, 1), status.Processed));
        }
        var last = _checkpoints.Count > 0 ? _checkpoints[^1] : null;
        if (status.Checkpoint > 0 && (last is null || last.Offset != status.Checkpoint))
        {
            if (_checkpoints.Count == MaxCheckpoints)
                _checkpoints.RemoveAt(0);
            _checkpoints.Add(new CheckpointEntry(status.Checkpoint, status.LastCheckpointAt ?? at, status.Node));
        }
    }

    public IReadOnlyList<RateSample> Samples => [.. _samples];

    /// <summary>Newest first, each with the records a crash at that moment would have read again (up to the next one).</summary>
    public IReadOnlyList<CheckpointView> Checkpoints(long processedNow)
    {
        var views = new List<CheckpointView>(_checkpoints.Count);
        for (var i = _checkpoints.Count - 1; i >= 0; i--)
        {
            var next = i + 1 < _checkpoints.Count ? _checkpoints[i + 1].Offset : processedNow;
            var c = _checkpoints[i];
            views.Add(new CheckpointView(c.Offset, c.At, Math.Max(0, next - c.Offset), c.Node));
        }
        return views;
    }

    private sealed record CheckpointEntry(long Offset, DateTimeOffset At, string? Node);
}

/// <summary>A job's rate when it reported.</summary>
internal sealed record RateSample(DateTimeOffset At, double RecordsPerSecond, long Processed);

/// <summary>A checkpoint: its offset, when it was persisted, the records a crash just before the next one would replay, and the node that wrote it.</summary>
internal sealed record CheckpointView(long Offset, DateTimeOffset At, long Replay, string? Node);
