using System.Globalization;
using EtlActors.Client;
using EtlActors.Contracts.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EtlActors.Samples.JobWatcher;

/// <summary>The process's exit codes, for scripts and schedulers.</summary>
public static class ExitCodes
{
    public const int Completed = 0;
    /// <summary>The job failed, was cancelled or paused, or the cluster could not be reached or stopped answering.</summary>
    public const int NotCompleted = 1;
    public const int BadConfiguration = 2;
    /// <summary>Stopped (Ctrl+C, SIGTERM) before the job ended; the job goes on in the cluster.</summary>
    public const int Interrupted = 3;
}

/// <summary>
/// Submits the configured job, logs its progress until it ends, then stops the application with an
/// exit code that tells how it ended.
/// </summary>
public sealed class JobWatcher(
    IServiceProvider services,
    IOptions<JobOptions> job,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _log = loggers.CreateLogger("job-watcher");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Environment.ExitCode = await RunAsync(stoppingToken);
        lifetime.StopApplication();
    }

    private async Task<int> RunAsync(CancellationToken stoppingToken)
    {
        JobId id;
        JobSpec spec;
        EtlClient client;
        try
        {
            (id, spec) = job.Value.ToJob();
            // Resolved here rather than injected: Connect rejects missing or malformed contacts, and
            // that is reported like any other setting instead of as a host that failed to start.
            client = services.GetRequiredService<EtlClient>();
        }
        catch (ArgumentException ex)
        {
            _log.LogError("bad configuration: {Reason}", ex.Message);
            return ExitCodes.BadConfiguration;
        }

        var submitted = false;
        try
        {
            var accepted = await client.SubmitAsync(id, spec, stoppingToken);
            submitted = true;
            _log.LogInformation("submitted job {JobId}: {Source} to {Sink} for tenant {Tenant} ({State}{Resumed})",
                id, spec.SourcePath, spec.Sink is "" ? "the cluster's default sink" : spec.Sink, spec.TenantId, accepted.State,
                accepted.ResumedFromOffset > 0 ? $", resuming at record {accepted.ResumedFromOffset}" : "");

            JobProgress? last = null;
            await foreach (var progress in client.WatchAsync(id, stoppingToken))
            {
                _log.LogInformation("job {JobId} {State}: {Processed} records processed, {Rate} records/s, {Quarantined} quarantined, node {Node}",
                    id, progress.State, progress.Processed, Rate(progress.RecordsPerSecond), progress.Quarantined, progress.Node ?? "?");
                last = progress;
            }
            return Finished(id, last!.Status);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            if (submitted)
                _log.LogWarning("stopped watching job {JobId}; it goes on in the cluster", id);
            else
                _log.LogWarning("stopped while submitting job {JobId}; the cluster may have started it", id);
            return ExitCodes.Interrupted;
        }
        catch (EtlClientException ex)
        {
            _log.LogError("job {JobId}: {Reason}", id, ex.Message);
            return ExitCodes.NotCompleted;
        }
    }

    /// <summary>Logs the final line a person or a log search looks for, and picks the exit code.</summary>
    private int Finished(JobId id, JobStatus status)
    {
        switch (status.State)
        {
            case JobState.Completed:
                var totals = status.Totals;
                _log.LogInformation("job {JobId} Completed: {Processed} records, {Messages} messages, {Conversations} conversations, {Participants} participants, {Quarantined} quarantined",
                    id, status.Processed, totals?.Messages, totals?.Conversations, totals?.Participants, status.Quarantined);
                return ExitCodes.Completed;
            case JobState.Failed:
                _log.LogError("job {JobId} Failed: {Error}", id, status.Error);
                return ExitCodes.NotCompleted;
            default:
                _log.LogWarning("job {JobId} {State} at record {Checkpoint}; submitting it again resumes it", id, status.State, status.Checkpoint);
                return ExitCodes.NotCompleted;
        }
    }

    private static string Rate(double? recordsPerSecond) =>
        recordsPerSecond is { } rate ? rate.ToString("0", CultureInfo.InvariantCulture) : "-";
}
