using EtlActors.IntegrationTests.Cluster;
using EtlActors.IntegrationTests.CrashSafety;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("EtlActors.IntegrationTests.Support.LongestFirstOrderer", "EtlActors.IntegrationTests")]

namespace EtlActors.IntegrationTests.Support;

/// <summary>
/// Starts the longest collections first. xunit runs as many collections at once as there are cores (two here), in
/// the order an orderer gives, and its default order is a hash of their ids: it once started a six-minute cluster
/// collection when the rest was nearly done, and the run ended with one core idle for four minutes. Longest first
/// keeps both busy; the short classes fill in at the end.
/// </summary>
public sealed class LongestFirstOrderer : ITestCollectionOrderer
{
    // Longest first, by a run's summed test times (bench/README.md, "CI time").
    private static readonly string[] Longest = [ClusterCommandsCollection.Name, ClusterCollection.Name, CrashSafetyCollection.Name];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .OrderBy(c => Array.IndexOf(Longest, c.DisplayName) is var i and >= 0 ? i : Longest.Length)
            .ThenBy(c => c.DisplayName, StringComparer.Ordinal);
}
