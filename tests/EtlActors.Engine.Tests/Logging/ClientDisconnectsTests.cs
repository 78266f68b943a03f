using Akka.Event;
using EtlActors.Engine.Logging;

namespace EtlActors.Engine.Tests.Logging;

/// <summary>
/// The two lines a node wrote for every `etl` command that disconnected, as Akka.Remote 1.5.73 writes them (source and
/// message), lowered to Debug; the same lines about another node stay as they are.
/// </summary>
public sealed class ClientDisconnectsTests
{
    private const string Client = "akka://etl/system/endpointManager/reliableEndpointWriter-akka.ssl.tcp%3A%2F%2Fetl-client%40127.0.0.1%3A38315-3";
    private const string Node = "akka://etl/system/endpointManager/reliableEndpointWriter-akka.ssl.tcp%3A%2F%2Fetl%40127.0.0.1%3A4054-1";

    // Internal to Akka.Remote: made as Akka makes it.
    private static readonly Exception Disassociated = (Exception)Activator.CreateInstance(
        typeof(Akka.Remote.RemoteSettings).Assembly.GetType("Akka.Remote.EndpointDisassociatedException", throwOnError: true)!,
        "Disassociated")!;

    /// <summary>The supervisor's "has failed; address is now gated" Warning: the exception is an argument of the message.</summary>
    private static Warning Gated(string source, Exception reason) =>
        new(source, typeof(object), new Args("Association with remote system {0} has failed; address is now gated for {1} ms. Reason is: [{2}]", "akka.ssl.tcp://etl-client@127.0.0.1:38315", 5000.0, reason));

    /// <summary>The strategy's Error: the exception is the cause.</summary>
    private static Error Failed(string source, Exception cause) => new(cause, source + "/endpointWriter", typeof(object), "Disassociated");

    [Fact]
    public void A_clients_disconnect_is_lowered_to_debug()
    {
        Assert.True(ClientDisconnects.IsClientDisconnect(Gated(Client, Disassociated)));
        Assert.True(ClientDisconnects.IsClientDisconnect(Failed(Client, Disassociated)));
        Assert.True(ClientDisconnects.IsClientDisconnect(Failed(Client.Replace("akka.ssl.tcp", "akka.tcp", StringComparison.Ordinal), Disassociated)));

        var lowered = ClientDisconnects.AsDebug(Failed(Client, Disassociated));
        Assert.Equal(LogLevel.DebugLevel, lowered.LogLevel());
        Assert.Equal(Client + "/endpointWriter", lowered.LogSource);
        Assert.Same(Disassociated, lowered.Cause);
    }

    [Fact]
    public void A_node_that_loses_another_node_still_warns()
    {
        Assert.False(ClientDisconnects.IsClientDisconnect(Gated(Node, Disassociated)));
        Assert.False(ClientDisconnects.IsClientDisconnect(Failed(Node, Disassociated)));
    }

    [Fact]
    public void Anything_else_about_a_client_keeps_its_level()
    {
        var other = new InvalidOperationException("Failed to write message to the transport");
        Assert.False(ClientDisconnects.IsClientDisconnect(Failed(Client, other)));
        Assert.False(ClientDisconnects.IsClientDisconnect(Gated(Client, other)));
        Assert.False(ClientDisconnects.IsClientDisconnect(new Info(Client, typeof(object), "Removing receive buffers")));
        Assert.False(ClientDisconnects.IsClientDisconnect(new Error(Disassociated, "akka://etl/user/jobs", typeof(object), "Disassociated")));
    }

    private sealed class Args(string format, params object[] args) : LogMessage(SemanticLogMessageFormatter.Instance, format)
    {
        public override IEnumerable<object> Parameters() => args;

        public override string Unformatted() => Format;
    }
}
