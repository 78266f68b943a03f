using System.Diagnostics;
using Akka.Actor;
using Akka.Hosting;
using EtlActors.Cli.Commands;
using EtlActors.Cli.Output;
using EtlActors.Contracts.Jobs;
using EtlActors.Engine;
using EtlActors.Engine.Jobs;
using EtlActors.Pipeline.Connectors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using static EtlActors.Contracts.Jobs.JobProtocol;

namespace EtlActors.Cli.Embedded;

/// <summary>Starts the engine in this process, submits the job, follows it to its end and reports.</summary>
internal sealed class EmbeddedRun(RunRequest request, EtlEngineOptions options, SourceConnectors connectors, ConsoleOutput console)
{
    // A poll is a local message. Short jobs (a sample, a test's export) end within their first second, when each
    // poll's wait adds to the run's wall time; longer ones only need the progress line refreshed.
    private static readonly TimeSpan FirstPollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan FirstPollsFor = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);
    // The job's first answer waits for its recovery from the journal, and on a fresh PostgreSQL database for the
    // journal's tables to be created.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SupervisorSilenceLimit = TimeSpan.FromMinutes(5);

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (await Preflight.CheckAsync(request, cancellationToken) is { } problem)
        {
            console.Error(problem);
            return ExitCodes.BadInput;
        }
        await using var journalLock = await JournalLock.AcquireAsync(request.Journal, Console.Error.WriteLine, cancellationToken);
        using var host = BuildHost();
        try
        {
            await host.StartAsync(cancellationToken);
            var jobs = host.Services.GetRequiredService<ActorRegistry>().Get<JobManager>();
            var accepted = await jobs.Ask<JobAccepted>(new StartJob(request.JobId, request.Spec), StartTimeout, cancellationToken);
            if (accepted.ResumedFromOffset > 0)
                console.Line($"Resuming job {request.JobId} from checkpoint at record {accepted.ResumedFromOffset}");
            else
                console.Line($"Job {request.JobId}: {request.Spec.SourcePath} -> {request.Spec.Sink} (tenant {request.Spec.TenantId})");

            using var signals = new StopSignals(() =>
            {
                Console.Error.WriteLine("Stopping: finishing in-flight batches and saving a checkpoint (Ctrl+C again to stop at once)");
                jobs.Tell(new PauseJob(request.JobId));
            });
            var status = await FollowAsync(jobs, host.Services.GetRequiredService<ActorSystem>(), cancellationToken);
            return Report(status, clock.Elapsed, accepted.ResumedFromOffset);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            console.Failure(ex);
            return ExitCodes.Failed;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
            await Log.CloseAndFlushAsync();
        }
    }

    private async Task<JobStatus> FollowAsync(IActorRef jobs, ActorSystem system, CancellationToken cancellationToken)
    {
        using var progress = console.StartProgress(request.JobId);
        var lastAnswer = Stopwatch.StartNew();
        var following = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var status = await jobs.Ask<JobStatus>(new GetJob(request.JobId), AskTimeout, cancellationToken);
                lastAnswer.Restart();
                progress.Update(status);
                if (status.IsFinished)
                    return status;
            }
            catch (AskTimeoutException) when (lastAnswer.Elapsed < SupervisorSilenceLimit && !system.WhenTerminated.IsCompleted)
            {
                // The supervisor restarts under backoff while its journal is unreachable: keep asking.
            }
            await Task.Delay(following.Elapsed < FirstPollsFor ? FirstPollInterval : PollInterval, cancellationToken);
        }
    }

    private int Report(JobStatus status, TimeSpan elapsed, long fromOffset)
    {
        if (status.State == JobState.Paused)
        {
            console.Line($"Paused job {status.JobId} at record {status.Checkpoint} (peak memory {PeakMemory.Describe()}).");
            console.Line("Run the same command again to resume from there.");
            return ExitCodes.Interrupted;
        }
        if (status.State != JobState.Completed)
        {
            console.Line($"Job {status.JobId} {status.State.ToString().ToLowerInvariant()} after {elapsed.TotalSeconds:0.0} s (peak memory {PeakMemory.Describe()}).");
            console.Error($"job {status.JobId} {status.State.ToString().ToLowerInvariant()}: {status.Error}");
            return ExitCodes.Failed;
        }
        console.Summary(status, elapsed, status.Processed - fromOffset);
        return ExitCodes.Completed;
    }

    private IHost BuildHost()
    {
        Log.Logger = console.CreateLogger();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSerilog();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.AddEtlEngine(
            options,
            console.Verbose ? Akka.Event.LogLevel.InfoLevel : Akka.Event.LogLevel.WarningLevel,
            connectors,
            akka => akka.AddHocon(EmbeddedAkkaSettings.Hocon, HoconAddMode.Prepend),
            EngineTopology.SingleProcess);
        return builder.Build();
    }
}
