using Akka.Hosting;
using EtlActors.Contracts;
using EtlActors.Pipeline.Connectors;
using Microsoft.Extensions.DependencyInjection;

namespace EtlActors.Engine;

/// <summary>The one way a host starts the engine: the node, <c>etl run</c> and the engine's tests all come through here.</summary>
public static class EtlEngineServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine's actor system (<see cref="EtlActorSystem.Name"/>) to a Generic Host, its logs going
    /// through the host's logging at <paramref name="logLevel"/> and above.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="options">Validated settings (see <see cref="EtlEngineOptions.From"/>).</param>
    /// <param name="logLevel">The least level of the engine's own log lines.</param>
    /// <param name="connectors">Source kinds jobs may name; the built-in ones when null.</param>
    /// <param name="configure">What the host adds to the actor system (start-up hooks, HOCON of its own).</param>
    public static IServiceCollection AddEtlEngine(
        this IServiceCollection services,
        EtlEngineOptions options,
        Akka.Event.LogLevel logLevel,
        SourceConnectors? connectors = null,
        Action<AkkaConfigurationBuilder>? configure = null) =>
        services.AddAkka(EtlActorSystem.Name, akka =>
        {
            akka.ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = logLevel;
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            });
            akka.WithEtlEngine(options, connectors);
            configure?.Invoke(akka);
        });
}
