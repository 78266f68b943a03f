using Akka.Actor;
using Akka.Pattern;
using EtlActors.Contracts.Jobs;

namespace EtlActors.Engine.Jobs;

/// <summary>
/// Entry point for job messages: routes each to the supervisor of its job id, creating it on first
/// use. Each supervisor sits under a BackoffSupervisor, because a persistent actor stops when its
/// journal fails, and must come back (recovering from its events) after a growing pause.
/// </summary>
public sealed class JobManager : ReceiveActor
{
    public JobManager(IActorRef transformers, EtlEngineOptions options)
    {
        Receive<IWithJobId>(message =>
        {
            var name = $"job-{message.JobId.Value}";
            var child = Context.Child(name);
            if (child.IsNobody())
                child = Context.ActorOf(BackoffSupervisor.Props(
                    JobSupervisor.Props(message.JobId, transformers, options),
                    "supervisor",
                    options.RestartMinBackoff,
                    options.RestartMaxBackoff,
                    randomFactor: 0.2), name);
            child.Forward(message);
        });
    }

    public static Props Props(IActorRef transformers, EtlEngineOptions options) =>
        Akka.Actor.Props.Create(() => new JobManager(transformers, options));
}
