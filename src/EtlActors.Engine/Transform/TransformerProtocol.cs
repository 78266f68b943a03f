using EtlActors.Pipeline.Records;

namespace EtlActors.Engine.Transform;

/// <summary>A message routed to the transformer entity of one (tenant, conversation).</summary>
public interface IWithPartitionKey
{
    string PartitionKey { get; }
}

/// <summary>Messages of the sharded "transformers" region. Batches, not single records, cross actor boundaries.</summary>
public static class TransformerProtocol
{
    /// <summary>Records of one conversation to normalise; replied to with <see cref="TransformedBatch"/>.</summary>
    public sealed record TransformBatch(
        string TenantId,
        string Source,
        string JobId,
        string ConversationId,
        DateTimeOffset ExtractedAt,
        IReadOnlyList<ExtractedRecord> Records) : IWithPartitionKey
    {
        public string PartitionKey => $"{TenantId}/{Source}/{ConversationId}";
    }

    /// <summary>
    /// Sent through the region after a batch's reply has arrived. An actor cell keeps the last
    /// envelope it processed, so the region, the shard and the entity would each keep the last
    /// TransformBatch and, through the asker, its whole reply, until the entity is passivated
    /// (measured: 370 MB live after a 300k-record job). This small message takes their place.
    /// </summary>
    public sealed record Release(string TenantId, string Source, string ConversationId) : IWithPartitionKey
    {
        public string PartitionKey => $"{TenantId}/{Source}/{ConversationId}";
    }

    public sealed record TransformedBatch(
        IReadOnlyList<ConversationRow> Conversations,
        IReadOnlyList<ParticipantRow> Participants,
        IReadOnlyList<MessageRow> Messages,
        IReadOnlyList<RawRecordRow> RawRecords,
        IReadOnlyList<QuarantineRow> Quarantined);
}
