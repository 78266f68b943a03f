using System.CommandLine;
using EtlActors.Cli.Output;
using EtlActors.Cli.Remote;
using EtlActors.Client;

namespace EtlActors.Cli.Commands;

/// <summary>`etl cluster …`: the membership and sharding of a running cluster, as `pbm cluster` and `pbm sharding` show them.</summary>
internal static class ClusterCommand
{
    public static Command Create() => new("cluster", "Inspect and drive a running cluster's membership and sharding.")
    {
        Show(),
        Leave(),
        Down(),
        Shards(),
    };

    private static Command Show() => Query("show", "List the members: address, status, roles, reachability, and the leader.", async (client, json, ct) =>
    {
        var state = await client.GetClusterAsync(ct);
        if (json)
            Console.WriteLine(ClusterViews.MembersJson(state));
        else
            ClusterViews.MembersTable(state);
    });

    private static Command Shards() => Query("shards", "List the shard regions (jobs, transformers): per node, their shards and entities.", async (client, json, ct) =>
    {
        var shards = await client.GetShardsAsync(ct);
        if (json)
            Console.WriteLine(ClusterViews.ShardsJson(shards));
        else
            ClusterViews.ShardsTable(shards);
    });

    private static Command Leave() => MemberCommand(
        "leave", "Ask a member to leave gracefully: it hands its shards and jobs over, then its node stops.",
        (client, address, ct) => client.LeaveAsync(address, ct));

    private static Command Down() => MemberCommand(
        "down", "Mark a member down (a node that is gone): it is removed and its shards and jobs start on the other nodes.",
        (client, address, ct) => client.DownAsync(address, ct));

    private static Command Query(string name, string description, Func<EtlClient, bool, CancellationToken, Task> run)
    {
        var cluster = ClusterArguments.Cluster();
        var json = ClusterArguments.Json();
        var command = new Command(name, description) { cluster, json };
        command.SetAction((result, cancellationToken) => ClusterArguments.RunAsync(async () =>
        {
            await using var client = ClusterArguments.Connect(result.GetValue(cluster));
            await run(client, result.GetValue(json), cancellationToken);
            return ExitCodes.Completed;
        }));
        return command;
    }

    private static Command MemberCommand(string name, string description, Func<EtlClient, string, CancellationToken, Task<Contracts.Cluster.ClusterProtocol.ClusterCommandDone>> run)
    {
        var address = new Argument<string>("address") { Description = "The member: host:port, or akka.ssl.tcp://etl@host:port as `etl cluster show` lists it." };
        var cluster = ClusterArguments.Cluster();
        var json = ClusterArguments.Json();
        var command = new Command(name, description) { address, cluster, json };
        command.SetAction((result, cancellationToken) => ClusterArguments.RunAsync(async () =>
        {
            await using var client = ClusterArguments.Connect(result.GetValue(cluster));
            var done = await run(client, result.GetValue(address)!, cancellationToken);
            Console.WriteLine(result.GetValue(json) ? ClusterViews.CommandJson(done) : done.Message);
            return ExitCodes.Completed;
        }));
        return command;
    }
}
