using EtlActors.Contracts.Jobs;
using EtlActors.Engine.Jobs;
using EtlActors.Pipeline.Records;
using static EtlActors.Contracts.Jobs.JobProtocol;
using static EtlActors.Engine.Jobs.JobEvents;

namespace EtlActors.Engine.Tests.Jobs;

/// <summary>The lifecycle's rules on the pure state: no actor system.</summary>
public class JobDecisionsTests
{
    private static readonly JobId Job = new("job-1");
    private static readonly JobSpec Spec = new("skype", "/data/export.tar", "sqlite:/data/etl.db", "acme");
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly RetryPolicy Retry = new(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2);

    private static JobSupervisorState New => JobSupervisorState.Initial(Job);
    private static JobSupervisorState Running(long checkpoint = 0) => New.Apply(new JobStarted(Job, Spec, 0, T0)).Apply(new CheckpointAdvanced(checkpoint, 0, T0));
    private static JobSupervisorState Paused => Running(4000).Apply(new JobPaused(T0));
    private static JobSupervisorState Failed => Running(4000).Apply(new JobFailed("PostgreSQL: connection refused", T0));
    private static JobSupervisorState Completed => Running(4000).Apply(new JobCompleted(new JobTotals(1, 2, 3, 0), T0));
    private static JobSupervisorState Cancelled => Running(4000).Apply(new JobCancelled(T0));
    private static JobRun Run(long processed = 0) => JobRun.Start(1, 0, 0, T0) with { Processed = processed };
    private static JobStatus StatusOf(JobSupervisorState s) => JobDecisions.Status(s, null, "node:1", T0, [], 3);

    [Fact]
    public void A_new_job_is_admitted_to_run_at_once_without_a_limit_and_queued_with_one()
    {
        Assert.Equal(new Decision.Admit(Spec, Queue: false, WantsAccepted: true), JobDecisions.OnStart(New, JobPhase.Idle, null, Spec, limited: false));
        Assert.Equal(new Decision.Admit(Spec, Queue: true, WantsAccepted: true), JobDecisions.OnStart(New, JobPhase.Idle, null, Spec, limited: true));
    }

    [Fact]
    public void A_start_of_a_queued_job_waits_with_the_others_and_a_running_one_is_answered_with_where_its_run_began()
    {
        Assert.Equal(new Decision.Wait(WantsAccepted: true), JobDecisions.OnStart(New, JobPhase.Queued, null, Spec, limited: true));
        var run = JobRun.Start(1, 2000, 0, T0) with { Processed = 5000 };
        var reply = Assert.IsType<Decision.Reply>(JobDecisions.OnStart(Running(2000), JobPhase.Running, run, Spec, limited: true));
        Assert.Equal(new JobAccepted(Job, 2000), reply.Message);
        Assert.IsType<Decision.Reply>(JobDecisions.OnStart(Running(2000), JobPhase.Retrying, run, Spec, limited: true));
    }

    [Theory]
    [InlineData(JobPhase.Stopping)]
    [InlineData(JobPhase.Finishing)]
    public void A_start_or_resume_while_a_stop_or_completion_is_being_persisted_waits_for_it(JobPhase phase)
    {
        Assert.IsType<Decision.Defer>(JobDecisions.OnStart(Running(), phase, Run(), Spec, limited: false));
        Assert.IsType<Decision.Defer>(JobDecisions.OnResume(Running(), phase, StatusOf(Running()), limited: false));
    }

    [Fact]
    public void A_paused_or_failed_job_resumes_on_its_own_spec_and_the_caller_hears_its_status()
    {
        Assert.Equal(new Decision.Admit(Spec, Queue: false, WantsAccepted: false), JobDecisions.OnResume(Paused, JobPhase.Idle, StatusOf(Paused), limited: false));
        Assert.Equal(new Decision.Admit(Spec, Queue: true, WantsAccepted: false), JobDecisions.OnResume(Failed, JobPhase.Idle, StatusOf(Failed), limited: true));
    }

    [Fact]
    public void Resume_is_refused_with_a_reason_for_completed_cancelled_and_unknown_jobs()
    {
        Assert.Equal("job 'job-1' has completed; nothing to resume (submit it again to load it once more)", RejectionOf(JobDecisions.OnResume(Completed, JobPhase.Idle, StatusOf(Completed), false)));
        Assert.Equal("job 'job-1' was cancelled; nothing to resume (submit it again to run it from its checkpoint)", RejectionOf(JobDecisions.OnResume(Cancelled, JobPhase.Idle, StatusOf(Cancelled), false)));
        Assert.Equal("no job 'job-1' in this cluster", RejectionOf(JobDecisions.OnResume(New, JobPhase.Idle, StatusOf(New), false)));
    }

