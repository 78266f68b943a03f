using Akka.Actor;
using EtlActors.Contracts.Jobs;
using EtlActors.Engine.Tests.Support;
using EtlActors.Testing;
using static EtlActors.Contracts.Jobs.JobProtocol;

namespace EtlActors.Engine.Tests.Jobs;

/// <summary>Pause, resume, cancel, listing and the per-tenant limit, on a real one-node engine with a SQLite journal.</summary>
public sealed class JobLifecycleTests : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);
    private readonly string _dir = Directory.CreateTempSubdirectory("etl-lifecycle-").FullName;
    private EngineHost _engine = null!;
    private string _export = null!;
    private SyntheticExportInfo _info = null!;

    public async Task InitializeAsync()
    {
        _export = Path.Combine(_dir, "export.tar");
        _info = SyntheticSkypeExport.Write(_export, new SyntheticExportOptions(Messages: 60_000, Conversations: 20, Seed: 6));
        _engine = await EngineHost.StartAsync(new EtlEngineOptions
        {
            Journal = $"sqlite:{Path.Combine(_dir, "journal.db")}",
            MaxConcurrentJobsPerTenant = 2,
            CheckpointInterval = 2_000,
            BatchSize = 500,
        });
    }

    // Each job its own SQLite file: SQLite has one writer at a time.
    private JobSpec Spec(string job, string tenant = "acme") => new("skype", _export, $"sqlite:{Path.Combine(_dir, job + ".db")}", tenant);

    private Task<object> Ask(object message) => _engine.Jobs.Ask<object>(message, Within);

    private Task<JobStatus> WaitForAsync(JobId job, Func<JobStatus, bool> until, string what = "in the awaited state") =>
        Eventually.UntilAsync(() => _engine.GetAsync(job), until, Within, $"job {job} {what}");

    [Fact]
    public async Task A_third_job_of_a_tenant_with_a_limit_of_two_waits_Pending_until_one_ends()
    {
        JobId a = new("limit-a"), b = new("limit-b"), c = new("limit-c"), other = new("limit-other");
        Assert.Equal(JobState.Running, ((JobAccepted)await Ask(new StartJob(a, Spec("limit-a")))).State);
        Assert.Equal(JobState.Running, ((JobAccepted)await Ask(new StartJob(b, Spec("limit-b")))).State);
        var third = (JobAccepted)await Ask(new StartJob(c, Spec("limit-c")));
        var otherTenant = (JobAccepted)await Ask(new StartJob(other, Spec("limit-other", tenant: "globex")));

        Assert.Equal(JobState.Pending, third.State);
        Assert.Equal(JobState.Running, otherTenant.State); // another tenant's slots are its own
        var waiting = await _engine.GetAsync(c);
        Assert.Equal(JobState.Pending, waiting.State);
        Assert.Equal(Spec("limit-c"), waiting.Spec);
        var pending = (JobList)await Ask(new ListJobs(JobState.Pending, "acme"));
        Assert.Equal([c], pending.Jobs.Select(j => j.JobId));

        // While both run, the third waits; it starts only once one of them has completed.
        await Eventually.UntilAsync(
            async () =>
            {
                // The waiter is read first: if it runs already, one of the others must have ended before.
                var waiter = await _engine.GetAsync(c);
                var oneEnded = (await _engine.GetAsync(a)).IsFinished || (await _engine.GetAsync(b)).IsFinished;
                if (!oneEnded)
                    Assert.Equal(JobState.Pending, waiter.State);
                return oneEnded;
            },
            oneEnded => oneEnded, Within, "one of the first two ended");
        var done = await WaitForAsync(c, s => s.IsFinished);
        var (doneA, doneB) = (await WaitForAsync(a, s => s.IsFinished), await WaitForAsync(b, s => s.IsFinished));

        Assert.Equal(JobState.Completed, done.State);
        Assert.Equal(JobState.Completed, doneA.State);
        Assert.Equal(JobState.Completed, doneB.State);
        Assert.True(done.StartedAt >= new[] { doneA.FinishedAt!.Value, doneB.FinishedAt!.Value }.Min(),
            $"the third started at {done.StartedAt:O}, before either of the others completed ({doneA.FinishedAt:O}, {doneB.FinishedAt:O})");
        Assert.Equal(_info.Messages, done.Totals!.Messages);
    }

    [Fact]
    public async Task A_paused_job_resumes_from_its_checkpoint_and_ends_with_every_row()
    {
        var job = new JobId("pause-resume");
        await Ask(new StartJob(job, Spec("pause-resume")));
        await WaitForAsync(job, s => s.Checkpoint > 0);

        var paused = (JobStatus)await Ask(new PauseJob(job));
        Assert.Equal(JobState.Paused, paused.State);
        Assert.True(paused.Checkpoint > 0 && paused.Checkpoint < _info.Messages + _info.Conversations, $"paused at {paused.Checkpoint}");
        Assert.NotNull(paused.LastCheckpointAt);
        Assert.Equal(JobState.Paused, (await _engine.GetAsync(job)).State);

        var resumed = (JobStatus)await Ask(new ResumeJob(job));
        Assert.Equal(JobState.Running, resumed.State);
        Assert.True(resumed.Checkpoint >= paused.Checkpoint);
        var done = await WaitForAsync(job, s => s.IsFinished);

        Assert.Equal(JobState.Completed, done.State);
        Assert.Equal(_info.Messages, done.Totals!.Messages);
        Assert.Equal(_info.Conversations, done.Totals.Conversations);
    }

    [Fact]
    public async Task A_cancelled_job_stays_cancelled_and_refuses_to_resume()
    {
        var job = new JobId("cancel-me");
        await Ask(new StartJob(job, Spec("cancel-me")));
        var running = await WaitForAsync(job, s => s.Processed > 0);
        Assert.Equal(JobState.Running, running.State);
        Assert.NotNull(running.RecordsPerSecond);

        var cancelled = (JobStatus)await Ask(new CancelJob(job));
        var resume = (JobRejected)await Ask(new ResumeJob(job));
        var again = (JobRejected)await Ask(new CancelJob(job));

        Assert.Equal(JobState.Cancelled, cancelled.State);
        Assert.NotNull(cancelled.FinishedAt);
        Assert.Equal(JobState.Cancelled, (await _engine.GetAsync(job)).State);
        Assert.Equal("job 'cancel-me' was cancelled; nothing to resume (submit it again to run it from its checkpoint)", resume.Reason);
        Assert.Equal("job 'cancel-me' is already cancelled", again.Reason);
        var listed = (JobList)await Ask(new ListJobs(JobState.Cancelled));
        Assert.Contains(job, listed.Jobs.Select(j => j.JobId));
    }

    [Fact]
    public async Task Commands_for_an_unknown_job_are_rejected_by_name()
    {
        var job = new JobId("never-submitted");
        foreach (var command in new object[] { new PauseJob(job), new ResumeJob(job), new CancelJob(job) })
        {
            var rejected = (JobRejected)await Ask(command);
            Assert.Equal("no job 'never-submitted' in this cluster", rejected.Reason);
        }
        Assert.False((await _engine.GetAsync(job)).Exists);
    }

    [Fact]
    public async Task A_completed_job_cannot_be_paused_cancelled_or_resumed()
    {
        var small = Path.Combine(_dir, "small.tar");
        SyntheticSkypeExport.Write(small, new SyntheticExportOptions(Messages: 300, Conversations: 3, Seed: 2));
        var job = new JobId("small-done");
        await Ask(new StartJob(job, Spec("small-done") with { SourcePath = small }));
        Assert.Equal(JobState.Completed, (await WaitForAsync(job, s => s.IsFinished)).State);

        Assert.Equal("job 'small-done' has completed; nothing to pause", ((JobRejected)await Ask(new PauseJob(job))).Reason);
        Assert.Equal("job 'small-done' has completed; nothing to cancel", ((JobRejected)await Ask(new CancelJob(job))).Reason);
        Assert.Equal("job 'small-done' has completed; nothing to resume (submit it again to load it once more)", ((JobRejected)await Ask(new ResumeJob(job))).Reason);
        var listed = await WaitForListedAsync(job, JobState.Completed);
        Assert.Equal(300, listed.Totals!.Messages);
    }

    private async Task<JobStatus> WaitForListedAsync(JobId job, JobState state)
    {
        // The supervisor reports to the registry after the state change: the list catches up within moments.
        var list = await Eventually.UntilAsync(() => Ask(new ListJobs(state)), l => ((JobList)l).Jobs.Any(j => j.JobId == job), Within, $"job {job} listed {state}");
        return ((JobList)list).Jobs.Single(j => j.JobId == job);
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
