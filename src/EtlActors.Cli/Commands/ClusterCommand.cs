using System.CommandLine;
using EtlActors.Cli.Output;
using EtlActors.Cli.Remote;
using EtlActors.Client;
using EtlActors.Contracts.Cluster;

namespace EtlActors.Cli.Commands;

/// <summary>`etl cluster …`: the membership, sharding and log levels of a running cluster, as `pbm cluster`, `pbm sharding` and `pbm log-level` give them.</summary>
internal static class ClusterCommand
{
    public static Command Create() => new("cluster", "Inspect and drive a running cluster's membership, sharding and log levels.")
    {
        Show(),
        Leave(),
        Down(),
        Shards(),
        LogLevel(),
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

    private static Command LogLevel()
    {
        var level = new Argument<string>("level") { Description = "Debug, Information (a node's default), Warning or Error; also debug, info, warn, error." };
        var node = new Option<string>("--node") { Description = "The member to set it on: host:port as `etl cluster show` lists it. Default: the node the command reaches, which it names." };
        var cluster = ClusterArguments.Cluster();
        var json = ClusterArguments.Json();
        var command = new Command("log-level", "Set the least level a node logs, its own lines and Akka's, until it restarts or is set again (admin).")
        {
            level, node, cluster, json,
        };
        command.SetAction((result, cancellationToken) => ClusterArguments.RunAsync(async () =>
        {
            var wanted = ParseLevel(result.GetValue(level)!);
            await using var client = ClusterArguments.Connect(result.GetValue(cluster));
            var set = await client.SetLogLevelAsync(wanted, result.GetValue(node), cancellationToken);
            Console.WriteLine(result.GetValue(json) ? ClusterViews.LogLevelJson(set) : $"{set.Address} logs {set.Level} and above (was {set.Previous})");
            return ExitCodes.Completed;
        }));
        return command;
    }

    /// <exception cref="ArgumentException">Not a level.</exception>
    private static NodeLogLevel ParseLevel(string text) => text.Trim().ToLowerInvariant() switch
    {
        "debug" => NodeLogLevel.Debug,
        "information" or "info" => NodeLogLevel.Information,
        "warning" or "warn" => NodeLogLevel.Warning,
        "error" => NodeLogLevel.Error,
        _ => throw new ArgumentException($"'{text}' is not a log level: use Debug, Information, Warning or Error"),
    };

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
