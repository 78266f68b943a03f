using Akka;
using Akka.Actor;
using Akka.Hosting;
using EtlActors.Contracts.Jobs;
using EtlActors.Engine.Jobs;
using EtlActors.Engine.Memory;
using EtlActors.Engine.RateLimits;
using EtlActors.Engine.Registry;
using EtlActors.Engine.SingleProcess;
using EtlActors.Engine.Transform;
using EtlActors.Pipeline.Connectors;

namespace EtlActors.Engine;

public static partial class EtlEngineHostingExtensions
{
    // As long as a shard region gives its entities to hand over when the node stops (Akka's phase default).
    private static readonly TimeSpan HandOffTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Adds the engine for one process that runs its own jobs (<c>etl run</c>): the same journal, job supervisors,
    /// transformers, job registry and request budget as a node's, with no remoting, cluster or sharding. Each region
    /// is a <see cref="LocalEntities"/>, and the registry and budget are plain actors. A job resumes from its
    /// checkpoint when it is started again on the same journal, as on a node. Clients cannot reach it.
    /// </summary>
    /// <param name="builder">The host's Akka configuration.</param>
    /// <param name="options">The engine's settings; those of remoting, the cluster and access are not used.</param>
    /// <param name="connectors">The source kinds jobs may name; <see cref="SourceConnectors.Builtin"/> when null.</param>
    public static AkkaConfigurationBuilder WithSingleProcessEtlEngine(this AkkaConfigurationBuilder builder, EtlEngineOptions options, SourceConnectors? connectors = null)
    {
        connectors ??= SourceConnectors.Builtin();
        var memory = new MemoryGuard(MemoryLimits.Resolve(options.MemoryLimitMiB));
        return builder
        .WithEngineCore(options, memory)
        .WithActors((system, registry, _) =>
        {
            var transformers = system.ActorOf(LocalEntities.Props(
                _ => ConversationTransformer.Props(connectors), new TransformerMessageExtractor(), PoisonPill.Instance,
                options.SupervisorRestartBackoff, options.TransformerIdleTimeout), "transformers");
            registry.Register<TransformerRegion>(transformers);
            var budget = system.ActorOf(RequestBudgetCoordinator.Props(RequestBudgetSettings.From(options)), RequestBudgetCoordinator.Name);
            registry.Register<RequestBudgetCoordinator>(budget);

            // The registry needs the job region and the supervisors need the registry: a supervisor starts with the
            // first message to its job, after both exist.
            JobSupervisorSetup? setup = null;
            var jobs = system.ActorOf(LocalEntities.Props(
                id => JobSupervisor.Props(new JobId(id), setup!), new JobMessageExtractor(), JobSupervisor.HandOff.Instance,
                options.SupervisorRestartBackoff), "jobs");
            registry.Register<JobRegion>(jobs);
            var jobRegistry = system.ActorOf(JobRegistry.Props(jobs, options.MaxConcurrentJobsPerTenant, options.RegistryReconcileInterval, mediator: null), JobRegistry.Name);
            registry.Register<JobRegistry>(jobRegistry);
            setup = new JobSupervisorSetup(transformers, jobRegistry, options, connectors, Environment.MachineName)
            {
                Gate = new ClusterRequestGate(budget, options.RequestRetryInterval),
                Memory = memory,
            };
            StartJobManager(system, registry, options);

            // As a node's shard region does when it stops: a job still running checkpoints what it has loaded.
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseClusterShardingShutdownRegion, "hand-off-jobs",
                () => jobs.Ask<Done>(LocalEntities.HandOffAll.Instance, HandOffTimeout));
        });
    }
}
