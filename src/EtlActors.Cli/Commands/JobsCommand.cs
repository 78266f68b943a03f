using System.CommandLine;
using EtlActors.Cli.Output;
using EtlActors.Cli.Remote;
using EtlActors.Contracts.Jobs;

namespace EtlActors.Cli.Commands;

/// <summary>`etl jobs …`: inspect jobs on a running cluster.</summary>
internal static class JobsCommand
{
    public static Command Create() => new("jobs", "Inspect jobs on a running cluster.") { Show() };

    private static Command Show()
    {
        var id = new Argument<string>("id") { Description = "The job's id (as `etl submit` printed it)." };
        var cluster = ClusterArguments.Cluster();
        var json = ClusterArguments.Json();
        var command = new Command("show", "Show a job's state, progress and the node running it.") { id, cluster, json };
        command.SetAction((result, cancellationToken) => ClusterArguments.RunAsync(async () =>
        {
            var jobId = new JobId(result.GetValue(id)!);
            await using var client = ClusterArguments.Connect(result.GetValue(cluster));
            var status = await client.GetAsync(jobId, cancellationToken);
            if (status.Spec is null)
            {
                Console.Error.WriteLine($"error: no job '{jobId}' in this cluster");
                return ExitCodes.Failed;
            }
            var view = JobView.Of(status);
            if (result.GetValue(json))
                Console.WriteLine(view.ToJson());
            else
                foreach (var line in view.ToLines())
                    Console.WriteLine(line);
            return ExitCodes.Completed;
        }));
        return command;
    }
}
