using System.Diagnostics;
using EtlActors.Contracts.Jobs;

namespace EtlActors.Engine.Jobs;

/// <summary>
/// One stream's work per phase, added to by the stream's stages (on their own threads) and read by the supervisor
/// when it checkpoints or reports.
/// </summary>
internal sealed class PhaseClock
{
    private long _extractRecords, _extractTicks, _transformRecords, _transformTicks, _quarantined, _loadRecords, _loadTicks;

    public void Extracting(long stopwatchTicks) => Interlocked.Add(ref _extractTicks, stopwatchTicks);

    public void Extracted(long records) => Interlocked.Add(ref _extractRecords, records);

    public void Transformed(long records, long quarantined, TimeSpan took)
    {
        Interlocked.Add(ref _transformRecords, records);
        Interlocked.Add(ref _quarantined, quarantined);
        Interlocked.Add(ref _transformTicks, took.Ticks);
    }

    public void Loaded(long records, TimeSpan took)
    {
        Interlocked.Add(ref _loadRecords, records);
        Interlocked.Add(ref _loadTicks, took.Ticks);
    }

    public JobPhases Snapshot() => new(
        new PhaseStats(Interlocked.Read(ref _extractRecords), Interlocked.Read(ref _extractTicks) / (double)Stopwatch.Frequency, 0),
        new PhaseStats(Interlocked.Read(ref _transformRecords), Seconds(ref _transformTicks), Interlocked.Read(ref _quarantined)),
        new PhaseStats(Interlocked.Read(ref _loadRecords), Seconds(ref _loadTicks), 0));

    private static double Seconds(ref long ticks) => Interlocked.Read(ref ticks) / (double)TimeSpan.TicksPerSecond;

    /// <summary>
    /// <paramref name="records"/> with the time spent inside the source's reader counted as extracting; the time the
    /// stream holds a record (back-pressure) is not.
    /// </summary>
    public async IAsyncEnumerable<T> Timed<T>(IAsyncEnumerable<T> records, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var reader = records.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            var more = await reader.MoveNextAsync();
            Extracting(Stopwatch.GetTimestamp() - started);
            if (!more)
                yield break;
            yield return reader.Current;
        }
    }
}
