using EtlActors.Pipeline.Load;
using EtlActors.Testing;
using Npgsql;
using static EtlActors.Pipeline.Tests.Load.SampleRows;

namespace EtlActors.Pipeline.Tests.Load;

public sealed class PostgresServerTests
{
    [Fact]
    public async Task Each_database_is_fresh_and_reachable_by_its_url()
    {
        var server = await PostgresServer.SharedAsync();

        var first = await server.CreateDatabaseAsync("Server Tests!");
        var second = await server.CreateDatabaseAsync("Server Tests!");

        Assert.NotEqual(first.Name, second.Name);
        Assert.StartsWith("server_tests__", first.Name, StringComparison.Ordinal);
        Assert.Equal($"postgresql://postgres@127.0.0.1:{server.Port}/{first.Name}", first.Url);
        await using var sink = SinkFactory.Create(DatabaseAddress.Parse(first.Url));
        await sink.EnsureSchemaAsync(default);
        await using var connection = new NpgsqlConnection(second.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'etl'", connection);
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Committed_batches_survive_a_restart_and_the_sink_goes_on_after_one_failed_call()
    {
        if (Environment.GetEnvironmentVariable(PostgresServer.EnvironmentVariable) is { Length: > 0 })
        {
            var external = await PostgresServer.StartAsync();
            await Assert.ThrowsAsync<NotSupportedException>(external.RestartAsync);
            return;
        }
        await using var server = await PostgresServer.StartAsync();
        var database = await server.CreateDatabaseAsync("restart");
        await using var sink = SinkFactory.Create(DatabaseAddress.Parse(database.Url));
        await sink.EnsureSchemaAsync(default);
        await sink.LoadAsync(Batch(messages: [Message("c", "1")]), default);

        await server.RestartAsync();

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => sink.LoadAsync(Batch(messages: [Message("c", "2")]), default));
        await sink.LoadAsync(Batch(messages: [Message("c", "2")]), default);
        Assert.Equal(new SinkTotals(0, 0, 2, 0), await sink.GetTotalsAsync(Tenant, Source, Job, default));
    }
}
