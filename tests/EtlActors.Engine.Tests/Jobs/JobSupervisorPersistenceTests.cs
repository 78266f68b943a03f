using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using EtlActors.Contracts.Jobs;
using EtlActors.Engine.Tests.Support;
using EtlActors.Testing;
using static EtlActors.Contracts.Jobs.JobProtocol;

namespace EtlActors.Engine.Tests.Jobs;

/// <summary>A job's persisted state outlives its actor system: what a fresh system recovers is what the old one recorded.</summary>
public sealed class JobSupervisorPersistenceTests : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("etl-engine-").FullName;

    private EtlEngineOptions Options(int checkpointInterval = 10_000, int batchSize = 2000) => new()
    {
        Journal = $"sqlite:{Path.Combine(_dir, "journal.db")}",
        CheckpointInterval = checkpointInterval,
        BatchSize = batchSize,
    };

    private JobSpec Spec(string source) => new("skype", source, $"sqlite:{Path.Combine(_dir, "etl.db")}", "acme");

    [Fact]
    public async Task A_completed_job_is_recovered_completed_in_a_fresh_actor_system()
    {
        var export = Path.Combine(_dir, "export.tar");
        var info = SyntheticSkypeExport.Write(export, new SyntheticExportOptions(Messages: 1200, Conversations: 6, Seed: 1));
        var job = new JobId("recover-completed");

        JobStatus finished;
        await using (var first = await EngineHost.StartAsync(Options()))
        {
            var accepted = await first.Jobs.Ask<JobAccepted>(new StartJob(job, Spec(export)), Within);
            Assert.Equal(0, accepted.ResumedFromOffset);
            finished = await first.WaitUntilFinishedAsync(job, Within);
        }

        Assert.Equal(JobState.Completed, finished.State);
        Assert.Equal(info.Messages + info.Conversations, finished.Checkpoint);
        Assert.Equal(info.Messages, finished.Totals!.Messages);
        Assert.Equal(info.Conversations, finished.Totals.Conversations);

        await using var second = await EngineHost.StartAsync(Options());
        var recovered = await second.GetAsync(job);
        Assert.Equal(JobState.Completed, recovered.State);
        Assert.Equal(finished.Checkpoint, recovered.Checkpoint);
        Assert.Equal(finished.Totals, recovered.Totals);
        Assert.Equal(Spec(export), recovered.Spec);
    }

    [Fact]
    public async Task A_failed_job_keeps_its_reason_across_restarts()
    {
        var notAnExport = Path.Combine(_dir, "notes.txt");
        await File.WriteAllTextAsync(notAnExport, "just some notes");
        var job = new JobId("recover-failed");

        await using (var first = await EngineHost.StartAsync(Options()))
        {
            await first.Jobs.Ask<JobAccepted>(new StartJob(job, Spec(notAnExport)), Within);
            var failed = await first.WaitUntilFinishedAsync(job, Within);
            Assert.Equal(JobState.Failed, failed.State);
            Assert.Equal($"{notAnExport}: not a tar archive or a JSON file", failed.Error);
        }

        await using var second = await EngineHost.StartAsync(Options());
        var recovered = await second.GetAsync(job);
        Assert.Equal(JobState.Failed, recovered.State);
        Assert.Equal($"{notAnExport}: not a tar archive or a JSON file", recovered.Error);
    }

    [Fact]
    public async Task Checkpoints_are_persisted_as_loaded_offsets_advance()
    {
        var export = Path.Combine(_dir, "export.tar");
        var info = SyntheticSkypeExport.Write(export, new SyntheticExportOptions(Messages: 1000, Conversations: 4, Seed: 2));
        var job = new JobId("checkpoints");

        await using var engine = await EngineHost.StartAsync(Options(checkpointInterval: 200, batchSize: 100));
        await engine.Jobs.Ask<JobAccepted>(new StartJob(job, Spec(export)), Within);
        Assert.Equal(JobState.Completed, (await engine.WaitUntilFinishedAsync(job, Within)).State);

        var journal = PersistenceQuery.Get(engine.System).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        var events = await journal.CurrentEventsByPersistenceId($"job-{job.Value}", 0, long.MaxValue)
            .Select(e => e.Event)
            .RunWith(Sink.Seq<object>(), engine.System.Materializer());
        var checkpoints = events.OfType<Engine.Jobs.JobEvents.CheckpointAdvanced>().Select(c => c.Checkpoint).ToList();

        // Queued for a slot of its tenant first (the default limit applies), then started.
        Assert.IsType<Engine.Jobs.JobEvents.JobQueued>(events[0]);
        Assert.IsType<Engine.Jobs.JobEvents.JobStarted>(events[1]);
        Assert.IsType<Engine.Jobs.JobEvents.JobCompleted>(events[^1]);
        Assert.Equal(checkpoints.Order(), checkpoints);
        Assert.Equal(info.Messages + info.Conversations, checkpoints[^1]);
        Assert.True(checkpoints.Count >= 5, $"expected a checkpoint about every 200 of {checkpoints[^1]} records, got {string.Join(", ", checkpoints)}");
        Assert.All(checkpoints.Zip(checkpoints.Skip(1)), pair => Assert.True(pair.Item2 - pair.Item1 >= 200 || pair.Item2 == checkpoints[^1]));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
