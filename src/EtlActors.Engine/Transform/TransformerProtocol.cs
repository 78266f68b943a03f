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

    public sealed record TransformedBatch(
        IReadOnlyList<ConversationRow> Conversations,
        IReadOnlyList<ParticipantRow> Participants,
        IReadOnlyList<MessageRow> Messages,
        IReadOnlyList<RawRecordRow> RawRecords,
        IReadOnlyList<QuarantineRow> Quarantined);
}
