using EtlActors.Contracts.Cluster;
using AkkaLogLevel = Akka.Event.LogLevel;

namespace EtlActors.Engine.Logging;

/// <summary>A node's level as Akka's logging bus names it.</summary>
internal static class AkkaLogLevels
{
    public static AkkaLogLevel ToAkka(this NodeLogLevel level) => level switch
    {
        NodeLogLevel.Debug => AkkaLogLevel.DebugLevel,
        NodeLogLevel.Information => AkkaLogLevel.InfoLevel,
        NodeLogLevel.Warning => AkkaLogLevel.WarningLevel,
        _ => AkkaLogLevel.ErrorLevel,
    };
}
