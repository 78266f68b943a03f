using Akka.Event;
using EtlActors.Engine.Memory;
using EtlActors.Pipeline.Records;

namespace EtlActors.Engine.Tests.Memory;

/// <summary>The guard's thresholds and what a run's intake does under it, with the memory in use set by the test.</summary>
public sealed class MemoryGuardTests
{
    private const long MiB = 1024 * 1024;
    private long _used;

    [Fact]
    public void It_throttles_above_85_percent_and_lets_go_only_below_70_counting_each_episode_and_the_peak()
    {
        var guard = new MemoryGuard(100 * MiB, () => _used);

        var observed = new[] { 50, 85, 86, 80, 71, 69, 90, 60 }.Select(used =>
        {
            _used = used * MiB;
            return guard.Check();
        }).ToList();

        Assert.Equal([false, false, true, true, true, false, true, false], observed);
        Assert.Equal(2, guard.Episodes);
        Assert.Equal(90 * MiB, guard.PeakBytes);
    }

    [Fact]
    public void A_record_weighs_twice_its_length_and_throttled_enough_that_a_batch_holds_a_quarter_as_many_records()
    {
        var guard = new MemoryGuard(100 * MiB, () => _used);
        var intake = new ThrottledIntake(guard, batchSize: 2000, maxBatchBytes: 4 * MiB);
        var small = Record(0, "{}");
        var large = Record(1, new string('x', 100_000));

        var normal = (intake.Weight(small), intake.Weight(large));
        _used = 90 * MiB;
        guard.Check();
        var throttled = (intake.Weight(small), intake.Weight(large));

        Assert.Equal((4L, 200_000L), normal);
        // 4 MiB / 500: a batch closes by weight after a quarter of the 2,000 records; a large record weighs 4 times more.
        Assert.Equal((4 * MiB / 500, 800_000L), throttled);
    }

    [Fact]
    public async Task Throttled_a_batch_enters_only_when_the_runs_earlier_batches_are_loaded_and_at_once_when_memory_is_low()
    {
        var guard = new MemoryGuard(100 * MiB, () => _used);
        var intake = new ThrottledIntake(guard, 2000, 4 * MiB);
        await intake.EnterAsync(1);
        await intake.EnterAsync(2);
        Assert.Equal(2, intake.InFlight); // not throttled: as many as the stream's parallelism lets through

        _used = 90 * MiB;
        var third = intake.EnterAsync(3);
        intake.Left();
        Assert.False(third.IsCompleted); // one batch still loading
        intake.Left();
        Assert.Equal(3, await third.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, intake.InFlight);

        var fourth = intake.EnterAsync(4);
        Assert.False(fourth.IsCompleted);
        _used = 60 * MiB; // memory falls; the next check lets it in without waiting for the third
        intake.Left();
        Assert.Equal(4, await fourth.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(5, await intake.EnterAsync(5).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, intake.InFlight);
    }

    [Fact]
    public void It_warns_when_it_starts_throttling_and_says_when_it_stops_but_only_at_Debug_again_within_the_minute()
    {
        var log = new RecordingLog();
        var guard = new MemoryGuard(200 * MiB, () => _used);
        guard.Start(log, TimeSpan.FromDays(1)); // its first sample is taken in Start; the rest are the test's checks

        foreach (var used in new[] { 171, 180, 190, 139, 175, 120 })
        {
            _used = used * MiB;
            guard.Check();
        }
        guard.Dispose();

        Assert.Equal(
        [
            "Warning memory guard: 171 MiB in use of the 200 MiB limit (over 85%): jobs on this node take smaller batches, one at a time, until it falls below 70%",
            "Info memory guard: 139 MiB in use of the 200 MiB limit (under 70%): jobs take full batches again",
            "Debug memory guard: 175 MiB in use of the 200 MiB limit (over 85%): jobs on this node take smaller batches, one at a time, until it falls below 70%",
            "Debug memory guard: 120 MiB in use of the 200 MiB limit (under 70%): jobs take full batches again",
        ], log.Lines);
    }

    private static ExtractedRecord Record(long offset, string payload) => new(offset, RecordKind.Message, "c1", payload);

    private sealed class RecordingLog() : LoggingAdapterBase(DefaultLogMessageFormatter.Instance)
    {
        public List<string> Lines { get; } = [];

        public override bool IsDebugEnabled => true;
        public override bool IsInfoEnabled => true;
        public override bool IsWarningEnabled => true;
        public override bool IsErrorEnabled => true;

        protected override void NotifyLog(LogLevel logLevel, object message, Exception? cause = null)
        {
            lock (Lines)
                Lines.Add($"{(logLevel == LogLevel.WarningLevel ? "Warning" : logLevel == LogLevel.InfoLevel ? "Info" : "Debug")} {message}");
        }
    }
}
