using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.Client;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Hosting;
using Akka.Remote.Hosting;
using EtlActors.Contracts.Jobs;
using EtlActors.Contracts.Serialization;
using EtlActors.Engine.Admin;
using EtlActors.Engine.Jobs;
using EtlActors.Engine.Memory;
using EtlActors.Engine.RateLimits;
using EtlActors.Engine.Registry;
using EtlActors.Engine.Security;
using EtlActors.Engine.Serialization;
using EtlActors.Engine.Telemetry;
using EtlActors.Engine.Transform;
using EtlActors.Pipeline.Connectors;
using EtlActors.Pipeline.Load;

namespace EtlActors.Engine;

public static partial class EtlEngineHostingExtensions
{
    /// <summary>
    /// Adds the engine: SQL journal, serializer bindings, remoting and cluster (keep-majority
    /// split-brain resolver), the sharded job supervisors (remember-entities, so a lost node's jobs
    /// restart elsewhere) and transformers, the job registry singleton (job list, per-tenant limits), the request-budget
    /// singleton (each HTTP host's request budget, shared by every job), and the JobManager at <c>/user/jobs</c>, registered
    /// in the ActorRegistry and with the ClusterClientReceptionist for the CLI and EtlClient.
    /// </summary>
    /// <param name="builder">The host's Akka configuration.</param>
    /// <param name="options">The engine's settings.</param>
    /// <param name="connectors">The source kinds jobs may name; <see cref="SourceConnectors.Builtin"/> when null.</param>
    public static AkkaConfigurationBuilder WithEtlEngine(this AkkaConfigurationBuilder builder, EtlEngineOptions options, SourceConnectors? connectors = null)
    {
        connectors ??= SourceConnectors.Builtin();
        var ssl = EtlRemoteTls.Ssl(options.Tls);
        var memory = new MemoryGuard(MemoryLimits.Resolve(options.MemoryLimitMiB));
        return builder
        .WithEngineCore(options, memory)
        // No builder option exists for the resolver's timing nor for sharding's entity restarts. The
        // singleton proxy's identification check fires at once when it starts (its timer has no initial
        // delay in 1.5.73), so every node (and the engine's tests) would warn that the job registry was not
        // found "after 30 seconds" a moment before finding it. The registry publishes every status it records
        // (JobRegistry.StatusTopic); where no dashboard listens (a node without one) that is not worth a dead letter.
        // Failover (README, "Failover"): after the resolver downs a node, its removal waits for a leader tick
        // and for the survivors to see each other's gossip, and a moved shard coordinator for the regions' next
        // registration try. Akka's 1 s and 2 s ticks suit large clusters; here they were 2-4 s of a job's
        // failover (bench/README.md), and a tick costs a few messages among a handful of nodes. Gossip every 250 ms
        // also brings the second survivor's unreachable mark to the resolver sooner, which restarts its stable-after.
        .AddHocon($"""
            akka.cluster.split-brain-resolver.stable-after = {(int)options.SplitBrainStableAfter.TotalMilliseconds}ms
            akka.cluster.down-removal-margin = {(int)options.DownRemovalMargin.TotalMilliseconds}ms
            akka.cluster.failure-detector.heartbeat-interval = {(int)options.HeartbeatInterval.TotalMilliseconds}ms
            akka.cluster.unreachable-nodes-reaper-interval = 250ms
            akka.cluster.leader-actions-interval = 250ms
            akka.cluster.gossip-interval = 250ms
            akka.cluster.sharding.retry-interval = 500ms
            # A moved shard restarts its remembered jobs 10 at a time, every 100 ms, not all at once: each one
            # recovers from the journal and opens its sink, and hundreds at once stall the node (issue 17).
            akka.cluster.sharding.entity-recovery-strategy = constant
            akka.cluster.sharding.entity-recovery-constant-rate-strategy.frequency = 100ms
            akka.cluster.sharding.entity-recovery-constant-rate-strategy.number-of-entities = 10
            akka.cluster.sharding.entity-restart-backoff = {(int)options.SupervisorRestartBackoff.TotalMilliseconds}ms
            akka.cluster.singleton-proxy.log-singleton-identification-failure = off
            akka.cluster.pub-sub.send-to-dead-letters-when-no-subscribers = off
            """, HoconAddMode.Prepend)
        .WithRemoting(new RemoteOptions
        {
            HostName = options.Hostname,
            Port = options.Port,
            PublicHostName = options.PublicHostname,
            MaxFrameSize = options.MaxFrameSize,
            SendBufferSize = options.MaxFrameSize,
            ReceiveBufferSize = options.MaxFrameSize,
            EnableSsl = ssl is not null,
            Ssl = ssl ?? new SslOptions(),
        })
        .WithClustering(new ClusterOptions
        {
            SeedNodes = EtlRemoteTls.SeedNodes(options.SeedNodes, tls: ssl is not null),
            Roles = options.Roles.ToArray(),
            SplitBrainResolver = new KeepMajorityOption(),
            FailureDetector = new PhiAccrualFailureDetectorOptions { AcceptableHeartbeatPause = options.HeartbeatPause },
            // Akka's default is the entry assembly's four-part AssemblyVersion (1.0.0.0 for every build); the
            // informational version is the one that changes per release, so a rolling upgrade shows in `etl cluster show`.
            AppVersion = options.AnnouncedVersion,
        })
        .WithShardRegion<TransformerRegion>(
            "transformers",
            _ => ConversationTransformer.Props(connectors),
            new TransformerMessageExtractor(),
            new ShardOptions { PassivateIdleEntityAfter = options.TransformerIdleTimeout })
        .WithShardRegion<JobRegion>(
            "jobs",
            (system, registry, _) =>
            {
                var self = Cluster.Get(system).SelfAddress;
                // The registry singleton is registered after this region: look it up when a job starts, and
                // again for the next job if it was not there yet (a Lazy would keep that failure for ever).
                JobSupervisorSetup? setup = null;
                return entityId => JobSupervisor.Props(new JobId(entityId), setup ??= new JobSupervisorSetup(
                    registry.Get<TransformerRegion>(), registry.Get<JobRegistry>(), options, connectors, $"{self.Host}:{self.Port}")
                {
                    Gate = new ClusterRequestGate(registry.Get<RequestBudgetCoordinator>(), options.RequestRetryInterval),
                    Memory = memory,
                });
            },
            new JobMessageExtractor(),
            new ShardOptions
            {
                RememberEntities = true,
                // The coordinator's state and the remembered jobs live in the SQL journal, so they
                // survive the loss of any node (and of the whole cluster). DData's durable store
                // needs LightningDB, which does not work here.
                StateStoreMode = StateStoreMode.Persistence,
                RememberEntitiesStore = RememberEntitiesStore.Eventsourced,
                JournalPluginId = EtlPersistence.JournalPluginId,
                SnapshotPluginId = EtlPersistence.SnapshotPluginId,
                HandOffStopMessage = JobSupervisor.HandOff.Instance,
            })
        .WithSingleton<JobRegistry>(
            JobRegistry.Name,
            (system, registry, _) => JobRegistry.Props(
                registry.Get<JobRegion>(), options.MaxConcurrentJobsPerTenant, options.RegistryReconcileInterval, DistributedPubSub.Get(system).Mediator))
        // In memory only: a moved coordinator starts empty and HTTP readers ask it again (see RequestBudgetState).
        .WithSingleton<RequestBudgetCoordinator>(
            RequestBudgetCoordinator.Name,
            (_, _, _) => RequestBudgetCoordinator.Props(RequestBudgetSettings.From(options)))
        .WithClusterClientReceptionist()
        .WithActors((system, registry, resolver) =>
        {
            system.ActorOf(TransformerNodeLossWatcher.Props(), TransformerNodeLossWatcher.Name);
            // A cluster of one (the engine's tests) recovers its coordinators at once anyway: a warm-up would only compete.
            if (options.SeedNodes.Count > 0)
                system.ActorOf(PersistenceWarmup.Props(), PersistenceWarmup.Name);
            var jobs = StartJobManager(system, registry, options);
            // Clients reach the engine only through these two, which check who is asking.
            var policy = AccessPolicy.From(options);
            ClusterClientReceptionist.Get(system).RegisterService(system.ActorOf(JobGate.Props(jobs, policy, options.AskTimeout), JobGate.Name));
            var admin = system.ActorOf(ClusterAdmin.Props(new Dictionary<string, IActorRef>
            {
                ["jobs"] = registry.Get<JobRegion>(),
                ["transformers"] = registry.Get<TransformerRegion>(),
            }, policy, resolver.GetService<ILogLevelSwitch>()), ClusterAdmin.Name);
            ClusterClientReceptionist.Get(system).RegisterService(admin);
        })
        .AddStartup((system, _) =>
        {
            EngineMetrics.Observe(Cluster.Get(system), memory);
            // No seeds: the node forms a cluster of its own.
            if (options.SeedNodes.Count == 0)
            {
                var cluster = Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            }
        });
    }
}
