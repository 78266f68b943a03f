using EtlActors.Contracts.Jobs;
using EtlActors.Engine.Registry;
using static EtlActors.Engine.Registry.JobRegistryState;

namespace EtlActors.Engine.Tests.Registry;

public sealed class JobRegistryStateTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static JobStatus Pending(string id, string tenant = "acme") =>
        new(new JobId(id), JobState.Pending, new JobSpec("skype", $"/data/{id}.tar", "sqlite:/tmp/x.db", tenant), 0, 0, 0, null, null, null, null);

    private static JobRegistryState Run(JobRegistryState state, JobStatus pending, int limit, out Decision decision)
    {
        decision = state.Acquire(pending, limit);
        return decision.Events.Aggregate(state, (s, e) => s.Apply(e));
    }

    [Fact]
    public void Jobs_beyond_the_tenants_limit_wait_in_submission_order()
    {
        var state = Empty;
        state = Run(state, Pending("a"), 2, out var a);
        state = Run(state, Pending("b"), 2, out var b);
        state = Run(state, Pending("c"), 2, out var c);
        state = Run(state, Pending("d"), 2, out var d);

        Assert.True(a.Granted);
        Assert.True(b.Granted);
        Assert.False(c.Granted);
        Assert.Equal(1, c.Position);
        Assert.Equal(2, d.Position);
        Assert.Equal(2, state.RunningCount("acme"));
        Assert.Equal(["c", "d"], state.Queue("acme").Select(e => e.Status.JobId.Value));
    }

    [Fact]
    public void Another_tenants_jobs_do_not_count_against_the_limit()
    {
        var state = Run(Empty, Pending("a"), 1, out _);
        state = Run(state, Pending("b", tenant: "globex"), 1, out var other);

        Assert.True(other.Granted);
        Assert.Equal(1, state.RunningCount("acme"));
        Assert.Equal(1, state.RunningCount("globex"));
    }

    [Fact]
    public void When_a_running_job_ends_the_first_waiting_job_is_admitted()
    {
        var state = Run(Empty, Pending("a"), 1, out _);
        state = Run(state, Pending("b"), 1, out _);
        state = Run(state, Pending("c"), 1, out _);

        var completed = state.Jobs["a"].Status with { State = JobState.Completed, StartedAt = At, FinishedAt = At.AddMinutes(1) };
        Assert.True(state.Accepts(completed));
        state = state.Apply(new JobRecorded(completed));
        var admitted = state.Admit("acme", 1);

        Assert.Equal(["b"], admitted.Select(e => e.Status.JobId.Value));
        Assert.All(admitted, e => Assert.Equal(JobState.Running, e.Status.State));
    }

    [Fact]
    public void Asking_again_for_a_slot_is_idempotent()
    {
        var state = Run(Empty, Pending("a"), 1, out _);
        state = Run(state, Pending("b"), 1, out var first);
        state = Run(state, Pending("b"), 1, out var again);
        var holder = state.Acquire(Pending("a"), 1);

        Assert.Equal(first.Position, again.Position);
        Assert.Empty(again.Events);
        Assert.True(holder.Granted);
        Assert.Empty(holder.Events);
    }

    [Fact]
    public void No_limit_lets_every_job_run()
    {
        var state = Empty;
        for (var i = 0; i < 10; i++)
        {
            state = Run(state, Pending($"j{i}"), 0, out var decision);
            Assert.True(decision.Granted);
        }
    }

    [Fact]
    public void A_late_report_of_a_run_already_ended_is_ignored()
    {
        var running = Pending("a") with { State = JobState.Running, StartedAt = At };
        var state = Empty.Apply(new JobRecorded(running));
        state = state.Apply(new JobRecorded(running with { State = JobState.Completed, FinishedAt = At.AddMinutes(1) }));

        Assert.False(state.Accepts(running with { Processed = 50 }));
        Assert.False(state.Accepts(running with { StartedAt = At.AddHours(-1) }));
        Assert.True(state.Accepts(running with { StartedAt = At.AddHours(1) })); // a new run
    }

    [Fact]
    public void A_supervisors_pending_report_does_not_overrule_the_registrys_queue()
    {
        var state = Run(Empty, Pending("a"), 1, out _);

        Assert.False(state.Accepts(Pending("a")));
        Assert.False(state.Accepts(Pending("a") with { Spec = null }));
    }

    [Fact]
    public void Progress_only_reports_do_not_change_the_state()
    {
        var running = Pending("a") with { State = JobState.Running, StartedAt = At };
        var state = Empty.Apply(new JobRecorded(running));

        Assert.False(state.ChangesState(running with { Processed = 500 }));
        Assert.True(state.ChangesState(running with { State = JobState.Paused }));
    }

    [Fact]
    public void A_listing_filters_by_state_and_tenant_newest_first()
    {
        var state = Run(Empty, Pending("a"), 1, out _);
        state = Run(state, Pending("b"), 1, out _);
        state = Run(state, Pending("c", tenant: "globex"), 1, out _);

        Assert.Equal(["c", "b", "a"], state.List(null, null).Select(s => s.JobId.Value));
        Assert.Equal(["b"], state.List(JobState.Pending, null).Select(s => s.JobId.Value));
        Assert.Equal(["b", "a"], state.List(null, "acme").Select(s => s.JobId.Value));
        Assert.Equal(["c"], state.List(JobState.Running, "globex").Select(s => s.JobId.Value));
    }
}
