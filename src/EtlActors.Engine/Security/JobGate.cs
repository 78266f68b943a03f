using Akka.Actor;
using Akka.Event;
using EtlActors.Contracts;
using EtlActors.Contracts.Jobs;
using EtlActors.Contracts.Security;
using EtlActors.Engine.Logging;
using static EtlActors.Contracts.Jobs.JobProtocol;

namespace EtlActors.Engine.Security;

/// <summary>
/// The clients' door to jobs at <c>/user/jobs</c> (registered with the ClusterClientReceptionist): it admits a command
/// only for a principal whose role and tenants allow it, and a submit only to a sink the cluster allows, then passes it
/// to the <see cref="Jobs.JobManager"/>. A refusal is answered with <see cref="SecurityProtocol.NotAllowed"/> and logged.
/// </summary>
public sealed class JobGate : ReceiveActor
{
    public const string Name = EtlActorSystem.JobsActor;

    public JobGate(IActorRef jobManager, AccessPolicy policy, TimeSpan lookupTimeout)
    {
        var log = Context.GetLogger();
        ReceiveAny(message =>
        {
            var caller = Sender;
            var (principal, command, refusal) = policy.Admit(message);
            refusal ??= principal is null ? null : AccessPolicy.RoleRefusal(principal, command);
            if (refusal is null && command is StartJob start)
                refusal = policy.SinkRefusal(start.Spec.Sink);
            if (refusal is not null || principal is null)
            {
                Refuse(log, caller, principal, command, refusal!);
                return;
            }
            switch (command)
            {
                case ListJobs list when !principal.AllTenants:
                    if (AccessPolicy.ListRefusal(principal, list.TenantId) is { } listRefusal)
                        Refuse(log, caller, principal, command, listRefusal);
                    else
                        _ = ListOwnAsync(jobManager, principal, list, caller, lookupTimeout, log);
                    break;
                case IWithJobId job when !principal.AllTenants:
                    // The job's tenant is in its supervisor's state, not in the command: ask for it first.
                    _ = CheckTenantAsync(jobManager, principal, job, caller, lookupTimeout, log);
                    break;
                default:
                    Pass(log, jobManager, principal, command, caller);
                    break;
            }
        });
    }

    public static Props Props(IActorRef jobManager, AccessPolicy policy, TimeSpan lookupTimeout) =>
        Akka.Actor.Props.Create(() => new JobGate(jobManager, policy, lookupTimeout));

    // The continuations below reply and pass on without touching the actor, so the gate takes the next command while a
    // lookup waits, and no message a client could forge steers a decision.
    private static async Task CheckTenantAsync(IActorRef jobManager, Principal principal, IWithJobId command, IActorRef caller, TimeSpan timeout, ILoggingAdapter log)
    {
        JobStatus status;
        try
        {
            status = await jobManager.Ask<JobStatus>(new GetJob(command.JobId), timeout);
        }
        catch (Exception ex)
        {
            // No answer means no decision: the caller's own timeout says the cluster did not answer.
            log.Warning("job gate: could not look up job {0} for {1}: {2}", command.JobId, principal.Name, ex.Message);
            return;
        }
        var refusal = status.Spec is { } spec ? AccessPolicy.TenantRefusal(principal, command.JobId, spec.TenantId) : null;
        if (refusal is null && command is StartJob start && !principal.Sees(start.Spec.TenantId))
            refusal = $"not allowed: tenant '{start.Spec.TenantId}' is not one of {principal}'s";
        var tenant = status.Spec?.TenantId;
        if (refusal is not null)
            Refuse(log, caller, principal, command, refusal, tenant);
        else if (command is GetJob)
            caller.Tell(status);
        else
            Pass(log, jobManager, principal, command, caller, tenant);
    }

    private static async Task ListOwnAsync(IActorRef jobManager, Principal principal, ListJobs list, IActorRef caller, TimeSpan timeout, ILoggingAdapter log)
    {
        try
        {
            var all = await jobManager.Ask<JobList>(list, timeout);
            caller.Tell(new JobList(all.Jobs.Where(j => j.Spec is { } spec && principal.Sees(spec.TenantId)).ToList()));
        }
        catch (Exception ex)
        {
            log.Warning("job gate: could not list jobs for {0}: {1}", principal.Name, ex.Message);
        }
    }

    private static void Pass(ILoggingAdapter log, IActorRef jobManager, Principal principal, object command, IActorRef caller, string? tenantId = null)
    {
        if (AccessPolicy.Changes(command))
            About(log, command, tenantId).Info("job gate: {0} by {1}", Describe(command), principal);
        jobManager.Tell(command, caller);
    }

    private static void Refuse(ILoggingAdapter log, IActorRef caller, Principal? principal, object command, string reason, string? tenantId = null)
    {
        About(log, command, tenantId).Warning("job gate: refused {0} from {1}: {2}", Describe(command), principal?.ToString() ?? "a caller without a valid key", reason);
        caller.Tell(new SecurityProtocol.NotAllowed(reason));
    }

    /// <summary>A line about a job carries its id, and its tenant when the gate knows it (a submit names it; a lookup finds it).</summary>
    private static ILoggingAdapter About(ILoggingAdapter log, object command, string? tenantId) => command is IWithJobId job
        ? log.ForJob(job.JobId, tenantId ?? (command as StartJob)?.Spec.TenantId)
        : log;

    private static string Describe(object command) => command is IWithJobId job
        ? $"{command.GetType().Name} of job {job.JobId}"
        : command.GetType().Name;
}
