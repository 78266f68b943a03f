using EtlActors.Contracts;
using System.Collections.Immutable;
using System.Net;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster.Tools.Client;
using Akka.Configuration;
using Akka.Serialization;
using EtlActors.Contracts.Jobs;
using EtlActors.Contracts.Security;
using EtlActors.Contracts.Serialization;
using static EtlActors.Contracts.Jobs.JobProtocol;

namespace EtlActors.Client;

/// <summary>
/// Submits and follows jobs on an EtlActors cluster from another process. It talks to the nodes'
/// <c>/user/jobs</c> through a ClusterClient, so it needs no cluster membership and survives nodes
/// coming and going. Create one per process with <see cref="Connect"/>, and dispose it.
/// </summary>
/// <remarks>
/// Every request carries <see cref="EtlClientOptions.ApiKey"/>; any of them throws <see cref="EtlNotAllowedException"/> when
/// the key's role or tenants do not allow it (a viewer pausing, another tenant's job, a cluster command without admin),
/// or when a submit names a sink the cluster does not allow.
/// </remarks>
public sealed partial class EtlClient : IAsyncDisposable, IDisposable
{
    private readonly ActorSystem _system;
    private readonly IActorRef _client;
    private readonly EtlClientOptions _options;
    private readonly ContactProbe _probe;
    private readonly object _gate = new();
    private Task? _reachable;
    private volatile bool _disposed;

    private EtlClient(ActorSystem system, IActorRef client, EtlClientOptions options, ContactProbe probe)
    {
        _system = system;
        _client = client;
        _options = options;
        _probe = probe;
    }

    /// <summary>Starts a client for the cluster at <see cref="EtlClientOptions.Contacts"/>; connecting happens with the first request.</summary>
    /// <exception cref="ArgumentException">No contact is given, or one is not <c>host:port</c>; or TLS is on and the client's certificate or the CA's is not given or cannot be read.</exception>
    public static EtlClient Connect(EtlClientOptions options)
    {
        var contacts = options.Contacts.Select(ContactPoint.Parse).ToList();
        if (contacts.Count == 0)
            throw new ArgumentException("no cluster contact point given: use host:port of a node");
        var loopback = contacts.All(c => c.IsLoopback);
        var hostname = options.Hostname ?? (loopback ? "127.0.0.1" : Dns.GetHostName());
        var tls = ClientTls.Setup(options);
        // Remoting's bind address and port have no setup API outside Akka.Hosting, so HOCON it is. Akka logs nothing: its
        // standard-out logger would write into the host's stdout (a node leaving mid-command put an error line into
        // `etl cluster leave --json`); what goes wrong reaches the caller as an exception.
        var config = ConfigurationFactory.ParseString($$"""
            akka.remote.dot-netty.tcp {
              hostname = "{{(loopback ? "127.0.0.1" : "0.0.0.0")}}"
              public-hostname = "{{hostname}}"
              port = 0
              maximum-frame-size = 4 MiB
              enable-ssl = {{(tls is null ? "off" : "on")}}
            }
            akka.cluster.client.reconnect-timeout = off
            # A client whose receptionist was on a lost node answers nothing until it notices and moves to another
            # contact. Akka's 2 s heartbeat and 13 s pause made that 15 s, twice the cluster's own failover (docs/cluster.md);
            # a false alarm here costs only a reconnect to another receptionist.
            akka.cluster.client.heartbeat-interval = 1s
            akka.cluster.client.acceptable-heartbeat-pause = 3s
            akka.cluster.client.establishing-get-contacts-interval = 1s
            akka.loglevel = OFF
            akka.stdout-loglevel = OFF
            """).WithFallback(ClusterClientReceptionist.DefaultConfig());
        var setup = BootstrapSetup.Create().WithConfig(config).WithActorRefProvider(ProviderSelection.Remote.Instance)
            .And(SerializationSetup.Create(system => [
                SerializerDetails.Create("etl-contracts", new ContractsSerializer(system), ContractsSerializer.BoundTypes.ToImmutableHashSet()),
            ]));
        var system = ActorSystem.Create("etl-client", tls is null ? setup : setup.And(tls));
        var receptionists = contacts.Select(c => ActorPath.Parse(EtlActorSystem.ReceptionistPath(c.ToString(), tls is not null))).ToList();
        var client = system.ActorOf(ClusterClient.Props(ClusterClientSettings.Create(system).WithInitialContacts(receptionists.ToImmutableHashSet())), "cluster-client");
        return new EtlClient(system, client, options, new ContactProbe(system, options, contacts, tls is not null));
    }

