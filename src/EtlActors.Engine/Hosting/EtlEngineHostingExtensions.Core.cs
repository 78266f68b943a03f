using Akka.Actor;
using Akka.Hosting;
using EtlActors.Contracts.Serialization;
using EtlActors.Engine.Jobs;
using EtlActors.Engine.Memory;
using EtlActors.Engine.Registry;
using EtlActors.Engine.Serialization;
using EtlActors.Pipeline.Load;

namespace EtlActors.Engine;

/// <summary>What an engine has whether it is a cluster's node or a single process: journal, serializers, memory guard, job desk.</summary>
public static partial class EtlEngineHostingExtensions
{
    // Often enough that a batch's worth of growth is seen before it doubles; a sample costs a read of /proc.
    private static readonly TimeSpan MemoryGuardInterval = TimeSpan.FromMilliseconds(250);

    private static AkkaConfigurationBuilder WithEngineCore(this AkkaConfigurationBuilder builder, EtlEngineOptions options, MemoryGuard memory) =>
        builder
        .WithEtlPersistence(DatabaseAddress.Parse(options.Journal))
        .WithCustomSerializer("etl", EtlSerializer.BoundTypes, system => new EtlSerializer(system))
        .WithCustomSerializer("etl-contracts", ContractsSerializer.BoundTypes, system => new ContractsSerializer(system))
        .AddStartup((system, _) =>
        {
            memory.Start(Akka.Event.Logging.GetLogger(system, typeof(MemoryGuard)), MemoryGuardInterval);
            system.WhenTerminated.ContinueWith(_ => memory.Dispose(), TaskScheduler.Default);
        });

    /// <summary>Starts the <see cref="JobManager"/> over the job region and registry already registered, and registers it.</summary>
    private static IActorRef StartJobManager(ActorSystem system, IActorRegistry registry, EtlEngineOptions options)
    {
        var jobs = system.ActorOf(JobManager.Props(registry.Get<JobRegion>(), registry.Get<JobRegistry>(), options), JobManager.Name);
        registry.Register<JobManager>(jobs);
        return jobs;
    }
}
