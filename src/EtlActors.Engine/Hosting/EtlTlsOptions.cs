namespace EtlActors.Engine;

/// <summary>
/// Mutual TLS on Akka.Remote, bound from <c>Etl:Tls</c>: every node and client presents a certificate issued by the
/// cluster's CA and accepts only peers whose certificate is issued by it. On unless <see cref="InsecurePlaintext"/>.
/// </summary>
public sealed class EtlTlsOptions
{
    /// <summary>
    /// True: no TLS at all, so anyone who reaches the port can join the cluster and drive it. Only for a network
    /// nobody else can reach (the embedded <c>etl run</c>, which has no remoting, sets it). Default false.
    /// </summary>
    public bool InsecurePlaintext { get; set; }

    /// <summary>This node's certificate and private key, a PFX file (<c>Etl:Tls:CertificatePath</c>). Required unless plaintext.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>
    /// The PFX's password, from configuration or the environment (<c>Etl__Tls__CertificatePassword</c>), never the
    /// command line; <see cref="CertificatePasswordFile"/> is read when this is empty.
    /// </summary>
    public string? CertificatePassword { get; set; }

    /// <summary>A file whose first line is the PFX's password (a mounted secret).</summary>
    public string? CertificatePasswordFile { get; set; }

    /// <summary>The cluster's CA certificate (PEM or DER): the only issuer whose node and client certificates are accepted. Required unless plaintext.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>The <c>Etl:Tls</c> keys, for messages.</summary>
    internal const string Section = EtlEngineOptions.Section + ":Tls";

    /// <summary>Checks that TLS can start: both files named and present. Plaintext needs nothing.</summary>
    /// <exception cref="ArgumentException">A file is not named or not found; the message says how to set it.</exception>
    public void Validate()
    {
        if (InsecurePlaintext)
            return;
        Require(nameof(CertificatePath), CertificatePath, "this node's certificate and key (PFX)");
        Require(nameof(CaCertificatePath), CaCertificatePath, "the cluster's CA certificate");
    }

    private static void Require(string name, string? path, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException($"{Section}:{name} is not set: TLS is on, and it needs {what}. " +
                $"See README \"Security: TLS\" to make certificates, or set {Section}:{nameof(InsecurePlaintext)}=true on a network nobody else can reach");
        if (!File.Exists(path))
            throw new ArgumentException($"{Section}:{name} {path} not found ({what})");
    }
}
