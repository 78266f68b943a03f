using System.CommandLine;
using EtlActors.Cli.Output;
using EtlActors.Cli.Remote;
using EtlActors.Client;
using EtlActors.Contracts.Jobs;

namespace EtlActors.Cli.Commands;

/// <summary>`etl jobs …`: inspect and drive jobs on a running cluster.</summary>
internal static class JobsCommand
{
    public static Command Create() => new("jobs", "Inspect and drive jobs on a running cluster.")
    {
        Show(),
        List(),
        Watch(),
        Control("pause", "Pause a running or pending job at a checkpoint; `jobs resume` runs it again from there.", (c, id, ct) => c.PauseAsync(id, ct)),
        Control("resume", "Run a paused or failed job again from its checkpoint (it waits as Pending if its tenant is at its limit).", (c, id, ct) => c.ResumeAsync(id, ct)),
        Control("cancel", "Stop a job for good; rows already loaded stay.", (c, id, ct) => c.CancelAsync(id, ct)),
    };

    private static Argument<string> JobIdArgument() => new("id") { Description = "The job's id (as `etl submit` printed it)." };

    private static Command Show()
    {
        var id = JobIdArgument();
        var cluster = ClusterArguments.Cluster();
        var json = ClusterArguments.Json();
        var command = new Command("show", "Show a job's state, progress, rate, errors and the node running it.") { id, cluster, json };
        command.SetAction((result, cancellationToken) => ClusterArguments.RunAsync(async () =>
        {
            var jobId = new JobId(result.GetValue(id)!);
            await using var client = ClusterArguments.Connect(result.GetValue(cluster));
            var status = await client.GetAsync(jobId, cancellationToken);
            if (!status.Exists)
            {
                Console.Error.WriteLine($"error: no job '{jobId}' in this cluster");
                return ExitCodes.Failed;
            }
            Print(JobView.Of(status), result.GetValue(json));
            return ExitCodes.Completed;
        }));
        return command;
    }

    private static Command List()
    {
        var state = new Option<JobState?>("--state") { Description = "Only jobs in this state: Pending, Running, Paused, Completed, Failed or Cancelled." };
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant's jobs." };
        var cluster = ClusterArguments.Cluster();
        var json = ClusterArguments.Json();
        var command = new Command("list", "List the cluster's jobs, newest first.") { state, tenant, cluster, json };
        command.SetAction((result, cancellationToken) => ClusterArguments.RunAsync(async () =>
        {
            var filter = new JobFilter(result.GetValue(state), result.GetValue(tenant) is { } t ? TenantIds.Validate(t) : null);
            await using var client = ClusterArguments.Connect(result.GetValue(cluster));
            var jobs = (await client.ListAsync(filter, cancellationToken)).Select(JobView.Of).ToList();
            if (result.GetValue(json))
                Console.WriteLine(JobView.ToJson(jobs));
            else if (jobs.Count == 0)
                Console.WriteLine("no jobs");
            else
                JobTables.Write(jobs);
            return ExitCodes.Completed;
        }));
        return command;
    }

    private static Command Watch()
    {
        var id = JobIdArgument();
        var cluster = ClusterArguments.Cluster();
        var json = ClusterArguments.Json();
        var command = new Command(
            "watch",
            "Follow a job's progress until it ends. Exit code: 0 completed, 1 failed, 3 paused, 4 cancelled. With --json, one progress object per line.")
        { id, cluster, json };
        command.SetAction((result, cancellationToken) => ClusterArguments.RunAsync(async () =>
        {
            var jobId = new JobId(result.GetValue(id)!);
            await using var client = ClusterArguments.Connect(result.GetValue(cluster));
            var final = await JobWatch.FollowAsync(client.WatchAsync(jobId, cancellationToken), jobId, result.GetValue(json));
            return ExitCodes.For(final.State);
        }));
        return command;
    }

    private static Command Control(string name, string description, Func<EtlClient, JobId, CancellationToken, Task<JobStatus>> act)
    {
        var id = JobIdArgument();
        var cluster = ClusterArguments.Cluster();
        var json = ClusterArguments.Json();
        var command = new Command(name, description + " Prints the job's state after it.") { id, cluster, json };
        command.SetAction((result, cancellationToken) => ClusterArguments.RunAsync(async () =>
        {
            var jobId = new JobId(result.GetValue(id)!);
            await using var client = ClusterArguments.Connect(result.GetValue(cluster));
            var status = await act(client, jobId, cancellationToken);
            if (result.GetValue(json))
                Console.WriteLine(JobView.Of(status).ToJson());
            else
                Console.WriteLine($"job {jobId}: {status.State} at checkpoint {status.Checkpoint} ({status.Processed - status.Quarantined} loaded, {status.Quarantined} quarantined)");
            return ExitCodes.Completed;
        }));
        return command;
    }

    private static void Print(JobView view, bool json)
    {
        if (json)
            Console.WriteLine(view.ToJson());
        else
            foreach (var line in view.ToLines())
                Console.WriteLine(line);
    }
}
