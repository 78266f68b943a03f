using System.Collections.Immutable;
using System.Net;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster.Tools.Client;
using Akka.Configuration;
using Akka.Serialization;
using EtlActors.Contracts.Jobs;
using EtlActors.Contracts.Serialization;
using static EtlActors.Contracts.Jobs.JobProtocol;

namespace EtlActors.Client;

/// <summary>
/// Submits and follows jobs on an EtlActors cluster from another process. It talks to the nodes'
/// <c>/user/jobs</c> through a ClusterClient, so it needs no cluster membership and survives nodes
/// coming and going. Create one per process with <see cref="Connect"/>, and dispose it.
/// </summary>
public sealed class EtlClient : IAsyncDisposable
{
    private const string JobsPath = "/user/jobs";
    private readonly ActorSystem _system;
    private readonly IActorRef _client;
    private readonly EtlClientOptions _options;
    private readonly IReadOnlyList<ActorPath> _receptionists;
    private readonly object _gate = new();
    private Task? _reachable;

    private EtlClient(ActorSystem system, IActorRef client, EtlClientOptions options, IReadOnlyList<ActorPath> receptionists)
    {
        _system = system;
        _client = client;
        _options = options;
        _receptionists = receptionists;
    }

    /// <summary>Starts a client for the cluster at <see cref="EtlClientOptions.Contacts"/>; connecting happens with the first request.</summary>
    /// <exception cref="ArgumentException">No contact is given, or one is not <c>host:port</c>.</exception>
    public static EtlClient Connect(EtlClientOptions options)
    {
        var contacts = options.Contacts.Select(ContactPoint.Parse).ToList();
        if (contacts.Count == 0)
            throw new ArgumentException("no cluster contact point given: use host:port of a node");
        var loopback = contacts.All(c => c.IsLoopback);
        var hostname = options.Hostname ?? (loopback ? "127.0.0.1" : Dns.GetHostName());
        // Remoting's bind address and port have no setup API outside Akka.Hosting, so HOCON it is.
        var config = ConfigurationFactory.ParseString($$"""
            akka.remote.dot-netty.tcp {
              hostname = "{{(loopback ? "127.0.0.1" : "0.0.0.0")}}"
              public-hostname = "{{hostname}}"
              port = 0
              maximum-frame-size = 4 MiB
            }
            akka.cluster.client.reconnect-timeout = off
            akka.loglevel = ERROR
            akka.stdout-loglevel = ERROR
            """).WithFallback(ClusterClientReceptionist.DefaultConfig());
        var setup = BootstrapSetup.Create().WithConfig(config).WithActorRefProvider(ProviderSelection.Remote.Instance)
            .And(SerializationSetup.Create(system => [
                SerializerDetails.Create("etl-contracts", new ContractsSerializer(system), ContractsSerializer.BoundTypes.ToImmutableHashSet()),
            ]));
        var system = ActorSystem.Create("etl-client", setup);
        var receptionists = contacts.Select(c => ActorPath.Parse($"akka.tcp://etl@{c}/system/receptionist")).ToList();
        var client = system.ActorOf(ClusterClient.Props(ClusterClientSettings.Create(system).WithInitialContacts(receptionists.ToImmutableHashSet())), "cluster-client");
        return new EtlClient(system, client, options, receptionists);
    }

    /// <summary>
    /// Starts <paramref name="spec"/> as job <paramref name="jobId"/>, or resumes that job from its
    /// checkpoint when the id is known. An empty <see cref="JobSpec.Sink"/> takes the cluster's default sink.
    /// </summary>
    /// <returns>The acceptance, with the checkpoint the job resumes from.</returns>
    /// <exception cref="EtlClientException">No node answered within <see cref="EtlClientOptions.Timeout"/>.</exception>
    public Task<JobAccepted> SubmitAsync(JobId jobId, JobSpec spec, CancellationToken cancellationToken = default) =>
        AskAsync<JobAccepted>(new StartJob(jobId, spec), cancellationToken);

    /// <summary>The job's state as its supervisor reports it; <see cref="JobState.Pending"/> with no spec for an unknown id.</summary>
    /// <exception cref="EtlClientException">No node answered within <see cref="EtlClientOptions.Timeout"/>.</exception>
    public Task<JobStatus> GetAsync(JobId jobId, CancellationToken cancellationToken = default) =>
        AskAsync<JobStatus>(new GetJob(jobId), cancellationToken);

    /// <summary>Pauses a running job at a checkpoint; submitting it again resumes it.</summary>
    /// <exception cref="EtlClientException">No node answered within <see cref="EtlClientOptions.Timeout"/>.</exception>
    public Task<JobStatus> PauseAsync(JobId jobId, CancellationToken cancellationToken = default) =>
        AskAsync<JobStatus>(new PauseJob(jobId), cancellationToken);

    private async Task<T> AskAsync<T>(IWithJobId message, CancellationToken cancellationToken)
    {
        await EnsureReachableAsync(cancellationToken);
        try
        {
            return await _client.Ask<T>(new ClusterClient.Send(JobsPath, message), _options.Timeout, cancellationToken);
        }
        catch (AskTimeoutException ex)
        {
            throw new EtlClientException(
                $"the cluster at {Contacts} did not answer {message.GetType().Name} for job {message.JobId} within {_options.Timeout.TotalSeconds:0.#} s", ex);
        }
    }

    private string Contacts => string.Join(", ", _options.Contacts);

    /// <summary>
    /// A ClusterClient waits for a contact point for ever, so an unreachable cluster would only show as
    /// a request's timeout. Asking the receptionists to identify themselves tells the two apart, quickly.
    /// </summary>
    private Task EnsureReachableAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_reachable is null || _reachable.IsFaulted || _reachable.IsCanceled)
                _reachable = ProbeAsync(cancellationToken);
            return _reachable;
        }
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var probes = _receptionists.Select(async path =>
        {
            var identity = await _system.ActorSelection(path).Ask<ActorIdentity>(new Identify(path), _options.ConnectTimeout, cancellationToken);
            return identity.Subject is not null;
        }).ToList();
        while (probes.Count > 0)
        {
            var done = await Task.WhenAny(probes);
            probes.Remove(done);
            if (done.IsCompletedSuccessfully && done.Result)
                return;
        }
        cancellationToken.ThrowIfCancellationRequested();
        throw new EtlClientException(
            $"cannot reach the cluster at {Contacts} within {_options.ConnectTimeout.TotalSeconds:0.#} s (is a node running and reachable there?)");
    }

    /// <summary>Stops the client's actor system.</summary>
    public async ValueTask DisposeAsync() => await _system.Terminate();
}
