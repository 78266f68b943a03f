using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using EtlActors.Contracts.Security;
using EtlActors.Engine;
using Microsoft.Extensions.Configuration;

namespace EtlActors.Node.Http;

/// <summary>
/// The node's HTTP port (<c>Etl:Http:*</c>): <c>/metrics</c>, <c>/health/live</c> and <c>/health/ready</c>. Kept in the
/// node rather than in <see cref="EtlEngineOptions"/>: only a node serves HTTP (an embedded <c>etl run</c> lives for
/// one job and has nothing to scrape), and the engine's options stay about the actor system.
/// </summary>
internal sealed class NodeHttpOptions
{
    /// <summary>The configuration section, for binding and messages.</summary>
    public const string Section = EtlEngineOptions.Section + ":Http";

    /// <summary>OpenTelemetry's port for a Prometheus exporter, which scrape configs and dashboards expect.</summary>
    public const int DefaultPort = 9464;

    /// <summary>False: no HTTP port at all (nothing to scrape, no health routes). Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The port; 0 picks a free one (the node logs which). Default <see cref="DefaultPort"/>.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>
    /// The address to listen on: an IP address or a name this machine resolves. Default the node's <c>Etl:Hostname</c>,
    /// so the port is exactly as reachable as Akka.Remote's.
    /// </summary>
    public string? Hostname { get; set; }

    /// <summary>
    /// A PFX with a certificate and its key: the port then serves HTTPS only. Unset: plain HTTP, which suits these
    /// routes (read-only, no records or secrets) on a network the operator trusts, as Prometheus usually scrapes.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PFX's password, from configuration or the environment; <see cref="CertificatePasswordFile"/> is read when this is empty.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>A file whose first line is the PFX's password (a mounted secret).</summary>
    public string? CertificatePasswordFile { get; set; }

    /// <summary>The <see cref="Section"/> over its defaults, its host defaulting to <paramref name="engine"/>'s, then validated.</summary>
    /// <exception cref="ArgumentException">A setting is out of range or names a file that is missing; the message names it.</exception>
    public static NodeHttpOptions From(IConfiguration configuration, EtlEngineOptions engine)
    {
        var options = new NodeHttpOptions();
        configuration.GetSection(Section).Bind(options);
        options.Hostname = string.IsNullOrWhiteSpace(options.Hostname) ? engine.Hostname : options.Hostname.Trim();
        options.Validate(engine);
        return options;
    }

    /// <summary>Checks what a typo could break, so the node stops at start with one line rather than serving nothing.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate(EtlEngineOptions engine)
    {
        if (!Enabled)
            return;
        if (Port is < 0 or > IPEndPoint.MaxPort)
            throw Invalid(nameof(Port), Port, "must be a port from 1 to 65535, or 0 for a free one");
        if (Port != 0 && Port == engine.Port)
            throw Invalid(nameof(Port), Port, $"must differ from {EtlEngineOptions.Section}:{nameof(EtlEngineOptions.Port)}, which Akka.Remote listens on");
        if (!string.IsNullOrWhiteSpace(CertificatePath) && !File.Exists(CertificatePath))
            throw new ArgumentException($"{Section}:{nameof(CertificatePath)} {CertificatePath} not found (a PFX with this port's certificate and key)");
    }

    /// <summary>The addresses to listen on: <see cref="Hostname"/> itself when it is an IP address, else what it resolves to.</summary>
    /// <exception cref="ArgumentException">The name does not resolve.</exception>
    public IReadOnlyList<IPAddress> Addresses()
    {
        if (IPAddress.TryParse(Hostname, out var address))
            return [address];
        IPAddress[] resolved;
        try
        {
            resolved = Dns.GetHostAddresses(Hostname!);
        }
        catch (SocketException ex)
        {
            throw new ArgumentException($"{Section}:{nameof(Hostname)} {Hostname} does not resolve ({ex.Message})", ex);
        }
        if (resolved.Length == 0)
            throw new ArgumentException($"{Section}:{nameof(Hostname)} {Hostname} resolves to no address");
        // A free port is chosen per listener: with several addresses each would get a different one, so take the first.
        return Port == 0 ? [resolved[0]] : [.. resolved.Distinct()];
    }

    /// <summary>
    /// Fails when another process holds the port, before the node joins the cluster: Kestrel binds only after the actor
    /// system has started, and a node that joins and at once leaves again moves shards for nothing. (Another process can
    /// still take the port in between; Kestrel then stops the node all the same.)
    /// </summary>
    /// <exception cref="ArgumentException">The port is in use on one of <paramref name="addresses"/>.</exception>
    public void EnsurePortIsFree(IReadOnlyList<IPAddress> addresses)
    {
        if (Port == 0)
            return;
        foreach (var address in addresses)
        {
            try
            {
                using var probe = new TcpListener(address, Port);
                probe.Start();
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new ArgumentException($"{Section}:{nameof(Port)} {Port} on {address} is in use: free it, choose another port " +
                    $"(0 picks a free one) or set {Section}:{nameof(Enabled)}=false", ex);
            }
        }
    }

    /// <summary>The certificate to serve HTTPS with, or null for plain HTTP.</summary>
    /// <exception cref="ArgumentException">The file cannot be read (the message names the file, never the password).</exception>
    public X509Certificate2? LoadCertificate()
    {
        if (string.IsNullOrWhiteSpace(CertificatePath))
            return null;
        try
        {
            return TlsTrust.LoadCertificate(CertificatePath, TlsTrust.ReadPassword(CertificatePassword, CertificatePasswordFile));
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"{Section}:{nameof(CertificatePath)}: {ex.Message}", ex);
        }
    }

    private static ArgumentException Invalid(string name, object value, string rule) =>
        new($"{Section}:{name} {rule} (is {Convert.ToString(value, CultureInfo.InvariantCulture)})");
}