    /// <summary>
    /// Starts <paramref name="spec"/> as job <paramref name="jobId"/>, or resumes that job from its
    /// checkpoint when the id is known. An empty <see cref="JobSpec.Sink"/> takes the cluster's default sink.
    /// </summary>
    /// <returns>The acceptance: the checkpoint the job resumes from, and whether it runs or waits (Pending) behind its tenant's other jobs.</returns>
    /// <exception cref="EtlJobRejectedException">The node refuses the source: it lies outside its sources root (the reason names the path and the root).</exception>
    /// <exception cref="EtlClientException">The cluster is unreachable, or did not answer within <see cref="EtlClientOptions.Timeout"/>.</exception>
    public Task<JobAccepted> SubmitAsync(JobId jobId, JobSpec spec, CancellationToken cancellationToken = default) =>
        CommandAsync<JobAccepted>(new StartJob(jobId, spec), cancellationToken);

    /// <summary>
    /// Submits <paramref name="spec"/> under its default id (<see cref="JobId.DefaultFor"/>): the same
    /// spec submitted again resumes the same job.
    /// </summary>
    /// <inheritdoc cref="SubmitAsync(JobId, JobSpec, CancellationToken)"/>
    public Task<JobAccepted> SubmitAsync(JobSpec spec, CancellationToken cancellationToken = default) =>
        SubmitAsync(JobId.DefaultFor(spec), spec, cancellationToken);

    /// <summary>The job's state as its supervisor reports it; <see cref="JobStatus.Exists"/> is false for an id never submitted.</summary>
    /// <exception cref="EtlClientException">The cluster is unreachable, or did not answer within <see cref="EtlClientOptions.Timeout"/>.</exception>
    public Task<JobStatus> GetAsync(JobId jobId, CancellationToken cancellationToken = default) =>
        AskJobAsync<JobStatus>(new GetJob(jobId), cancellationToken);

    /// <summary>The cluster's jobs, newest first, optionally only those in one state or of one tenant.</summary>
    /// <exception cref="EtlClientException">The cluster is unreachable, or did not answer within <see cref="EtlClientOptions.Timeout"/>.</exception>
    public async Task<IReadOnlyList<JobStatus>> ListAsync(JobFilter? filter = null, CancellationToken cancellationToken = default)
    {
        if (filter?.TenantId is { } tenant)
            TenantIds.Validate(tenant);
        var list = await AskAsync<JobList>(EtlActorSystem.JobsPath, new ListJobs(filter?.State, filter?.TenantId), "ListJobs", cancellationToken);
        return list.Jobs;
    }

    /// <summary>Pauses a running or pending job at a checkpoint; <see cref="ResumeAsync"/> runs it again from there.</summary>
    /// <returns>The job's status once paused.</returns>
    /// <exception cref="EtlJobRejectedException">The job has ended or was never submitted.</exception>
    /// <exception cref="EtlClientException">The cluster is unreachable, or did not answer within <see cref="EtlClientOptions.Timeout"/>.</exception>
    public Task<JobStatus> PauseAsync(JobId jobId, CancellationToken cancellationToken = default) =>
        CommandAsync<JobStatus>(new PauseJob(jobId), cancellationToken);

    /// <summary>Runs a paused or failed job again from its checkpoint; it may wait as Pending behind its tenant's other jobs.</summary>
    /// <returns>The job's status after the decision (Running or Pending).</returns>
    /// <exception cref="EtlJobRejectedException">The job completed, was cancelled, or was never submitted, or the node refuses its source (outside its sources root).</exception>
    /// <exception cref="EtlClientException">The cluster is unreachable, or did not answer within <see cref="EtlClientOptions.Timeout"/>.</exception>
    public Task<JobStatus> ResumeAsync(JobId jobId, CancellationToken cancellationToken = default) =>
        CommandAsync<JobStatus>(new ResumeJob(jobId), cancellationToken);

