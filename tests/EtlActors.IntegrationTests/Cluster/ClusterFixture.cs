using EtlActors.IntegrationTests.CrashSafety;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Cluster;

// The cluster tests are split in two collections of about six minutes each. Within a collection one class runs at a
// time (each starts up to four node processes); the two collections run beside each other and beside the rest. One
// collection of both took twelve minutes of a run, half of them with the other core idle (process accounting of a
// whole run, bench/README.md "CI time").

/// <summary>Nodes lost, killed, leaving or short of memory, and what a node logs and exports meanwhile.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster: node loss and operations";
}

/// <summary>Commands, clients and the CLI against a cluster: who may do what, over TLS, from which sources.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCommandsCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster: commands and security";
}

/// <summary>
/// The exports the cluster tests load, and the tables an uninterrupted `etl run` leaves for each:
/// a job that survived a lost node must end with exactly these. Both cluster collections share one set, made once.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int Messages = 200_000;
    public const int SmallMessages = 10_000;

    // xunit makes a fixture per collection; the exports and their baseline runs (a 200,000-message `etl run`) are made
    // once for both, and their folder goes when the test process exits.
    private static readonly Lazy<Task<Exports>> s_exports = new(Exports.CreateAsync);
    private Exports _exports = null!;

    /// <summary>The sources folder every node reads, as a shared volume would be.</summary>
    public string Export => _exports.Export;
    public string SmallExport => _exports.SmallExport;
    public TableFingerprint Baseline => _exports.Baseline;
    public TableFingerprint SmallBaseline => _exports.SmallBaseline;
    public PostgresServer Server => _exports.Server;

    public async Task InitializeAsync() => _exports = await s_exports.Value;

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Exports(string Export, string SmallExport, TableFingerprint Baseline, TableFingerprint SmallBaseline, PostgresServer Server)
    {
        public static async Task<Exports> CreateAsync()
        {
            var dir = new TempFolder();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => dir.Dispose();
            var export = dir.File("export.tar");
            var small = dir.File("small.tar");
            SyntheticSkypeExport.Write(export, new SyntheticExportOptions(Messages, 200, Seed: 11));
            SyntheticSkypeExport.Write(small, new SyntheticExportOptions(SmallMessages, 40, Seed: 12));
            var server = await PostgresServer.SharedAsync();
            var baseline = await BaselineAsync(server, dir, export, "cluster_baseline");
            var smallBaseline = await BaselineAsync(server, dir, small, "cluster_small_baseline");
            Assert.Equal(Messages, baseline.Messages);
            Assert.Equal(SmallMessages, smallBaseline.Messages);
            return new Exports(export, small, baseline, smallBaseline, server);
        }

        private static async Task<TableFingerprint> BaselineAsync(PostgresServer server, TempFolder dir, string export, string name)
        {
            var db = await server.CreateDatabaseAsync(name);
            var result = await EtlProcess.RunAsync(dir.Path, "run", export, "--sink", db.Url, "--tenant", "acme", "--job-id", name);
            Assert.True(result.ExitCode == 0, result.ToString());
            return await TableFingerprint.ReadAsync(db.ConnectionString);
        }
    }
}
