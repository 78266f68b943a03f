using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Transform;

/// <summary>Who is transforming: stamped on every row.</summary>
public sealed record TransformContext(string TenantId, string Source, string JobId, DateTimeOffset ExtractedAt);

/// <summary>Rows produced from a run of records; becomes (part of) a <see cref="LoadBatch"/>.</summary>
public sealed class TransformResult
{
    public List<ConversationRow> Conversations { get; } = [];
    public List<ParticipantRow> Participants { get; } = [];
    public List<MessageRow> Messages { get; } = [];
    public List<RawRecordRow> RawRecords { get; } = [];
    public List<QuarantineRow> Quarantined { get; } = [];

    public void AddRange(TransformResult other)
    {
        Conversations.AddRange(other.Conversations);
        Participants.AddRange(other.Participants);
        Messages.AddRange(other.Messages);
        RawRecords.AddRange(other.RawRecords);
        Quarantined.AddRange(other.Quarantined);
    }

    public LoadBatch ToBatch(string jobId, long firstOffset, long lastOffset) =>
        new(jobId, firstOffset, lastOffset, Conversations, Participants, Messages, RawRecords, Quarantined);
}
