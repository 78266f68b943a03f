using EtlActors.Testing;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Cli;

/// <summary>A one-node cluster for the CLI's tests, its journal in a fresh database of the shared server.</summary>
internal static class CliCluster
{
    public static async Task<LocalCluster> StartAsync(string journal) =>
        await LocalCluster.StartAsync(1, await (await PostgresServer.SharedAsync()).CreateDatabaseAsync(journal));
}
