using EtlActors.Contracts.Security;
using EtlActors.Testing.Security;

namespace EtlActors.Engine.Tests.Security;

/// <summary>The check both ends of every connection make: a certificate counts only if the cluster's CA issued it.</summary>
public sealed class TlsTrustTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("etl-tls-trust-").FullName;

    [Fact]
    public void A_node_or_client_certificate_of_the_clusters_CA_is_accepted()
    {
        var ca = DevCertificates.Create(Path.Combine(_dir, "ca"), "Cluster CA");
        var authority = TlsTrust.LoadAuthority(ca.CaPath);

        Assert.True(TlsTrust.IsIssuedBy(TlsTrust.LoadCertificate(ca.NodePfx, ca.Password), null, authority, out var reason), reason);
        Assert.True(TlsTrust.IsIssuedBy(TlsTrust.LoadCertificate(ca.ClientPfx, TlsTrust.ReadPassword(null, ca.PasswordFile)), null, authority, out reason), reason);
    }

    [Fact]
    public void A_certificate_of_another_CA_none_at_all_or_the_CA_itself_is_refused_with_the_reason()
    {
        var ca = DevCertificates.Create(Path.Combine(_dir, "ca"), "Cluster CA");
        var other = DevCertificates.Create(Path.Combine(_dir, "other"), "Other CA");
        var authority = TlsTrust.LoadAuthority(ca.CaPath);

        Assert.False(TlsTrust.IsIssuedBy(TlsTrust.LoadCertificate(other.NodePfx, other.Password), null, authority, out var reason));
        Assert.StartsWith("CN=etl-node (Other CA) (issued by CN=Other CA) does not chain to the cluster's CA CN=Cluster CA", reason);
        Assert.False(TlsTrust.IsIssuedBy(null, null, authority, out reason));
        Assert.Equal("no certificate presented", reason);
        Assert.False(TlsTrust.IsIssuedBy(authority, null, authority, out reason));
        Assert.Equal("CN=Cluster CA is a CA certificate, not a node's or a client's", reason);
    }

    [Fact]
    public void A_wrong_password_names_the_file_and_never_the_password()
    {
        var ca = DevCertificates.Create(Path.Combine(_dir, "ca"), "Cluster CA");

        var error = Assert.Throws<ArgumentException>(() => TlsTrust.LoadCertificate(ca.NodePfx, "not-the-password"));

        Assert.StartsWith($"TLS certificate {ca.NodePfx} cannot be read (not a PFX file, or a wrong password)", error.Message);
        Assert.DoesNotContain("not-the-password", error.Message);
    }

    [Fact]
    public void A_password_file_gives_its_first_line_and_a_given_password_wins()
    {
        var file = Path.Combine(_dir, "password");
        File.WriteAllText(file, "s3cret\n");

        Assert.Equal("s3cret", TlsTrust.ReadPassword(null, file));
        Assert.Equal("given", TlsTrust.ReadPassword("given", file));
        Assert.Null(TlsTrust.ReadPassword(null, null));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
