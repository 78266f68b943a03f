using Akka.Actor;
using Akka.Event;
using EtlActors.Engine.Logging;
using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Transform;
using EtlActors.Pipeline.Connectors;
using static EtlActors.Engine.Transform.TransformerProtocol;

namespace EtlActors.Engine.Transform;

/// <summary>
/// The sharded entity for one (tenant, source, conversation): normalises that conversation's records.
/// It keeps no state that could suppress a row: after a crash a batch is transformed again from its
/// records alone, which is what makes replay safe.
/// </summary>
public sealed class ConversationTransformer : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SourceConnectors _connectors;
    private long _transformed;

    public ConversationTransformer(SourceConnectors connectors)
    {
        _connectors = connectors;
        Receive<TransformBatch>(batch =>
        {
            var context = new TransformContext(batch.TenantId, batch.Source, batch.JobId, batch.ExtractedAt, batch.Mapping);
            var result = new TransformResult();
            // Across the wire, a raw row that is its record's payload as the asker sent it goes back empty: that echo was
            // 45% of a reply's bytes, serialised, sent (and with TLS encrypted) for nothing. A local reply costs nothing.
            var echoes = batch.SendsEchoes && Sender.Path.Address.HasGlobalScope ? new List<int>() : null;
            var rows = new TransformResult(); // one record's rows, emptied after each
            for (var i = 0; i < batch.Records.Count; i++)
                Normalize(batch.Records[i], i, context, rows, result, echoes);
            _transformed += batch.Records.Count;
            Sender.Tell(new TransformedBatch(result.Conversations, result.Participants, result.Messages, result.RawRecords, result.Quarantined,
                result.Tables.Count == 0 ? null : result.Tables, echoes));
        });
        Receive<Release>(ReleaseLastBatch);
    }

    // Nothing to do: receiving Release is the work. The cell keeps its last message (and, through the asker, the whole
    // reply) until the next one arrives, so this small message takes the batch's place; see TransformerProtocol.Release.
    private static void ReleaseLastBatch(Release release)
    {
    }

    public static Props Props(SourceConnectors connectors) => Akka.Actor.Props.Create(() => new ConversationTransformer(connectors));

    // One bad record must not fail the batch: anything the normaliser did not foresee is quarantined too.
    // The record's rows go to the batch's result only when it is normalised without a throw: a throw half-way must
    // leave no partial rows behind.
    private void Normalize(ExtractedRecord record, int index, TransformContext context, TransformResult rows, TransformResult result, List<int>? echoes)
    {
        rows.Clear();
        try
        {
            _connectors.Get(context.Source).Normalize(record, context, rows);
            if (echoes is not null)
            {
                for (var i = 0; i < rows.RawRecords.Count; i++)
                {
                    var echo = rows.RawRecords[i].Payload == record.Payload;
                    echoes.Add(echo ? index : -1);
                    if (echo)
                        rows.RawRecords[i] = rows.RawRecords[i] with { Payload = "" };
                }
            }
            result.AddRange(rows);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _log.ForJob(context.JobId, context.TenantId).Warning("record {0} of job {1} could not be transformed: {2}", record.Offset, context.JobId, ex.Message);
            result.Quarantined.Add(new QuarantineRow(context.JobId, record.Offset, "transform_error", ex.Message, record.Payload));
        }
    }

    protected override void PostStop()
    {
        _log.Debug("transformer {0} stopping after {1} records", Self.Path.Name, _transformed);
        base.PostStop();
    }
}
