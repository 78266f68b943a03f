using Akka.Actor;

namespace EtlActors.Engine.Jobs;

/// <summary>
/// How a job supervisor treats a loader that throws. The run's stream has already failed through its ask
/// and the supervisor decides about the run; this only decides about the loader actor itself.
/// </summary>
internal static class LoaderSupervision
{
    /// <summary>A loader restarts with a fresh connection, at most this often a minute; past that it stops (its run fails by timeout or retries).</summary>
    public const int MaxRestartsPerMinute = 10;

    public static SupervisorStrategy Strategy() =>
        new OneForOneStrategy(MaxRestartsPerMinute, TimeSpan.FromMinutes(1), Decide);

    /// <summary>
    /// A failure restarting cannot cure (bad configuration, a missing table the loader cannot create) stops the
    /// loader: a fresh connection would fail the same way. Any other (a dropped connection) restarts it.
    /// </summary>
    public static Directive Decide(Exception failure) =>
        FailureReason.IsPermanent(failure) ? Directive.Stop : Directive.Restart;
}
