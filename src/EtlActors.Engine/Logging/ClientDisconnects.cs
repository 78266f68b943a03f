using System.Text.RegularExpressions;
using Akka.Event;
using EtlActors.Contracts;

namespace EtlActors.Engine.Logging;

/// <summary>
/// Tells a client's disconnect from a lost association. Every `etl` command and EtlClient is a short-lived actor system
/// (ClusterClient); when it terminates, Akka.Remote's shutdown stops the client's protocol actors while their goodbye
/// (a Disassociate PDU) may still be queued, so the node often sees the connection just close. The node's endpoint
/// writer then fails with Akka.Remote's EndpointDisassociatedException, and its supervisor logs a Warning ("Association
/// with remote system … has failed; address is now gated") and the strategy an Error ("Disassociated"). Neither is a
/// lifecycle event, so <c>akka.remote.log-remote-lifecycle-events</c> does not touch them, no setting quiets them, and
/// Akka's log filters (LogFilterSetup) are not applied by Akka.Hosting's logger: the engine's logger lowers them here.
/// </summary>
internal static partial class ClientDisconnects
{
    // Akka.Remote names an association's actors after the remote address, escaped:
    // …/system/endpointManager/reliableEndpointWriter-akka.ssl.tcp%3A%2F%2Fetl-client%40127.0.0.1%3A38315-3[/endpointWriter]
    // Internal to Akka.Remote, so known by its name.
    private const string Disassociated = "Akka.Remote.EndpointDisassociatedException";

    [GeneratedRegex(@"/system/endpointManager/reliableEndpointWriter-akka(?:\.ssl)?\.tcp%3A%2F%2F(?<system>[^%/]+)%40",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Endpoint();

    /// <summary>
    /// Whether <paramref name="log"/> is a Warning or Error about a disassociation from a system that is not a cluster
    /// node: every node's actor system is named <see cref="EtlActorSystem.Name"/>, so any other is a client. A node
    /// that loses another node still warns.
    /// </summary>
    public static bool IsClientDisconnect(LogEvent log) =>
        log.LogLevel() >= LogLevel.WarningLevel
        && (IsDisassociated(log.Cause) || log.GetParameters().Any(IsDisassociated))
        && Endpoint().Match(log.LogSource ?? "") is { Success: true } endpoint
        && !string.Equals(Uri.UnescapeDataString(endpoint.Groups["system"].Value), EtlActorSystem.Name, StringComparison.Ordinal);

    private static bool IsDisassociated(object? o) => o?.GetType().FullName == Disassociated;

    /// <summary>The same event at Debug: a disconnect is still there for whoever looks, and the Information line "Removing receive buffers for … etl-client@…" says it happened.</summary>
    public static LogEvent AsDebug(LogEvent log) => new Debug(log.Cause, log.LogSource, log.LogClass, log.Message);
}
