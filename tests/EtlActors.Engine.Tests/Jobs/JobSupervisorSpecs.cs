using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using EtlActors.Contracts.Jobs;
using EtlActors.Engine.Jobs;
using EtlActors.Engine.Registry;
using EtlActors.Engine.Serialization;
using EtlActors.Engine.Tests.Support;
using EtlActors.Pipeline.Connectors;
using EtlActors.Pipeline.Load;
using EtlActors.Pipeline.Transform;
using Microsoft.Data.Sqlite;
using static EtlActors.Contracts.Jobs.JobProtocol;
using static EtlActors.Engine.Transform.TransformerProtocol;

namespace EtlActors.Engine.Tests.Jobs;

/// <summary>
/// The supervisor driven through a source and a transformer the test holds: records arrive, batches are
/// transformed and runs fail exactly when the test says, so each step of the lifecycle is awaited, not hoped for.
/// Real parts otherwise: the SQL journal and the sink are SQLite files.
/// </summary>
public sealed class JobSupervisorSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private static readonly string Dir = Directory.CreateTempSubdirectory("etl-specs-").FullName;
    private readonly HeldSource _source = new();
    private readonly HeldSource _pages = new(paged: true);
    private readonly TestProbe _transformers;
    private readonly TestProbe _registry;
    private readonly string _sink;
    private readonly string _sourcePath;

    public JobSupervisorSpecs(Xunit.Abstractions.ITestOutputHelper output) : base(Config(), "specs", output)
    {
        _transformers = CreateTestProbe("transformers");
        _transformers.IgnoreMessages(m => m is Release);
        _registry = CreateTestProbe("registry");
        _registry.IgnoreMessages(m => m is JobStatus);
        var name = Guid.NewGuid().ToString("N");
        _sink = Path.Combine(Dir, name + ".db");
        _sourcePath = Path.Combine(Dir, name + ".held");
        File.WriteAllText(_sourcePath, "held by the test");
    }

    private static Config Config()
    {
        var (journal, snapshots) = EtlPersistence.Options(DatabaseAddress.Parse($"sqlite:{Path.Combine(Dir, $"journal-{Guid.NewGuid():N}.db")}"));
        var bindings = string.Join("\n", EtlSerializer.BoundTypes.Select(t => $"\"{t.FullName}, {t.Assembly.GetName().Name}\" = etl"));
        return ConfigurationFactory.ParseString($$"""
            akka.actor.serializers.etl = "{{typeof(EtlSerializer).FullName}}, {{typeof(EtlSerializer).Assembly.GetName().Name}}"
            akka.actor.serialization-bindings { {{bindings}} }
            """)
            // What Akka.Hosting would add for these options: their settings over the plugins' defaults.
            .WithFallback(journal.ToConfig())
            .WithFallback(snapshots.ToConfig())
            .WithFallback(journal.DefaultConfig)
            .WithFallback(snapshots.DefaultConfig);
    }

    private EtlEngineOptions Options { get; } = new()
    {
        BatchSize = 10,
        CheckpointInterval = 10,
        TransformParallelism = 4, // Hold takes up to three batches' asks before answering any
        MaxConcurrentJobsPerTenant = 0,
        RetryMinBackoff = TimeSpan.FromMilliseconds(100),
        RetryMaxBackoff = TimeSpan.FromMilliseconds(400),
        MaxRetries = 2,
        MaxQuarantined = 5,
        AskTimeout = TimeSpan.FromSeconds(10),
    };

    private JobSpec Spec => new(_source.Kind, _sourcePath, $"sqlite:{_sink}", "acme");

    private IActorRef Supervisor(JobId job) => Sys.ActorOf(SupervisorProps(job), job.Value);

    private Props SupervisorProps(JobId job) => JobSupervisor.Props(job, new JobSupervisorSetup(
        _transformers, _registry, Options, SourceConnectors.Builtin().Add(_source).Add(_pages), "spec:0"));

    /// <summary>Takes the transformer asks covering <paramref name="records"/> records (a batch asks once per conversation) without answering them.</summary>
    private List<(TransformBatch Batch, IActorRef Asker)> Hold(int records)
    {
        var held = new List<(TransformBatch, IActorRef)>();
        for (var done = 0; done < records;)
        {
            var batch = _transformers.ExpectMsg<TransformBatch>(Patience);
            held.Add((batch, _transformers.LastSender));
            done += batch.Records.Count;
        }
        return held;
    }

    /// <summary>Answers held asks as the real transformer would.</summary>
    private void Answer(IEnumerable<(TransformBatch Batch, IActorRef Asker)> held)
    {
        foreach (var (batch, asker) in held)
        {
            var result = new TransformResult();
            var context = new TransformContext(batch.TenantId, batch.Source, batch.JobId, batch.ExtractedAt);
            foreach (var record in batch.Records)
                _source.Normalize(record, context, result);
            asker.Tell(new TransformedBatch(result.Conversations, result.Participants, result.Messages, result.RawRecords, result.Quarantined));
        }
    }

    private void TransformAll(int records) => Answer(Hold(records));

    private async Task<HeldSource.Reading> StartAsync(JobId job, IActorRef supervisor, TestProbe caller)
    {
        supervisor.Tell(new StartJob(job, Spec), caller);
        Assert.Equal(JobState.Running, caller.ExpectMsg<JobAccepted>(Patience).State);
        return await _source.NextReadingAsync(Patience);
    }

    private JobStatus StatusOf(IActorRef supervisor, JobId job)
    {
        supervisor.Tell(new GetJob(job), TestActor);
        return ExpectMsg<JobStatus>(Patience);
    }

    /// <summary>Asks the supervisor until its status satisfies <paramref name="until"/>; returns that status.</summary>
    private JobStatus AwaitStatus(IActorRef supervisor, JobId job, Func<JobStatus, bool> until)
    {
        JobStatus? last = null;
        AwaitCondition(() => until(last = StatusOf(supervisor, job)), Patience);
        return last!;
    }

    private long Messages()
    {
        using var connection = new SqliteConnection($"Data Source={_sink};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM messages";
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task A_start_during_a_pause_is_answered_after_the_pause_and_resumes_from_its_checkpoint()
    {
        var job = new JobId("pause-then-start");
        var supervisor = Supervisor(job);
        var reading = await StartAsync(job, supervisor, CreateTestProbe());
        reading.Emit(20);
        TransformAll(10);
        AwaitStatus(supervisor, job, s => s.Checkpoint == 10);

        // The second batch is in the transformer's hands: the pause must wait for it.
        var inFlight = Hold(10);
        var pauser = CreateTestProbe();
        var starter = CreateTestProbe();
        supervisor.Tell(new PauseJob(job), pauser);
        supervisor.Tell(new StartJob(job, Spec), starter);
        pauser.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        starter.ExpectNoMsg(TimeSpan.Zero);

        Answer(inFlight);
        var paused = pauser.ExpectMsg<JobStatus>(Patience);
        Assert.Equal((JobState.Paused, 20L), (paused.State, paused.Checkpoint));
        var accepted = starter.ExpectMsg<JobAccepted>(Patience);
        Assert.Equal((JobState.Running, 20L), (accepted.State, accepted.ResumedFromOffset));
        Assert.Equal(20, (await _source.NextReadingAsync(Patience)).FromOffset);
    }

    [Fact]
    public async Task A_resumed_job_reads_from_its_checkpoint_and_completes_with_every_row()
    {
        var job = new JobId("pause-resume");
        var supervisor = Supervisor(job);
        var reading = await StartAsync(job, supervisor, CreateTestProbe());
        reading.Emit(30);
        TransformAll(30);
        supervisor.Tell(new PauseJob(job), TestActor);
        Assert.Equal((JobState.Paused, 30L), ExpectMsg<JobStatus>(Patience) is var p ? (p.State, p.Checkpoint) : default);

        supervisor.Tell(new ResumeJob(job), TestActor);
        Assert.Equal(JobState.Running, ExpectMsg<JobStatus>(Patience).State);
        var resumed = await _source.NextReadingAsync(Patience);
        Assert.Equal(30, resumed.FromOffset);
        resumed.Emit(15);
        resumed.Complete();
        TransformAll(15);
        var done = AwaitStatus(supervisor, job, s => s.State == JobState.Completed);
        Assert.Equal((45L, 45L, 45L), (done.Checkpoint, done.Totals!.Messages, Messages()));
    }

    [Fact]
    public async Task A_running_jobs_status_says_how_much_of_its_source_is_read_and_a_paused_ones_does_not()
    {
        var job = new JobId("share-read");
        var supervisor = Supervisor(job);
        var reading = await StartAsync(job, supervisor, CreateTestProbe());

        reading.Emit(20).ReadBytes(250, 1000);
        TransformAll(20);
        var running = AwaitStatus(supervisor, job, s => s.Processed == 20);
        Assert.Equal(0.25, running.ReadFraction);

        supervisor.Tell(new PauseJob(job), TestActor);
        var paused = ExpectMsg<JobStatus>(Patience);
        Assert.Equal((JobState.Paused, (double?)null), (paused.State, paused.ReadFraction));
    }

    [Fact]
    public async Task A_paged_source_is_loaded_and_checkpointed_page_by_page_and_reads_its_next_page_only_after_that()
    {
        var job = new JobId("pages");
        var supervisor = Supervisor(job);
        supervisor.Tell(new StartJob(job, new JobSpec(_pages.Kind, "api.yaml", $"sqlite:{_sink}", "acme")), TestActor);
        Assert.Equal(JobState.Running, ExpectMsg<JobAccepted>(Patience).State);
        var reading = await _pages.NextReadingAsync(Patience);
        Assert.Null(reading.Resume);

        // Fewer records than a batch or a checkpoint interval (10): the page still loads at once and is checkpointed.
        var nextPage = reading.Checkpoints.WaitForAsync(4, CancellationToken.None).AsTask();
        reading.EmitPage(4, "p1");
        Assert.False(nextPage.IsCompleted);
        TransformAll(4);
        await nextPage.WaitAsync(Patience);
        Assert.Equal(4, AwaitStatus(supervisor, job, s => s.Checkpoint == 4).Checkpoint);

        reading.EmitPage(3, "p2");
        TransformAll(3);
        AwaitStatus(supervisor, job, s => s.Checkpoint == 7);
        supervisor.Tell(new PauseJob(job), TestActor);
        Assert.Equal((JobState.Paused, 7L), ExpectMsg<JobStatus>(Patience) is var p ? (p.State, p.Checkpoint) : default);

        supervisor.Tell(new ResumeJob(job), TestActor);
        Assert.Equal(JobState.Running, ExpectMsg<JobStatus>(Patience).State);
        var resumed = await _pages.NextReadingAsync(Patience);
        Assert.Equal((7L, "after-p2"), (resumed.FromOffset, resumed.Resume));
        resumed.EmitPage(2, "p3").Complete();
        TransformAll(2);
        Assert.Equal(9L, AwaitStatus(supervisor, job, s => s.State == JobState.Completed).Totals!.Messages);

        // Run again after completing: from the first record, with the position it ended at (an incremental
        // source's watermarks are in it).
        supervisor.Tell(new StartJob(job, new JobSpec(_pages.Kind, "api.yaml", $"sqlite:{_sink}", "acme")), TestActor);
        Assert.Equal(JobState.Running, ExpectMsg<JobAccepted>(Patience).State);
        var again = await _pages.NextReadingAsync(Patience);
        Assert.Equal((0L, "after-p3"), (again.FromOffset, again.Resume));
    }

    [Fact]
    public async Task A_cancel_keeps_what_is_loaded_and_refuses_a_resume()
    {
        var job = new JobId("cancel");
        var supervisor = Supervisor(job);
        var reading = await StartAsync(job, supervisor, CreateTestProbe());
        reading.Emit(10);
        TransformAll(10);
        supervisor.Tell(new CancelJob(job), TestActor);
        var cancelled = ExpectMsg<JobStatus>(Patience);
        Assert.Equal((JobState.Cancelled, 10L, 10L), (cancelled.State, cancelled.Checkpoint, Messages()));

        supervisor.Tell(new ResumeJob(job), TestActor);
        Assert.Contains("was cancelled; nothing to resume", ExpectMsg<JobRejected>(Patience).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_run_restarts_from_the_checkpoint_with_backoff_and_fails_once_its_retries_are_spent()
    {
        var job = new JobId("retry");
        var supervisor = Supervisor(job);
        var reading = await StartAsync(job, supervisor, CreateTestProbe());
        reading.Emit(10);
        TransformAll(10);
        AwaitStatus(supervisor, job, s => s.Checkpoint == 10);

        reading.Fail(new IOException("the disk went away"));
        var retrying = AwaitStatus(supervisor, job, s => s.Error is not null);
        Assert.Equal("retrying after: the disk went away (attempt 1 of 2)", retrying.Error);
        Assert.Equal(JobState.Running, retrying.State);
        var second = await _source.NextReadingAsync(Patience);
        Assert.Equal(10, second.FromOffset);

        second.Fail(new IOException("the disk went away"));
        (await _source.NextReadingAsync(Patience)).Fail(new IOException("the disk went away"));
        var failed = AwaitStatus(supervisor, job, s => s.State == JobState.Failed);
        Assert.Equal("the disk went away (gave up after 2 restarts)", failed.Error);
        Assert.Equal((10L, 10L), (failed.Checkpoint, Messages()));
    }

    [Fact]
    public async Task A_job_whose_error_budget_is_spent_fails_naming_it_with_its_quarantine_loaded()
    {
        var job = new JobId("budget");
        var supervisor = Supervisor(job);
        var reading = await StartAsync(job, supervisor, CreateTestProbe());
        reading.Emit(10, payload: "bad");
        TransformAll(10);
        var failed = AwaitStatus(supervisor, job, s => s.State == JobState.Failed);
        Assert.Contains("error budget spent: 10 of 10 records quarantined (limit 5 records)", failed.Error, StringComparison.Ordinal);
        Assert.Equal(10, failed.Quarantined);
    }

    [Fact]
    public async Task A_finished_job_restarted_by_its_shard_asks_to_be_passivated_after_answering_so_it_is_no_longer_remembered()
    {
        var job = new JobId("remembered-finished");
        var supervisor = Supervisor(job);
        var reading = await StartAsync(job, supervisor, CreateTestProbe());
        reading.Emit(10);
        reading.Complete();
        TransformAll(10);
        AwaitStatus(supervisor, job, s => s.State == JobState.Completed);
        Watch(supervisor);
        Sys.Stop(supervisor);
        ExpectTerminated(supervisor, Patience);

        // As a shard restarts a remembered entity: a child of the shard (here the test actor), no message.
        var restarted = ChildActorOf(SupervisorProps(job), job.Value);
        var asker = CreateTestProbe();
        restarted.Tell(new GetJob(job), asker);
        Assert.Equal(JobState.Completed, asker.ExpectMsg<JobStatus>(Patience).State);
        var passivate = ExpectMsg<Akka.Cluster.Sharding.Passivate>(Patience);
        Assert.Same(JobSupervisor.HandOff.Instance, passivate.StopMessage);
    }

    [Fact]
    public async Task A_running_job_restarted_by_its_shard_resumes_and_does_not_ask_to_be_passivated()
    {
        var job = new JobId("remembered-running");
        var supervisor = Supervisor(job);
        var reading = await StartAsync(job, supervisor, CreateTestProbe());
        reading.Emit(10);
        TransformAll(10);
        AwaitStatus(supervisor, job, s => s.Checkpoint == 10);
        Watch(supervisor);
        Sys.Stop(supervisor);
        ExpectTerminated(supervisor, Patience);

        var restarted = ChildActorOf(SupervisorProps(job), job.Value);
        Assert.Equal(10, (await _source.NextReadingAsync(Patience)).FromOffset);
        ExpectNoMsg(TimeSpan.FromSeconds(2)); // longer than a finished job's passivation delay (1 s)
        Assert.Equal(JobState.Running, StatusOf(restarted, job).State);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // a small job reads all of its source at once: its intake has completed when the node is lost
    public async Task A_node_lost_with_batches_in_its_transformers_restarts_the_run_from_its_checkpoint_without_waiting_for_the_asks(bool sourceReadToItsEnd)
    {
        var job = new JobId(sourceReadToItsEnd ? "transformer-node-lost-at-the-end" : "transformer-node-lost");
        Options.AskTimeout = TimeSpan.FromMinutes(5); // far beyond Patience: only the loss can restart the run in time
        var supervisor = Supervisor(job);
        var reading = await StartAsync(job, supervisor, CreateTestProbe());
        reading.Emit(20);
        TransformAll(10);
        AwaitStatus(supervisor, job, s => s.Checkpoint == 10);
        if (sourceReadToItsEnd)
            reading.Complete();
        Hold(10); // the second batch went to a node that is about to be lost: never answered

        Sys.EventStream.Publish(new TransformerNodeLost("10.0.0.9:4053"));

        var again = await _source.NextReadingAsync(Patience);
        Assert.Equal(10, again.FromOffset);
        again.Emit(10);
        again.Complete();
        TransformAll(10);
        var done = AwaitStatus(supervisor, job, s => s.State == JobState.Completed);
        Assert.Equal((20L, 20L), (done.Totals!.Messages, Messages()));
        Assert.Contains(done.RecentErrors ?? [], e => e.Contains("node 10.0.0.9:4053 left the cluster", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_handed_off_job_checkpoints_what_is_loaded_and_its_successor_resumes_there()
    {
        var job = new JobId("hand-off");
        Options.CheckpointInterval = 1000; // nothing but the hand-off persists a checkpoint
        var supervisor = Supervisor(job);
        var reading = await StartAsync(job, supervisor, CreateTestProbe());
        reading.Emit(20);
        TransformAll(20);
        Assert.Equal(0, AwaitStatus(supervisor, job, s => s.Processed == 20).Checkpoint);

        Watch(supervisor);
        supervisor.Tell(JobSupervisor.HandOff.Instance);
        ExpectTerminated(supervisor, Patience);

        // As sharding starts it on the next node: it recovers Running and resumes. A name of its own, since Terminated can
        // reach this test before the guardian has released the first one's name (a CI run failed so: "not unique").
        var successor = Sys.ActorOf(SupervisorProps(job), job.Value + "-successor");
        var resumed = await _source.NextReadingAsync(Patience);
        Assert.Equal(20, resumed.FromOffset);
        Assert.Equal(JobState.Running, StatusOf(successor, job).State);
    }

    [Fact]
    public void A_submission_outside_the_nodes_sources_root_is_rejected_and_leaves_no_job()
    {
        var job = new JobId("outside-root");
        var root = Directory.CreateDirectory(Path.Combine(Dir, "root-" + Guid.NewGuid().ToString("N"))).FullName;
        Options.SourcesRoot = root;
        var supervisor = Supervisor(job);

        supervisor.Tell(new StartJob(job, Spec), TestActor);

        Assert.Equal($"source {_sourcePath} is outside this node's sources root {root}", ExpectMsg<JobRejected>(Patience).Reason);
        Assert.False(StatusOf(supervisor, job).Exists);
    }

    [Fact]
    public async Task A_paused_job_whose_source_is_outside_the_sources_root_of_the_node_it_is_on_now_is_not_resumed()
    {
        var job = new JobId("paused-outside-root");
        var supervisor = Supervisor(job);
        var reading = await StartAsync(job, supervisor, CreateTestProbe());
        reading.Emit(10);
        TransformAll(10);
        supervisor.Tell(new PauseJob(job), TestActor);
        Assert.Equal(JobState.Paused, ExpectMsg<JobStatus>(Patience).State);
        Watch(supervisor);
        Sys.Stop(supervisor);
        ExpectTerminated(supervisor, Patience);

        var root = Directory.CreateDirectory(Path.Combine(Dir, "root-" + Guid.NewGuid().ToString("N"))).FullName;
        Options.SourcesRoot = root;
        var recovered = Supervisor(job);
        recovered.Tell(new ResumeJob(job), TestActor);

        var rejected = ExpectMsg<JobRejected>(Patience);
        Assert.Equal((JobState.Paused, $"source {_sourcePath} is outside this node's sources root {root}"), (rejected.State, rejected.Reason));
        Assert.Equal(JobState.Paused, StatusOf(recovered, job).State);
    }

    [Fact]
    public async Task A_job_recovered_running_on_a_node_whose_sources_root_excludes_its_source_fails_naming_the_refusal()
    {
        var job = new JobId("recovered-outside-root");
        var supervisor = Supervisor(job);
        var reading = await StartAsync(job, supervisor, CreateTestProbe());
        reading.Emit(10);
        TransformAll(10);
        AwaitStatus(supervisor, job, s => s.Checkpoint == 10);
        Watch(supervisor);
        supervisor.Tell(JobSupervisor.HandOff.Instance);
        ExpectTerminated(supervisor, Patience);

        var root = Directory.CreateDirectory(Path.Combine(Dir, "root-" + Guid.NewGuid().ToString("N"))).FullName;
        Options.SourcesRoot = root;
        var successor = Supervisor(job); // recovers Running and starts a run: the run checks the source again

        var failed = AwaitStatus(successor, job, s => s.State == JobState.Failed);
        Assert.Equal($"source {_sourcePath} is outside this node's sources root {root}", failed.Error);
        Assert.Equal(10, failed.Checkpoint);
    }

    [Fact]
    public async Task A_job_over_its_tenants_limit_waits_Pending_until_the_registry_grants_it_a_slot()
    {
        var job = new JobId("queued");
        Options.MaxConcurrentJobsPerTenant = 1;
        var supervisor = Supervisor(job);
        supervisor.Tell(new StartJob(job, Spec), TestActor);
        var ask = _registry.ExpectMsg<JobRegistry.AcquireSlot>(Patience);
        Assert.Equal(JobState.Pending, ask.Pending.State);
        _registry.Reply(new JobRegistry.SlotQueued(job, 1));
        Assert.Equal(JobState.Pending, ExpectMsg<JobAccepted>(Patience).State);

        supervisor.Tell(new JobRegistry.SlotGranted(job));
        Assert.Equal(0, (await _source.NextReadingAsync(Patience)).FromOffset);
        Assert.Equal(JobState.Running, StatusOf(supervisor, job).State);
    }
}
