using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EtlActors.Client;

namespace EtlActors.Testing.Security;

/// <summary>
/// A development certificate authority in a folder: <c>ca.crt</c> (PEM), and <c>node.pfx</c> and <c>client.pfx</c> it
/// issued, both protected by the password in <c>password.txt</c>. What cluster/local.sh makes with openssl, made
/// with .NET alone so tests need no tool. Each call to <see cref="Create"/> is a different CA, so certificates from
/// two of them do not trust each other.
/// </summary>
public sealed class DevCertificates
{
    private static readonly Lazy<DevCertificates> SharedCa = new(() =>
        Create(System.IO.Directory.CreateTempSubdirectory("etl-dev-ca-").FullName, "EtlActors test CA"));

    private DevCertificates(string directory, string password)
    {
        Directory = directory;
        Password = password;
    }

    /// <summary>One CA for the whole test run (made on first use, in a temporary folder).</summary>
    public static DevCertificates Shared => SharedCa.Value;

    public string Directory { get; }
    public string Password { get; }
    public string CaPath => Path.Combine(Directory, "ca.crt");
    public string NodePfx => Path.Combine(Directory, "node.pfx");
    public string ClientPfx => Path.Combine(Directory, "client.pfx");
    public string PasswordFile => Path.Combine(Directory, "password.txt");

    /// <summary>A node's TLS settings as environment variables (the password through its file, as from a mounted secret).</summary>
    /// <remarks>With the test admin key (<see cref="TestKeys.Admin"/>) as the node's key 0, as cluster/local.sh issues one.</remarks>
    public IReadOnlyDictionary<string, string> NodeEnvironment => new Dictionary<string, string>(TestKeys.Admin.NodeSettings(0))
    {
        ["Etl__Tls__CertificatePath"] = NodePfx,
        ["Etl__Tls__CertificatePasswordFile"] = PasswordFile,
        ["Etl__Tls__CaCertificatePath"] = CaPath,
    };

    /// <summary>An `etl` command's TLS settings, as the CLI reads them, and the test admin key (what local.sh's client.env holds).</summary>
    public IReadOnlyDictionary<string, string> ClientEnvironment => new Dictionary<string, string>
    {
        ["ETL_TLS_CERT"] = ClientPfx,
        ["ETL_TLS_CERT_PASSWORD_FILE"] = PasswordFile,
        ["ETL_TLS_CA"] = CaPath,
        ["ETL_API_KEY"] = TestKeys.Admin.Key,
    };

    /// <summary><paramref name="options"/> with this CA's client certificate, and the test admin key unless the options have a key.</summary>
    public EtlClientOptions ForClient(EtlClientOptions options)
    {
        options.ApiKey ??= TestKeys.Admin.Key;
        options.CertificatePath = ClientPfx;
        options.CertificatePassword = Password;
        options.CaCertificatePath = CaPath;
        return options;
    }

    /// <summary>Makes a new CA named <paramref name="name"/> and its node and client certificates in <paramref name="directory"/>.</summary>
    public static DevCertificates Create(string directory, string name)
    {
        System.IO.Directory.CreateDirectory(directory);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = DateTimeOffset.UtcNow.AddDays(30);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={name}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);
        var certificates = new DevCertificates(directory, password);
        File.WriteAllText(certificates.CaPath, ca.ExportCertificatePem());
        File.WriteAllText(certificates.PasswordFile, password + "\n");
        Issue(ca, $"CN=etl-node ({name})", certificates.NodePfx, password, notBefore, notAfter);
        Issue(ca, $"CN=etl-client ({name})", certificates.ClientPfx, password, notBefore, notAfter);
        return certificates;
    }

    private static void Issue(X509Certificate2 ca, string subject, string path, string password, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        // Both uses for both kinds: a node dials other nodes, and a client's actor system also accepts connections.
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var issued = request.Create(ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(key);
        File.WriteAllBytes(path, withKey.Export(X509ContentType.Pkcs12, password));
    }
}
