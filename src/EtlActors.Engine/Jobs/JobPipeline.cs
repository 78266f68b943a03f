using Akka.Streams;
using Akka.Actor;
using Akka.Streams.Dsl;
using EtlActors.Engine.Load;
using EtlActors.Engine.Memory;
using EtlActors.Engine.Telemetry;
using EtlActors.Pipeline.Connectors;
using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Transform;
using static EtlActors.Engine.Transform.TransformerProtocol;

namespace EtlActors.Engine.Jobs;

/// <summary>
/// The stream of one job run: extract → batch → transform (sharded, per conversation) → load.
/// SelectAsync keeps batches in source order, so each loaded batch's last offset + 1 is a
/// contiguous checkpoint; its parallelism bounds what is in flight (back-pressure end to end).
/// </summary>
internal static class JobPipeline
{
    public sealed record Run(string JobId, string TenantId, ISourceConnector Connector, SourceRead Read, PhaseClock Clock, ThrottledIntake Intake)
    {
        public string Source => Connector.Kind;

        public long FromOffset => Read.FromOffset;

        public string? Mapping => Read.Mapping;
    }

    /// <summary>The stream, materialising the switch that stops intake (pause) or fails the run (error budget).</summary>
    public static Source<BatchLoader.Loaded, UniqueKillSwitch> Create(
        Run run, IActorRef transformers, IReadOnlyList<IActorRef> loaders, EtlEngineOptions settings, CancellationToken cancellationToken)
    {
        var next = 0L;
        var tags = EngineMetrics.JobTags(run.TenantId, run.Source);
        var records = Source.From(() => run.Clock.Timed(run.Connector.ReadAsync(run.Read, cancellationToken), cancellationToken))
            .ViaMaterialized(KillSwitches.Single<ExtractedRecord>(), Keep.Right)
            .Where(r => r.Offset >= run.FromOffset); // a connector that cannot seek may still hand over earlier records
        return Batches(records, run.Connector.ReadsPages, settings, run.Intake.Weight)
            .SelectAsync(1, run.Intake.EnterAsync)
            .Select(batch =>
            {
                EngineMetrics.RecordsExtracted(batch.Count, tags);
                run.Clock.Extracted(batch.Count);
                return batch;
            })
            .SelectAsync(settings.TransformParallelism, async batch =>
            {
                var took = System.Diagnostics.Stopwatch.StartNew();
                var transformed = await TransformAsync(run, batch, transformers, settings.AskTimeout);
                run.Clock.Transformed(batch.Count, transformed.Quarantined.Count, took.Elapsed);
                EngineMetrics.RecordsTransformed(batch.Count - transformed.Quarantined.Count, transformed.Quarantined.Select(q => q.ErrorCode), tags);
                return transformed;
            })
            .SelectAsync(loaders.Count, batch => loaders[(int)(next++ % loaders.Count)].Ask<BatchLoader.Loaded>(new BatchLoader.Load(batch), settings.AskTimeout))
            .Select(loaded =>
            {
                run.Intake.Left();
                EngineMetrics.RecordsLoaded(loaded.Records, loaded.Quarantined, tags);
                run.Clock.Loaded(loaded.Records, loaded.Took);
                return loaded;
            });
    }

    /// <summary>
    /// Bounded by count and by bytes (a few huge records must not make a huge batch), and by time, so a slow source
    /// still loads, and shows progress, every second. A paged source's batches end with its pages instead: the
    /// page is in memory already, and its reader waits for the page's checkpoint before it fetches the next.
    /// <paramref name="weight"/> is read per record, so batches shrink as soon as the memory guard throttles.
    /// </summary>
    private static Source<List<ExtractedRecord>, UniqueKillSwitch> Batches(
        Source<ExtractedRecord, UniqueKillSwitch> records, bool paged, EtlEngineOptions settings, Func<ExtractedRecord, long> weight)
    {
        if (!paged)
            return records
                .GroupedWeightedWithin(settings.MaxBatchBytes, settings.BatchSize, TimeSpan.FromSeconds(1), weight)
                .Select(batch => batch.ToList());
        return (Source<List<ExtractedRecord>, UniqueKillSwitch>)records
            .SplitAfter(r => r.Position is { EndsPage: true })
            .GroupedWeightedWithin(settings.MaxBatchBytes, settings.BatchSize, TimeSpan.FromSeconds(1), weight)
            .Select(batch => batch.ToList())
            .MergeSubstreams();
    }

    private static async Task<LoadBatch> TransformAsync(Run run, List<ExtractedRecord> records, IActorRef transformers, TimeSpan timeout)
    {
        var extractedAt = DateTimeOffset.UtcNow;
        var asks = records
            .GroupBy(r => r.ConversationId)
            .Select(async g =>
            {
                var group = g.ToList();
                var reply = await transformers.Ask<TransformedBatch>(
                    new TransformBatch(run.TenantId, run.Source, run.JobId, g.Key, extractedAt, group, run.Mapping, SendsEchoes: true), timeout);
                return reply.WithEchoes(group);
            });
        var parts = await Task.WhenAll(asks);
        foreach (var conversation in records.Select(r => r.ConversationId).Distinct())
            transformers.Tell(new Release(run.TenantId, run.Source, conversation));
        var result = new TransformResult();
        foreach (var part in parts)
        {
            result.Conversations.AddRange(part.Conversations);
            result.Participants.AddRange(part.Participants);
            result.Messages.AddRange(part.Messages);
            result.RawRecords.AddRange(part.RawRecords);
            result.Quarantined.AddRange(part.Quarantined);
            foreach (var set in part.Tables ?? [])
                result.AddTableRows(set.Table, set.Rows);
        }
        return result.ToBatch(run.JobId, records[0].Offset, records[^1].Offset) with { Position = records[^1].Position };
    }
}
