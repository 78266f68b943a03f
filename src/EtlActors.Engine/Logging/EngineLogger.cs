using Akka.Actor;
using Akka.Event;
using Akka.Hosting.Logging;

namespace EtlActors.Engine.Logging;

/// <summary>
/// Akka's log events to the host's ILoggerFactory, as Akka.Hosting's logger writes them (structured properties
/// included), with one change: a client's disconnect is written at Debug (<see cref="ClientDisconnects"/>). A node in
/// normal operation logs nothing above Information, so that anyone alerting on its errors is woken only for one.
/// </summary>
public sealed class EngineLogger : LoggerFactoryLogger
{
    /// <inheritdoc />
    protected override void Log(LogEvent log, ActorPath path) =>
        base.Log(ClientDisconnects.IsClientDisconnect(log) ? ClientDisconnects.AsDebug(log) : log, path);
}
