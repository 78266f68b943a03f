using EtlActors.Contracts.Jobs;
using EtlActors.Engine.Jobs;
using static EtlActors.Engine.Jobs.JobEvents;

namespace EtlActors.Engine.Tests.Jobs;

public class JobSupervisorStateTests
{
    private static readonly JobId Job = new("job-1");
    private static readonly JobSpec Spec = new("skype", "/data/export.tar", "sqlite:/data/etl.db", "acme");
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_new_job_is_pending_and_starts_at_the_first_record()
    {
        var state = JobSupervisorState.Initial(Job);
        Assert.Equal(JobState.Pending, state.State);
        Assert.Equal(0, state.ResumeOffset);
    }

    [Fact]
    public void Checkpoints_advance_the_resume_point_and_never_move_it_back()
    {
        var state = JobSupervisorState.Initial(Job)
            .Apply(new JobStarted(Job, Spec, 0, T0))
            .Apply(new CheckpointAdvanced(20_000, 3, T0))
            .Apply(new CheckpointAdvanced(10_000, 3, T0));
        Assert.Equal(JobState.Running, state.State);
        Assert.Equal(20_000, state.ResumeOffset);
        Assert.Equal(3, state.Quarantined);
    }

    [Fact]
    public void A_failed_job_resumes_from_its_checkpoint_with_its_quarantine_count()
    {
        var failed = JobSupervisorState.Initial(Job)
            .Apply(new JobStarted(Job, Spec, 0, T0))
            .Apply(new CheckpointAdvanced(4000, 2, T0))
            .Apply(new JobFailed("PostgreSQL: connection refused", T0));
        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal("PostgreSQL: connection refused", failed.Error);

        var resumed = failed.Apply(new JobStarted(Job, Spec, failed.ResumeOffset, T0.AddMinutes(1)));
        Assert.Equal(JobState.Running, resumed.State);
        Assert.Equal(4000, resumed.Checkpoint);
        Assert.Equal(2, resumed.Quarantined);
        Assert.Null(resumed.Error);
    }

    [Fact]
    public void A_completed_job_runs_again_from_the_start()
    {
        var totals = new JobTotals(2, 3, 40, 1);
        var done = JobSupervisorState.Initial(Job)
            .Apply(new JobStarted(Job, Spec, 0, T0))
            .Apply(new CheckpointAdvanced(42, 1, T0))
            .Apply(new JobCompleted(totals, T0.AddSeconds(5)));
        Assert.Equal(JobState.Completed, done.State);
        Assert.Equal(totals, done.Totals);
        Assert.Equal(0, done.ResumeOffset);

        var again = done.Apply(new JobStarted(Job, Spec, 0, T0.AddMinutes(1)));
        Assert.Equal(0, again.Checkpoint);
        Assert.Equal(0, again.Quarantined);
        Assert.Null(again.Totals);
    }

    [Fact]
    public void Status_shows_progress_beyond_the_last_checkpoint()
    {
        var state = JobSupervisorState.Initial(Job)
            .Apply(new JobStarted(Job, Spec, 0, T0))
            .Apply(new CheckpointAdvanced(10_000, 0, T0));
        var status = state.ToStatus(processed: 12_500, quarantined: 4);
        Assert.Equal(10_000, status.Checkpoint);
        Assert.Equal(12_500, status.Processed);
        Assert.Equal(4, status.Quarantined);
        Assert.False(status.IsFinished);
    }

    [Fact]
    public void A_connectors_position_follows_the_checkpoint_and_a_completed_job_runs_again_from_its_last_position()
    {
        var state = JobSupervisorState.Initial(Job)
            .Apply(new JobStarted(Job, Spec, 0, T0, FromPosition: null))
            .Apply(new CheckpointAdvanced(100, 0, T0, "page-2"))
            .Apply(new CheckpointAdvanced(50, 0, T0, "page-1")); // an older checkpoint moves neither
        Assert.Equal((100L, "page-2"), (state.ResumeOffset, state.PositionFor(state.ResumeOffset)));

        var resumed = state.Apply(new JobPaused(T0)).Apply(new JobStarted(Job, Spec, 100, T0, FromPosition: "page-2"));
        Assert.Equal("page-2", resumed.Position);

        var completed = resumed.Apply(new CheckpointAdvanced(180, 0, T0, "end")).Apply(new JobCompleted(new JobTotals(1, 1, 180, 0), T0));
        Assert.Equal((0L, "end"), (completed.ResumeOffset, completed.PositionFor(0)));
        var queued = completed.Apply(new JobQueued(Spec, T0));
        Assert.Equal((0L, "end"), (queued.ResumeOffset, queued.PositionFor(0)));

        // A file that changed is loaded again from the start, with no position.
        Assert.Null(state.Apply(new JobPaused(T0)).PositionFor(0));
    }