    [Fact]
    public void Pause_stops_a_running_stream_gracefully_and_a_waiting_or_retrying_job_at_once()
    {
        Assert.Equal(new Decision.StopRun(StopKind.Pause), JobDecisions.OnPause(Running(), JobPhase.Running, StatusOf(Running())));
        Assert.Equal(new Decision.StopRun(StopKind.Pause), JobDecisions.OnPause(Running(), JobPhase.Stopping, StatusOf(Running())));
        Assert.Equal(new Decision.StopNow(StopKind.Pause), JobDecisions.OnPause(New, JobPhase.Queued, StatusOf(New)));
        Assert.Equal(new Decision.StopNow(StopKind.Pause), JobDecisions.OnPause(Running(), JobPhase.Retrying, StatusOf(Running())));
    }

    [Fact]
    public void Pause_of_a_paused_job_answers_its_status_and_of_an_ended_one_is_refused()
    {
        var reply = Assert.IsType<Decision.Reply>(JobDecisions.OnPause(Paused, JobPhase.Idle, StatusOf(Paused)));
        Assert.Equal(JobState.Paused, Assert.IsType<JobStatus>(reply.Message).State);
        Assert.Equal("job 'job-1' has completed; nothing to pause", RejectionOf(JobDecisions.OnPause(Completed, JobPhase.Idle, StatusOf(Completed))));
        Assert.Equal("job 'job-1' has failed; nothing to pause", RejectionOf(JobDecisions.OnPause(Failed, JobPhase.Idle, StatusOf(Failed))));
    }

    [Fact]
    public void Cancel_takes_running_waiting_paused_and_failed_jobs_and_refuses_ended_ones()
    {
        Assert.Equal(new Decision.StopRun(StopKind.Cancel), JobDecisions.OnCancel(Running(), JobPhase.Running));
        Assert.Equal(new Decision.StopNow(StopKind.Cancel), JobDecisions.OnCancel(New, JobPhase.Queued));
        Assert.Equal(new Decision.StopNow(StopKind.Cancel), JobDecisions.OnCancel(Paused, JobPhase.Idle));
        Assert.Equal(new Decision.StopNow(StopKind.Cancel), JobDecisions.OnCancel(Failed, JobPhase.Idle));
        Assert.Equal("job 'job-1' is already cancelled", RejectionOf(JobDecisions.OnCancel(Cancelled, JobPhase.Idle)));
        Assert.Equal("job 'job-1' has completed; nothing to cancel", RejectionOf(JobDecisions.OnCancel(Completed, JobPhase.Idle)));
        Assert.Equal("no job 'job-1' in this cluster", RejectionOf(JobDecisions.OnCancel(New, JobPhase.Idle)));
    }

    [Fact]
    public void A_pause_then_a_cancel_during_the_same_stop_make_a_cancel()
    {
        Assert.Equal(StopKind.Cancel, Run().Stopping(StopKind.Pause).Stopping(StopKind.Cancel).Stop);
        Assert.Equal(StopKind.Cancel, Run().Stopping(StopKind.Cancel).Stopping(StopKind.Pause).Stop);
    }

    [Fact]
    public void A_stream_that_ends_finishes_the_job_unless_a_stop_was_asked_or_the_error_budget_is_spent()
    {
        Assert.IsType<RunOutcome.Finish>(JobDecisions.OnStreamCompleted(Run()));
        Assert.Equal(new RunOutcome.Stop(StopKind.Pause), JobDecisions.OnStreamCompleted(Run().Stopping(StopKind.Pause)));
        Assert.Equal(new RunOutcome.Fail("budget spent"), JobDecisions.OnStreamCompleted(Run() with { BudgetSpent = "budget spent" }));
    }

    [Fact]
    public void A_transient_failure_is_retried_with_growing_backoff_until_the_budget_of_failures_in_a_row_is_spent()
    {
        var first = Assert.IsType<RunOutcome.Retry>(JobDecisions.OnRunFailed(Run(), "SQLite: database is locked", permanent: false, Retry, random: 0));
        Assert.Equal((TimeSpan.FromSeconds(1), 1), (first.Delay, first.Attempt));
        var third = Assert.IsType<RunOutcome.Retry>(JobDecisions.OnRunFailed(Run() with { FailuresInARow = 2 }, "x", permanent: false, Retry, random: 0));
        Assert.Equal((TimeSpan.FromSeconds(4), 3), (third.Delay, third.Attempt));
        var spent = Assert.IsType<RunOutcome.Fail>(JobDecisions.OnRunFailed(Run() with { FailuresInARow = 3 }, "SQLite: database is locked", permanent: false, Retry, random: 0));
        Assert.Equal("SQLite: database is locked (gave up after 3 restarts)", spent.Reason);
    }

