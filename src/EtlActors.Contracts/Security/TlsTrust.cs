using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EtlActors.Contracts.Security;

/// <summary>
/// How nodes and clients trust each other on Akka.Remote's TLS: each side presents a certificate (PFX with its
/// private key) and accepts the other's only if it chains to the cluster's own certificate authority. The system
/// trust store plays no part: a certificate any public CA issued is no ticket into the cluster.
/// </summary>
public static class TlsTrust
{
    /// <summary>Loads this side's certificate and private key from a PKCS#12 (PFX) file.</summary>
    /// <param name="path">The PFX file.</param>
    /// <param name="password">Its password; null or empty when it has none.</param>
    /// <exception cref="ArgumentException">The file is missing, unreadable, has no private key, or the password is wrong (the message names the file, never the password).</exception>
    public static X509Certificate2 LoadCertificate(string path, string? password)
    {
        if (!File.Exists(path))
            throw new ArgumentException($"TLS certificate {path} not found");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, string.IsNullOrEmpty(password) ? null : password);
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException($"TLS certificate {path} cannot be read (not a PFX file, or a wrong password): {ex.Message}", ex);
        }
        if (!certificate.HasPrivateKey)
            throw new ArgumentException($"TLS certificate {path} holds no private key: a node or client must prove it owns its certificate");
        return certificate;
    }

    /// <summary>Loads the certificate authority's certificate (PEM or DER), the only root a peer's certificate may chain to.</summary>
    /// <exception cref="ArgumentException">The file is missing or is not a certificate.</exception>
    public static X509Certificate2 LoadAuthority(string path)
    {
        if (!File.Exists(path))
            throw new ArgumentException($"TLS CA certificate {path} not found");
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException($"TLS CA certificate {path} cannot be read (PEM or DER expected): {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The password of a PFX: <paramref name="password"/> when given, otherwise the first line of
    /// <paramref name="passwordFile"/> (a mounted secret), otherwise null.
    /// </summary>
    /// <exception cref="ArgumentException">The password file is named but missing.</exception>
    public static string? ReadPassword(string? password, string? passwordFile)
    {
        if (!string.IsNullOrEmpty(password))
            return password;
        if (string.IsNullOrEmpty(passwordFile))
            return null;
        if (!File.Exists(passwordFile))
            throw new ArgumentException($"TLS certificate password file {passwordFile} not found");
        // Only the first line: editors and `echo` add a trailing newline that is not part of the password.
        return File.ReadLines(passwordFile).FirstOrDefault() ?? "";
    }

    /// <summary>
    /// Whether <paramref name="peer"/> chains to <paramref name="authority"/> and only to it, is within its validity
    /// period and is not itself a CA. Host names are not checked: nodes are reached by address, and the
    /// certificate authority is the cluster's own, so what it signed is a member.
    /// </summary>
    /// <param name="peer">The certificate the other side presented; null when it presented none.</param>
    /// <param name="presented">The chain it presented, whose intermediates may be needed.</param>
    /// <param name="authority">The cluster's certificate authority.</param>
    /// <param name="reason">Why the certificate was refused; empty when accepted.</param>
    public static bool IsIssuedBy(X509Certificate2? peer, X509Chain? presented, X509Certificate2 authority, out string reason)
    {
        ArgumentNullException.ThrowIfNull(authority);
        if (peer is null)
        {
            reason = "no certificate presented";
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        // A private CA publishes no revocation list; removing a member means reissuing or changing the CA.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        foreach (var element in presented?.ChainElements ?? Enumerable.Empty<X509ChainElement>())
            chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        if (!chain.Build(peer))
        {
            reason = $"{peer.Subject} (issued by {peer.Issuer}) does not chain to the cluster's CA {authority.Subject}: "
                + string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            return false;
        }
        var root = chain.ChainElements[^1].Certificate;
        if (!root.RawDataMemory.Span.SequenceEqual(authority.RawDataMemory.Span))
        {
            reason = $"{peer.Subject} chains to {root.Subject}, not to the cluster's CA";
            return false;
        }
        if (peer.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority))
        {
            reason = $"{peer.Subject} is a CA certificate, not a node's or a client's";
            return false;
        }
        reason = "";
        return true;
    }
}