    [Fact]
    public void A_job_resumes_from_its_checkpoint_only_on_the_same_source()
    {
        var source = new SourceFingerprint(480_000_000, new DateTime(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc));
        var paused = JobSupervisorState.Initial(Job)
            .Apply(new JobStarted(Job, Spec, 0, T0, source))
            .Apply(new CheckpointAdvanced(40_000, 0, T0))
            .Apply(new JobPaused(T0));

        Assert.Equal(40_000, paused.ResumeOffsetFor(source));
        Assert.Equal(0, paused.ResumeOffsetFor(source with { Length = 470_000_000 }));
        Assert.Equal(0, paused.ResumeOffsetFor(source with { LastWriteUtc = source.LastWriteUtc.AddMinutes(5) }));
    }

    [Fact]
    public void A_job_recorded_before_fingerprints_existed_still_resumes()
    {
        var legacy = JobSupervisorState.Initial(Job)
            .Apply(new JobStarted(Job, Spec, 0, T0))
            .Apply(new CheckpointAdvanced(40_000, 0, T0));

        Assert.Equal(40_000, legacy.ResumeOffsetFor(new SourceFingerprint(1, DateTime.UnixEpoch)));
    }

    [Fact]
    public void Phase_totals_follow_the_checkpoints_survive_a_resume_and_start_over_with_a_fresh_run()
    {
        var early = new JobPhases(new PhaseStats(1000, 1.5, 0), new PhaseStats(1000, 2, 3), new PhaseStats(997, 1, 0));
        var later = new JobPhases(new PhaseStats(2000, 3, 1), new PhaseStats(2000, 4, 5), new PhaseStats(1995, 2, 1));
        var state = JobSupervisorState.Initial(Job)
            .Apply(new JobStarted(Job, Spec, 0, T0))
            .Apply(new CheckpointAdvanced(1000, 3, T0, null, early))
            .Apply(new CheckpointAdvanced(2000, 5, T0, null, later))
            .Apply(new CheckpointAdvanced(2000, 5, T0)); // written before phases existed: keeps what is known
        Assert.Equal(later, state.Phases);
        Assert.Equal(later, state.ToStatus(2000, 5).Phases);

        var resumed = state.Apply(new JobFailed("lost", T0)).Apply(new JobStarted(Job, Spec, 2000, T0));
        Assert.Equal(later, resumed.Phases);
        var fresh = resumed.Apply(new CheckpointAdvanced(3000, 5, T0, null, later)).Apply(new JobCompleted(new JobTotals(1, 1, 3000, 5), T0))
            .Apply(new JobStarted(Job, Spec, 0, T0));
        Assert.Null(fresh.Phases);
    }

    [Fact]
    public void A_checkpoint_keeps_the_runs_phase_totals_and_the_status_shows_them_while_it_runs()
    {
        var phases = new JobPhases(new PhaseStats(500, 0.5, 0), new PhaseStats(500, 1, 2), new PhaseStats(400, 0.25, 0));
        var run = JobRun.Start(1, 0, 0, T0).Loaded(399, 2) with { Phases = phases };
        var state = JobSupervisorState.Initial(Job).Apply(new JobStarted(Job, Spec, 0, T0));

        Assert.Equal(phases, JobDecisions.Checkpoint(run, T0).Phases);
        Assert.Equal(phases, JobDecisions.Status(state, run, "n:1", T0.AddSeconds(1), [], 3).Phases);
        Assert.Equal(800, phases.Load.Plus(phases.Load).Records);
        Assert.Equal(1600, phases.Load.RecordsPerSecond);
        Assert.Null(PhaseStats.None.RecordsPerSecond);
    }
}
