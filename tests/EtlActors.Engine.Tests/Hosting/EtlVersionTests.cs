using Akka.Util;
using Microsoft.Extensions.Configuration;

namespace EtlActors.Engine.Tests.Hosting;

/// <summary>The version a node announces to the cluster (Akka's app-version), which `etl cluster show` lists per member.</summary>
public sealed class EtlVersionTests
{
    [Theory]
    [InlineData("0.1.0", "0.1.0")]
    [InlineData("0.2.0-rc1", "0.2.0-rc1")]
    [InlineData("0.2.0-beta.1", "0.2.0-beta-1")]
    [InlineData("0.2.0-beta.1+4f2a9c1", "0.2.0-beta-1")]
    [InlineData("0.1.0+4f2a9c1", "0.1.0")]
    public void A_SemVer_version_is_announced_in_a_form_Akka_compares(string version, string announced)
    {
        Assert.Equal(announced, EtlVersion.ForCluster(version));
        Assert.True(EtlVersion.IsComparable(version));
    }

    [Fact]
    public void Announced_versions_order_as_releases_do_so_a_rolling_upgrade_reads_oldest_to_newest()
    {
        var versions = new[] { "0.1.0", "0.2.0-beta.1", "0.2.0", "0.10.0" };

        var ordered = versions.Reverse().OrderBy(v => AppVersion.Create(EtlVersion.ForCluster(v))).ToList();

        Assert.Equal(versions, ordered);
    }

    [Fact]
    public void This_builds_version_is_one_a_node_can_announce()
    {
        // A <Version> in Directory.Build.props that Akka cannot parse would stop every node when it joins.
        Assert.Matches(@"^\d+\.\d+\.\d+", EtlVersion.Current);
        Assert.True(EtlVersion.IsComparable(EtlVersion.Current));
        Assert.Equal(EtlVersion.ForCluster(EtlVersion.Current), new EtlEngineOptions().AnnouncedVersion);
    }

    [Theory]
    [InlineData("1.2.3.4")]
    [InlineData("latest")]
    [InlineData("1.x")]
    public void A_configured_version_Akka_cannot_compare_is_refused_at_start_naming_the_setting(string version)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Etl:AppVersion"] = version }).Build();

        var error = Assert.Throws<ArgumentException>(() => EtlEngineOptions.From(configuration));

        Assert.StartsWith("Etl:AppVersion must be a version", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"(is {version})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configured_version_is_announced_instead_of_the_builds()
    {
        Assert.Equal("0.2.0-hotfix-1", new EtlEngineOptions { AppVersion = " 0.2.0-hotfix.1 " }.AnnouncedVersion);
    }
}
