using Akka.Actor;
using EtlActors.Contracts;
using EtlActors.Contracts.Jobs;
using EtlActors.Contracts.Security;
using EtlActors.Dashboard.Access;

namespace EtlActors.Dashboard.Api;

/// <summary>
/// The dashboard's way to jobs: the node's own job gate (<c>/user/jobs</c>), the door the CLI and EtlClient come
/// through, with the user's API key on every command. So the dashboard decides nothing about who may see or do what:
/// the gate does, exactly as for a client, and logs each action with the principal.
/// </summary>
internal sealed class JobDesk(ActorSystem system)
{
    /// <summary>A page waits this long at most; a node losing a member answers well within it.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly ActorSelection _gate = system.ActorSelection(EtlActorSystem.JobsPath);

    /// <summary>What the gate answered: a <see cref="JobStatus"/>, <see cref="JobProtocol.JobList"/>, <see cref="JobProtocol.JobRejected"/> or <see cref="SecurityProtocol.NotAllowed"/>.</summary>
    public Task<object> AskAsync(DashboardUser user, object command, CancellationToken cancellationToken) =>
        _gate.Ask<object>(user.ApiKey is { } key ? new SecurityProtocol.Authenticated(key, command) : command, Timeout, cancellationToken);
}
