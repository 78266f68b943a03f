using Akka.Event;
using Akka.Remote.Transport.DotNetty;
using EtlActors.Contracts.Security;

namespace EtlActors.Client;

/// <summary>The client's side of the cluster's mutual TLS: its settings, from the options or else the environment.</summary>
internal static class ClientTls
{
    public const string CertificateVariable = "ETL_TLS_CERT";
    public const string PasswordVariable = "ETL_TLS_CERT_PASSWORD";
    public const string PasswordFileVariable = "ETL_TLS_CERT_PASSWORD_FILE";
    public const string AuthorityVariable = "ETL_TLS_CA";
    public const string PlaintextVariable = "ETL_INSECURE_PLAINTEXT";

    public static bool IsPlaintext(EtlClientOptions options) =>
        options.InsecurePlaintext || Environment.GetEnvironmentVariable(PlaintextVariable) is "1" or "true" or "TRUE" or "True";

    /// <summary>The transport's TLS setup, or null for plaintext.</summary>
    /// <exception cref="ArgumentException">TLS is on and a certificate or the CA is not given, missing or unreadable.</exception>
    public static DotNettySslSetup? Setup(EtlClientOptions options)
    {
        if (IsPlaintext(options))
            return null;
        var path = options.CertificatePath ?? Variable(CertificateVariable);
        var caPath = options.CaCertificatePath ?? Variable(AuthorityVariable);
        if (path is null || caPath is null)
            throw new ArgumentException(
                $"no client certificate: the cluster accepts only clients with a certificate from its CA; set {CertificateVariable} (a PFX), " +
                $"{PasswordVariable} or {PasswordFileVariable}, and {AuthorityVariable} (the CA certificate), or {PlaintextVariable}=1 for a plaintext cluster");
        var password = TlsTrust.ReadPassword(options.CertificatePassword ?? Variable(PasswordVariable), options.CertificatePasswordFile ?? Variable(PasswordFileVariable));
        var certificate = TlsTrust.LoadCertificate(path, password);
        var authority = TlsTrust.LoadAuthority(caPath);
        // Mutual: the client presents its certificate and checks the node's against the cluster's CA, ignoring the
        // machine's public roots (the errors argument) and host names (nodes are reached by address).
        return new DotNettySslSetup(certificate, suppressValidation: false, requireMutualAuthentication: true, validateCertificateHostname: false,
            customValidator: (peer, chain, remote, _, log) =>
            {
                if (TlsTrust.IsIssuedBy(peer, chain, authority, out var reason))
                    return true;
                log.Error("TLS: refused {0}: {1}", remote, reason);
                return false;
            });
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
