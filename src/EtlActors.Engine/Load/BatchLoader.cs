using Akka.Actor;
using Akka.Event;
using EtlActors.Contracts.Jobs;
using EtlActors.Engine.Logging;
using EtlActors.Engine.Telemetry;
using EtlActors.Pipeline.Load;
using EtlActors.Pipeline.Records;

namespace EtlActors.Engine.Load;

/// <summary>
/// Owns one job's connection to its sink and writes batches, one transaction each, in the order
/// asked. A failed write is answered with Status.Failure (so the asking stream fails at once) and
/// then rethrown, so the parent restarts this actor with a fresh connection.
/// </summary>
public sealed class BatchLoader : ReceiveActor
{
    public sealed record Load(LoadBatch Batch) : INoSerializationVerificationNeeded;

    /// <summary>A batch is in the sink, which took <paramref name="Took"/>; <paramref name="Position"/> is the connector's position after it, when it has one.</summary>
    public sealed record Loaded(long FirstOffset, long LastOffset, long Records, long Quarantined, ReadPosition? Position = null, TimeSpan Took = default) : INoSerializationVerificationNeeded;

    /// <summary>Recomputes aggregates and counts the rows (and those of a mapping's <paramref name="Table"/>); replied to with <see cref="Finished"/>.</summary>
    public sealed record Finish(string TenantId, string Source, string JobId, string? Table = null) : INoSerializationVerificationNeeded;

    public sealed record Finished(JobTotals Totals) : INoSerializationVerificationNeeded;

    private readonly Func<ISink> _createSink;
    private readonly JobId _jobId;
    private readonly string _tenantId;
    private ISink? _sink;
    // Cancelled when the actor stops, so an in-flight command ends (and its transaction rolls back)
    // before the connection is closed; otherwise its row locks could block the next run's loaders.
    private readonly CancellationTokenSource _stopping = new();

    public BatchLoader(Func<ISink> createSink, JobId jobId, string tenantId)
    {
        _createSink = createSink;
        _jobId = jobId;
        _tenantId = tenantId;

        ReceiveAsync<Load>(load => ReplyAsync(async sink =>
        {
            var took = System.Diagnostics.Stopwatch.StartNew();
            await sink.LoadAsync(load.Batch, _stopping.Token);
            EngineMetrics.BatchLoaded(took.Elapsed);
            var b = load.Batch;
            return new Loaded(b.FirstOffset, b.LastOffset, b.LastOffset - b.FirstOffset + 1, b.Quarantined.Count, b.Position, took.Elapsed);
        }));

        ReceiveAsync<Finish>(finish => ReplyAsync(async sink =>
        {
            await sink.FinalizeAsync(finish.TenantId, finish.Source, _stopping.Token);
            var t = await sink.GetTotalsAsync(finish.TenantId, finish.Source, finish.JobId, _stopping.Token);
            var rows = finish.Table is null ? 0 : await sink.CountTableRowsAsync(finish.Table, finish.TenantId, finish.Source, finish.JobId, _stopping.Token);
            return new Finished(new JobTotals(t.Conversations, t.Participants, t.Messages, t.Quarantined, finish.Table, rows));
        }));
    }

    /// <param name="createSink">Opens the connection, on the first batch and after each restart.</param>
    /// <param name="jobId">The job it loads for, on its log lines.</param>
    /// <param name="tenantId">The job's tenant, on its log lines.</param>
    public static Props Props(Func<ISink> createSink, JobId jobId, string tenantId) => Akka.Actor.Props.Create(() => new BatchLoader(createSink, jobId, tenantId));

    /// <summary>A logger for one line: with the job's id and tenant, at the level last set (see <see cref="JobLogging"/>).</summary>
    private ILoggingAdapter JobLog => Context.GetLogger().ForJob(_jobId, _tenantId);

    private async Task<ISink> SinkAsync()
    {
        if (_sink is not null)
            return _sink;
        var sink = _createSink();
        try
        {
            await sink.EnsureSchemaAsync(_stopping.Token);
        }
        catch
        {
            await sink.DisposeAsync();
            throw;
        }
        JobLog.Info("loading into {0}", sink.Description);
        return _sink = sink;
    }

    private async Task ReplyAsync(Func<ISink, Task<object>> work)
    {
        var asker = Sender;
        try
        {
            asker.Tell(await work(await SinkAsync()));
        }
        catch (Exception ex)
        {
            // The asker must hear of the failure now, not at its timeout; the rethrow restarts us with a fresh connection.
            asker.Tell(new Status.Failure(ex));
            throw;
        }
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        try
        {
            // Quick (a connection close); blocking here keeps the connection from outliving the actor.
            _sink?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            JobLog.Warning("closing the sink connection failed: {0}", ex.Message);
        }
        _sink = null;
    }
}
