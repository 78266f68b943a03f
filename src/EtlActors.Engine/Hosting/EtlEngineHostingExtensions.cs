using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Akka.Remote.Hosting;
using EtlActors.Engine.Jobs;
using EtlActors.Engine.Serialization;
using EtlActors.Engine.Transform;

namespace EtlActors.Engine;

public static class EtlEngineHostingExtensions
{
    /// <summary>The actor system's name; every node of a cluster must use it.</summary>
    public const string SystemName = "etl";

    /// <summary>
    /// Adds the engine: SQL journal, serializer bindings, remoting and cluster, the sharded
    /// transformers, and the JobManager (registered as <see cref="JobManager"/>).
    /// </summary>
    public static AkkaConfigurationBuilder WithEtlEngine(this AkkaConfigurationBuilder builder, EtlEngineOptions options) => builder
        .AddHocon(PersistenceConfig.For(options.Journal), HoconAddMode.Prepend)
        .WithCustomSerializer("etl", EtlSerializer.BoundTypes, system => new EtlSerializer(system))
        .WithRemoting(options.Hostname, options.Port, options.PublicHostname)
        .WithClustering(new ClusterOptions { SeedNodes = options.SeedNodes.ToArray() })
        .WithShardRegion<TransformerRegion>(
            "transformers",
            _ => ConversationTransformer.Props(),
            new TransformerMessageExtractor(),
            new ShardOptions { PassivateIdleEntityAfter = options.TransformerIdleTimeout })
        .WithActors((system, registry) =>
            registry.Register<JobManager>(system.ActorOf(JobManager.Props(registry.Get<TransformerRegion>(), options), "jobs")))
        .AddStartup((system, _) =>
        {
            // Embedded mode: no seeds, so the node forms a cluster of its own.
            if (options.SeedNodes.Count == 0)
            {
                var cluster = Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            }
        });
}