    /// <summary>Stops a job for good; rows already loaded stay.</summary>
    /// <returns>The job's status once cancelled.</returns>
    /// <exception cref="EtlJobRejectedException">The job completed, was already cancelled, or was never submitted.</exception>
    /// <exception cref="EtlClientException">The cluster is unreachable, or did not answer within <see cref="EtlClientOptions.Timeout"/>.</exception>
    public Task<JobStatus> CancelAsync(JobId jobId, CancellationToken cancellationToken = default) =>
        CommandAsync<JobStatus>(new CancelJob(jobId), cancellationToken);

    /// <summary>
    /// Follows a job: yields its progress every <see cref="EtlClientOptions.WatchInterval"/> while it
    /// changes, and ends after yielding a final state (Completed, Failed, Cancelled or Paused). It polls
    /// rather than subscribes, so it keeps following a job whose supervisor moves to another node;
    /// a request that times out while the cluster fails over is tried again, up to three times in a row.
    /// </summary>
    /// <exception cref="EtlJobRejectedException">No job has this id.</exception>
    /// <exception cref="EtlClientException">The cluster is unreachable, or stopped answering.</exception>
    public async IAsyncEnumerable<JobProgress> WatchAsync(JobId jobId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        JobStatus? last = null;
        var timeouts = 0;
        while (true)
        {
            JobStatus status;
            try
            {
                status = await GetAsync(jobId, cancellationToken);
                timeouts = 0;
            }
            catch (EtlClientTimeoutException) when (++timeouts < 3)
            {
                continue;
            }
            if (!status.Exists)
                throw new EtlJobRejectedException(new JobRejected(jobId, status.State, $"no job '{jobId}' in this cluster"));
            if (last is null || Changed(last, status))
                yield return JobProgress.Of(status);
            if (status.IsFinished)
                yield break;
            last = status;
            await Task.Delay(_options.WatchInterval, cancellationToken);
        }
    }

    private static bool Changed(JobStatus before, JobStatus now) =>
        before.State != now.State || before.Processed != now.Processed || before.Quarantined != now.Quarantined
        || before.Node != now.Node || before.Error != now.Error;

    private async Task<T> CommandAsync<T>(IWithJobId command, CancellationToken cancellationToken) =>
        await AskJobAsync<object>(command, cancellationToken) switch
        {
            T answer => answer,
            JobRejected rejected => throw new EtlJobRejectedException(rejected),
            var other => throw new EtlClientException($"unexpected answer {other.GetType().Name} to {command.GetType().Name} for job {command.JobId}"),
        };

    private Task<T> AskJobAsync<T>(IWithJobId message, CancellationToken cancellationToken) =>
        AskAsync<T>(EtlActorSystem.JobsPath, message, $"{message.GetType().Name} for job {message.JobId}", cancellationToken);

    /// <summary>
    /// Sends <paramref name="message"/> to the actor registered at <paramref name="path"/> and awaits its
    /// answer. Local affinity: the node the client is connected to answers, rather than the receptionist
    /// picking any node's actor, an unreachable one included, which would time out while a node is lost.
    /// </summary>
    private async Task<T> AskAsync<T>(string path, object message, string what, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await EnsureReachableAsync(cancellationToken);
        try
        {
            var key = ClientCredentials.ApiKey(_options);
            var answer = await _client.Ask<object>(
                new ClusterClient.Send(path, key is null ? message : new SecurityProtocol.Authenticated(key, message), localAffinity: true),
                _options.Timeout, cancellationToken);
            return answer switch
            {
                SecurityProtocol.NotAllowed refused => throw new EtlNotAllowedException(refused),
                T expected => expected,
                _ => throw new EtlClientException($"unexpected answer {answer.GetType().Name} to {what}"),
            };
        }
        catch (AskTimeoutException ex)
        {
            throw new EtlClientTimeoutException(
                $"the cluster at {Contacts} did not answer {what} within {_options.Timeout.TotalSeconds:0.#} s", ex);
        }
    }

    private string Contacts => string.Join(", ", _options.Contacts);

    private Task EnsureReachableAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_reachable is null || _reachable.IsFaulted || _reachable.IsCanceled)
                _reachable = _probe.RunAsync(cancellationToken);
            return _reachable;
        }
    }

    /// <summary>Stops the client's actor system; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _system.Terminate();
    }

    /// <summary>Stops the client's actor system, blocking until it has (for containers that dispose synchronously).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
