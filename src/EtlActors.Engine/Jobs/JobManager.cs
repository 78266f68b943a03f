using EtlActors.Contracts;
using Akka.Actor;
using EtlActors.Contracts.Jobs;
using EtlActors.Pipeline.Load;

namespace EtlActors.Engine.Jobs;

/// <summary>
/// The engine's job desk at <c>/user/job-manager</c> on every node. Embedded callers reach it through the
/// ActorRegistry; clients (the CLI, EtlClient) only through the <see cref="Security.JobGate"/> at <c>/user/jobs</c>, which
/// checks who is asking. It hands each message to the "jobs" shard region, which runs the job's supervisor on whichever
/// node owns its shard, and a listing to the job registry singleton (in <c>etl run</c>'s engine of one process, to their
/// local stand-ins).
/// </summary>
public sealed class JobManager : ReceiveActor
{
    public const string Name = "job-manager";

    public JobManager(IActorRef jobRegion, IActorRef jobRegistry, EtlEngineOptions options)
    {
        // A job submitted without a sink loads into the cluster's default one; the address kept in
        // the job's events never holds a password.
        var defaultSink = options.DefaultSinkDescription;
        Receive<JobProtocol.StartJob>(start => string.IsNullOrWhiteSpace(start.Spec.Sink), start =>
            jobRegion.Forward(start with { Spec = start.Spec with { Sink = defaultSink } }));
        Receive<IWithJobId>(message => jobRegion.Forward(message));
        Receive<JobProtocol.ListJobs>(list => jobRegistry.Forward(list));
    }

    public static Props Props(IActorRef jobRegion, IActorRef jobRegistry, EtlEngineOptions options) =>
        Akka.Actor.Props.Create(() => new JobManager(jobRegion, jobRegistry, options));
}