    [Fact]
    public void Backoff_is_capped_and_its_random_share_stays_within_the_factor()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Retry.Delay(10, random: 0));
        Assert.Equal(TimeSpan.FromSeconds(36), Retry.Delay(10, random: 1));
        Assert.InRange(Retry.Delay(2, random: 0.5), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.4));
    }

    [Fact]
    public void A_permanent_failure_fails_at_once_and_a_failure_during_a_stop_still_stops()
    {
        Assert.Equal(new RunOutcome.Fail("export.tar: line 3, byte 0: bad"), JobDecisions.OnRunFailed(Run(), "export.tar: line 3, byte 0: bad", permanent: true, Retry, 0));
        Assert.Equal(new RunOutcome.Stop(StopKind.Cancel), JobDecisions.OnRunFailed(Run().Stopping(StopKind.Cancel), "x", permanent: false, Retry, 0));
    }

    [Fact]
    public void A_loaded_batch_is_progress_so_the_failures_in_a_row_start_over()
    {
        var run = (Run() with { FailuresInARow = 2, RetryReason = "x" }).Loaded(lastOffset: 99, quarantined: 3);
        Assert.Equal((100L, 3L, 0, (string?)null), (run.Processed, run.Quarantined, run.FailuresInARow, run.RetryReason));
    }

    [Fact]
    public void The_error_budget_is_spent_past_its_count_or_past_its_share_once_enough_records_are_in()
    {
        var budget = new ErrorBudget(MaxQuarantined: 100, MaxRatio: 0.1);
        Assert.Null(budget.Spent(processed: 500, quarantined: 100, "/x.tar", "j"));
        Assert.Null(budget.Spent(processed: 999, quarantined: 99, "/x.tar", "j")); // a share is not judged on few records
        Assert.Equal("/x.tar: error budget spent: 101 of 5000 records quarantined (limit 100 records); see the quarantine table for job_id 'j'",
            budget.Spent(processed: 5000, quarantined: 101, "/x.tar", "j"));
        var byShare = new ErrorBudget(MaxQuarantined: 10_000, MaxRatio: 0.1);
        Assert.Null(byShare.Spent(processed: 1000, quarantined: 100, "/x.tar", "j"));
        Assert.Contains($"101 of 1000 records quarantined (limit {0.1:P0} of records)", byShare.Spent(processed: 1000, quarantined: 101, "/x.tar", "j"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_is_due_once_an_interval_of_records_is_loaded_past_the_last()
    {
        Assert.False(JobDecisions.CheckpointDue(Running(10_000), Run(19_999), 10_000));
        Assert.True(JobDecisions.CheckpointDue(Running(10_000), Run(20_000), 10_000));
    }

    [Fact]
    public void A_checkpoint_is_due_after_every_page_of_a_paged_source_with_its_position()
    {
        var midPage = Run(10_100) with { Position = new ReadPosition("in-page-3", EndsPage: false) };
        var pageEnd = Run(10_100) with { Position = new ReadPosition("after-page-3", EndsPage: true) };
        Assert.False(JobDecisions.CheckpointDue(Running(10_000), midPage, 10_000));
        Assert.True(JobDecisions.CheckpointDue(Running(10_000), pageEnd, 10_000));
        Assert.False(JobDecisions.CheckpointDue(Running(10_100), pageEnd, 10_000)); // nothing new since
        Assert.Equal(new CheckpointAdvanced(10_100, 0, T0, "after-page-3"), JobDecisions.Checkpoint(pageEnd, T0));
        Assert.Equal([new CheckpointAdvanced(10_100, 0, T0, "in-page-3"), new JobPaused(T0)],
            JobDecisions.StopEvents(Running(10_000), midPage, StopKind.Pause, T0));
    }

    [Fact]
    public void A_stop_keeps_the_loaded_prefix_as_the_checkpoint_before_its_final_event()
    {
        var events = JobDecisions.StopEvents(Running(4000), Run(4500) with { Quarantined = 2 }, StopKind.Pause, T0);
        Assert.Equal([new CheckpointAdvanced(4500, 2, T0), new JobPaused(T0)], events);
        Assert.Equal([new JobCancelled(T0)], JobDecisions.StopEvents(Running(4000), null, StopKind.Cancel, T0));
        Assert.Equal([new JobCancelled(T0)], JobDecisions.StopEvents(Running(4000), Run(4000), StopKind.Cancel, T0));
    }

    [Fact]
    public void A_hand_off_checkpoints_the_loaded_prefix_and_leaves_the_job_running()
    {
        var state = Running(4000);
        var events = JobDecisions.HandOffEvents(state, Run(6000), T0);
        Assert.Equal([new CheckpointAdvanced(6000, 0, T0)], events);
        Assert.Equal(JobState.Running, events.Aggregate(state, (s, e) => s.Apply(e)).State);
        Assert.Empty(JobDecisions.HandOffEvents(state, null, T0));
    }

    [Fact]
    public void Completion_persists_the_last_checkpoint_then_the_totals()
    {
        var totals = new JobTotals(4, 6, 27, 0);
        var state = JobDecisions.CompletionEvents(Run(31), totals, T0).Aggregate(Running(), (s, e) => s.Apply(e));
        Assert.Equal((JobState.Completed, 31L, totals), (state.State, state.Checkpoint, state.Totals));
    }

    [Fact]
    public void Callers_hear_JobAccepted_for_a_start_and_the_status_otherwise_and_a_retry_shows_in_the_status()
    {
        var status = StatusOf(Paused);
        Assert.Equal(new JobAccepted(Job, 4000, JobState.Paused), JobDecisions.Answer(true, Paused, status));
        Assert.Same(status, JobDecisions.Answer(false, Paused, status));
        var retrying = JobDecisions.Status(Running(), Run(10) with { FailuresInARow = 2, RetryReason = "SQLite: locked" }, "n", T0.AddSeconds(5), [], 3);
        Assert.Equal("retrying after: SQLite: locked (attempt 2 of 3)", retrying.Error);
        Assert.Equal(2.0, retrying.RecordsPerSecond);
        Assert.Equal(10, retrying.Processed);
    }

    [Fact]
    public void A_running_jobs_status_says_how_much_of_its_source_is_read_and_the_time_left_at_its_rate()
    {
        // 20,000 records in 10 s (2,000/s) with 40% of the file read: about 50,000 records, 30,000 more, 15 s.
        var status = JobDecisions.Status(Running(), Run(20_000), "n", T0.AddSeconds(10), [], 3, readFraction: 0.4);

        Assert.Equal(0.4, status.ReadFraction);
        Assert.Equal(2000.0, status.RecordsPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(15), status.EstimatedTimeLeft());
        // Read to the end with records still loading: nothing is left to read.
        Assert.Equal(TimeSpan.Zero, (status with { ReadFraction = 1.0 }).EstimatedTimeLeft());
    }

    [Fact]
    public void Without_a_known_size_a_rate_or_a_run_there_is_no_percent_and_no_time_left()
    {
        Assert.Null(JobDecisions.Status(Running(), Run(20_000), "n", T0.AddSeconds(10), [], 3).EstimatedTimeLeft());
        Assert.Null(JobDecisions.Status(Running(), Run(0), "n", T0.AddSeconds(10), [], 3, readFraction: 0.0).EstimatedTimeLeft());
        Assert.Null(JobDecisions.Status(Running(), Run(20_000), "n", T0, [], 3, readFraction: 0.4).EstimatedTimeLeft()); // no time yet: no rate
        var paused = JobDecisions.Status(Paused, null, "n", T0.AddSeconds(10), [], 3, readFraction: 0.4);
        Assert.Null(paused.ReadFraction);
        Assert.Null(paused.EstimatedTimeLeft());
    }

    [Fact]
    public void A_start_or_resume_whose_source_is_outside_the_nodes_sources_root_is_rejected_with_the_refusal()
    {
        var root = Directory.CreateTempSubdirectory("etl-decisions-");
        try
        {
            var sources = Pipeline.Sources.SourceRoot.Under(root.FullName);
            var refusal = $"source /data/export.tar is outside this node's sources root {root.FullName}";

            Assert.Equal(refusal, RejectionOf(JobDecisions.OnStart(New, JobPhase.Idle, null, Spec, limited: false, sources)));
            Assert.Equal(refusal, RejectionOf(JobDecisions.OnResume(Paused, JobPhase.Idle, StatusOf(Paused), limited: false, sources)));
            Assert.Equal(refusal, RejectionOf(JobDecisions.OnResume(Failed, JobPhase.Idle, StatusOf(Failed), limited: true, sources)));
            var inside = Spec with { SourcePath = Path.Combine(root.FullName, "export.tar") };
            Assert.Equal(new Decision.Admit(inside, Queue: false, WantsAccepted: true), JobDecisions.OnStart(New, JobPhase.Idle, null, inside, limited: false, sources));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static string RejectionOf(Decision decision) =>
        Assert.IsType<JobRejected>(Assert.IsType<Decision.Reply>(decision).Message).Reason;
}
