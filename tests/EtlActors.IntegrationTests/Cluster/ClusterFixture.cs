using EtlActors.IntegrationTests.CrashSafety;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Cluster;

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    // One class at a time: each runs a cluster of node processes on this machine's two cores.
    public const string Name = "cluster";
}

/// <summary>
/// The exports the cluster tests load, and the tables an uninterrupted `etl run` leaves for each:
/// a job that survived a lost node must end with exactly these.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int Messages = 200_000;
    public const int SmallMessages = 10_000;
    private readonly TempFolder _dir = new();

    /// <summary>The sources folder every node reads, as a shared volume would be.</summary>
    public string Export => _dir.File("export.tar");
    public string SmallExport => _dir.File("small.tar");
    public TableFingerprint Baseline { get; private set; } = null!;
    public TableFingerprint SmallBaseline { get; private set; } = null!;
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        SyntheticSkypeExport.Write(Export, new SyntheticExportOptions(Messages, 200, Seed: 11));
        SyntheticSkypeExport.Write(SmallExport, new SyntheticExportOptions(SmallMessages, 40, Seed: 12));
        Server = await PostgresServer.SharedAsync();
        Baseline = await BaselineAsync(Export, "cluster_baseline");
        SmallBaseline = await BaselineAsync(SmallExport, "cluster_small_baseline");
        Assert.Equal(Messages, Baseline.Messages);
        Assert.Equal(SmallMessages, SmallBaseline.Messages);
    }

    private async Task<TableFingerprint> BaselineAsync(string export, string name)
    {
        var db = await Server.CreateDatabaseAsync(name);
        var result = await EtlProcess.RunAsync(_dir.Path, "run", export, "--sink", db.Url, "--tenant", "acme", "--job-id", name);
        Assert.True(result.ExitCode == 0, result.ToString());
        return await TableFingerprint.ReadAsync(db.ConnectionString);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
