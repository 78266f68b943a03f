using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Hosting;
using Akka.Remote.Transport.DotNetty;
using EtlActors.Contracts;
using EtlActors.Contracts.Security;

namespace EtlActors.Engine;

/// <summary>Turns <see cref="EtlTlsOptions"/> into Akka.Remote's TLS: mutual authentication against the cluster's CA.</summary>
internal static class EtlRemoteTls
{
    /// <summary>Akka.Remote's SSL options, or null for plaintext.</summary>
    /// <exception cref="ArgumentException">A file is missing or unreadable, or this node's certificate is not issued by the CA.</exception>
    public static SslOptions? Ssl(EtlTlsOptions tls)
    {
        tls.Validate();
        if (tls.InsecurePlaintext)
            return null;
        var authority = TlsTrust.LoadAuthority(tls.CaCertificatePath!);
        var certificate = TlsTrust.LoadCertificate(tls.CertificatePath!, TlsTrust.ReadPassword(tls.CertificatePassword, tls.CertificatePasswordFile));
        // Fail at start-up rather than at every handshake: the other nodes would refuse this one anyway.
        if (!TlsTrust.IsIssuedBy(certificate, null, authority, out var reason))
            throw new ArgumentException($"{EtlTlsOptions.Section}:{nameof(EtlTlsOptions.CertificatePath)}: {reason}");
        return new SslOptions
        {
            X509Certificate = certificate,
            SuppressValidation = false,
            // Both ends present a certificate and both check the other's: a client or node without one from our CA
            // fails the handshake before a single Akka message is read.
            RequireMutualAuthentication = true,
            // Peers are reached by IP address and node certificates are per node: the CA, not the host name, says who belongs.
            ValidateCertificateHostname = false,
            CustomValidator = Validator(authority),
        };
    }

    /// <summary>Accepts a peer only if its certificate chains to <paramref name="authority"/>; logs each refusal with its reason.</summary>
    private static CertificateValidationCallback Validator(X509Certificate2 authority) =>
        (certificate, chain, peer, _, log) =>
        {
            // The system's verdict (the errors argument) is ignored on purpose: it judges against the machine's
            // public roots, which neither include our CA nor may admit anyone into the cluster.
            if (TlsTrust.IsIssuedBy(certificate, chain, authority, out var reason))
                return true;
            log.Warning("TLS: refused {0}: {1}", peer, reason);
            return false;
        };

    /// <summary>
    /// Seed node addresses with the protocol TLS implies (<c>akka.ssl.tcp</c> or <c>akka.tcp</c>), so one
    /// configuration of seeds serves either mode: a seed with the other protocol could never be joined.
    /// </summary>
    public static string[] SeedNodes(IEnumerable<string> seeds, bool tls) =>
        [.. seeds.Select(seed => WithProtocol(seed, EtlActorSystem.Protocol(tls)))];

    private static string WithProtocol(string address, string protocol)
    {
        var scheme = address.IndexOf("://", StringComparison.Ordinal);
        return scheme < 0 ? address : protocol + address[scheme..];
    }
}
