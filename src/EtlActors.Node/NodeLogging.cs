using System.Globalization;
using EtlActors.Contracts.Cluster;
using EtlActors.Engine;
using Microsoft.Extensions.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace EtlActors.Node;

/// <summary>
/// The node's log: Serilog to the console, every line with the node's <c>host:port</c> as <c>Node</c> (and a job's lines
/// with <c>JobId</c> and <c>TenantId</c>, from the engine). Human lines by default, which scripts and tests wait on
/// ("cluster member up"); compact JSON lines, one event each with its properties at the top, for log collectors with
/// <c>Etl:Logging:Format=json</c> (or <c>ETL_LOG_FORMAT=json</c>, as the compose files set). The least level starts at
/// <c>Serilog:MinimumLevel</c> (Information) and follows <c>etl cluster log-level</c>, which moves Akka's with it.
/// </summary>
internal sealed class NodeLogging : ILogLevelSwitch
{
    private const string TextTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    private readonly LoggingLevelSwitch _level;

    private NodeLogging(LoggingLevelSwitch level) => _level = level;

    /// <summary>Makes <see cref="Log.Logger"/> the node's log as configured, and returns its level switch for the engine.</summary>
    /// <exception cref="ArgumentException"><c>Etl:Logging:Format</c> or <c>Serilog:MinimumLevel</c> is not a known value.</exception>
    public static NodeLogging Start(IConfiguration configuration, EtlEngineOptions options)
    {
        var json = Format(configuration) switch
        {
            "text" => false,
            "json" => true,
            var other => throw new ArgumentException($"Etl:Logging:Format must be text or json, not '{other}'"),
        };
        var level = new LoggingLevelSwitch(InitialLevel(configuration));
        // Serilog:MinimumLevel:Override still applies (Microsoft at Warning); the switch replaces only the default.
        var logs = new LoggerConfiguration()
            // ASP.NET Core logs every failed health check as an error, on every probe; the checks log each change themselves.
            // Before the configuration's overrides, so an operator can still turn it on.
            .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Fatal)
            .ReadFrom.Configuration(configuration)
            .MinimumLevel.ControlledBy(level)
            .Enrich.WithProperty("Node", $"{options.PublicHostname ?? options.Hostname}:{options.Port}");
        Log.Logger = (json
                ? logs.WriteTo.Console(new RenderedCompactJsonFormatter())
                : logs.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: CultureInfo.InvariantCulture))
            .CreateLogger();
        return new NodeLogging(level);
    }

    public NodeLogLevel Level => _level.MinimumLevel switch
    {
        <= LogEventLevel.Debug => NodeLogLevel.Debug,
        LogEventLevel.Information => NodeLogLevel.Information,
        LogEventLevel.Warning => NodeLogLevel.Warning,
        _ => NodeLogLevel.Error,
    };

    public void Set(NodeLogLevel level) => _level.MinimumLevel = level switch
    {
        NodeLogLevel.Debug => LogEventLevel.Debug,
        NodeLogLevel.Information => LogEventLevel.Information,
        NodeLogLevel.Warning => LogEventLevel.Warning,
        _ => LogEventLevel.Error,
    };

    private static string Format(IConfiguration configuration) =>
        (configuration["Etl:Logging:Format"] ?? Environment.GetEnvironmentVariable("ETL_LOG_FORMAT") ?? "text").Trim().ToLowerInvariant();

    // Serilog:MinimumLevel is either a level or a section with Default (and Override).
    private static LogEventLevel InitialLevel(IConfiguration configuration)
    {
        var text = configuration["Serilog:MinimumLevel:Default"] ?? configuration["Serilog:MinimumLevel"];
        if (string.IsNullOrWhiteSpace(text))
            return LogEventLevel.Information;
        return Enum.TryParse<LogEventLevel>(text, ignoreCase: true, out var level)
            ? level
            : throw new ArgumentException($"Serilog:MinimumLevel must be Verbose, Debug, Information, Warning, Error or Fatal, not '{text}'");
    }
}
