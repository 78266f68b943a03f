using EtlActors.IntegrationTests.Cluster;
using EtlActors.IntegrationTests.CrashSafety;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("EtlActors.IntegrationTests.Support.LongestFirstOrderer", "EtlActors.IntegrationTests")]

// Three collections at once on any machine, not one per core: many of these tests mostly wait (a connect timeout run
// out, a cluster forming, a node's failure detected), and with two at once the cores were idle for a third of the
// first four minutes while a collection of such waits ran beside one other (bench/README.md, "CI time").
[assembly: CollectionBehavior(MaxParallelThreads = 3)]

namespace EtlActors.IntegrationTests.Support;

/// <summary>
/// Starts the longest collections first. xunit runs three collections at once (above), in the order an orderer gives,
/// and its default order is a hash of their ids: it once started a six-minute cluster collection when the rest was
/// nearly done, and the run ended with one core idle for four minutes. Longest first keeps the cores busy; the short
/// classes fill in at the end.
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
