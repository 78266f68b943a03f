using System.Net;
using System.Net.Sockets;
using EtlActors.Pipeline.Load;

namespace EtlActors.Pipeline.Tests.Load;

public sealed class ReachabilityTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_sqlite_sink_in_a_writable_folder_is_reachable_and_gets_its_tables()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("etl-reach-").FullName, "new", "etl.db");
        Assert.Null(await Reachability.CheckSinkAsync(DatabaseAddress.Parse($"sqlite:{file}"), Limit, CancellationToken.None));
        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task A_postgresql_server_that_is_not_there_is_named_without_its_password()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // a port nothing listens on

        var problem = await Reachability.CheckJournalAsync(DatabaseAddress.Parse($"postgresql://etl:s3cret@127.0.0.1:{port}/etl"), Limit, CancellationToken.None);

        Assert.NotNull(problem);
        Assert.StartsWith($"cannot reach the journal postgresql://etl@127.0.0.1:{port}/etl", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", problem, StringComparison.Ordinal);
    }
}
