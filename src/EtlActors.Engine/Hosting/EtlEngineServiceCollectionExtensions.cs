using Akka.Hosting;
using EtlActors.Contracts;
using EtlActors.Engine.Logging;
using EtlActors.Pipeline.Connectors;
using Microsoft.Extensions.DependencyInjection;

namespace EtlActors.Engine;

/// <summary>The one way a host starts the engine: the node, <c>etl run</c> and the engine's tests all come through here.</summary>
public static class EtlEngineServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine's actor system (<see cref="EtlActorSystem.Name"/>) to a Generic Host, its logs going
    /// through the host's logging at <paramref name="logLevel"/> and above (a client's disconnect at Debug, see
    /// <see cref="EngineLogger"/>).
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="options">Validated settings (see <see cref="EtlEngineOptions.From"/>).</param>
    /// <param name="logLevel">
    /// The least level of the engine's own log lines; when the host registers an <see cref="ILogLevelSwitch"/>, its level
    /// wins, and <c>etl cluster log-level</c> moves both.
    /// </param>
    /// <param name="connectors">Source kinds jobs may name; the built-in ones when null.</param>
    /// <param name="configure">What the host adds to the actor system (start-up hooks, HOCON of its own).</param>
    /// <param name="topology">A cluster's node (the default), or one process that runs its own jobs (<c>etl run</c>).</param>
    public static IServiceCollection AddEtlEngine(
        this IServiceCollection services,
        EtlEngineOptions options,
        Akka.Event.LogLevel logLevel,
        SourceConnectors? connectors = null,
        Action<AkkaConfigurationBuilder>? configure = null,
        EngineTopology topology = EngineTopology.Cluster) =>
        services.AddAkka(EtlActorSystem.Name, (akka, provider) =>
        {
            akka.ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = provider.GetService<ILogLevelSwitch>()?.Level.ToAkka() ?? logLevel;
                loggers.ClearLoggers();
                loggers.AddLogger<EngineLogger>();
            });
            if (topology == EngineTopology.SingleProcess)
                akka.WithSingleProcessEtlEngine(options, connectors);
            else
                akka.WithEtlEngine(options, connectors);
            configure?.Invoke(akka);
        });
}

/// <summary>How the engine is hosted.</summary>
public enum EngineTopology
{
    /// <summary>A node of a cluster (of one when it has no seed nodes): sharded jobs, reachable by clients.</summary>
    Cluster,

    /// <summary>One process that runs its own jobs, with no remoting or cluster (<c>etl run</c>).</summary>
    SingleProcess,
}
