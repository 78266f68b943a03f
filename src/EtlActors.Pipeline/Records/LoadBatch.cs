namespace EtlActors.Pipeline.Records;

/// <summary>
/// Everything one batch of source records turned into; a sink writes it in one transaction.
/// <paramref name="FirstOffset"/>..<paramref name="LastOffset"/> are the source offsets it covers.
/// </summary>
public sealed record LoadBatch(
    string JobId,
    long FirstOffset,
    long LastOffset,
    IReadOnlyList<ConversationRow> Conversations,
    IReadOnlyList<ParticipantRow> Participants,
    IReadOnlyList<MessageRow> Messages,
    IReadOnlyList<RawRecordRow> RawRecords,
    IReadOnlyList<QuarantineRow> Quarantined)
{
    public int RowCount => Conversations.Count + Participants.Count + Messages.Count + RawRecords.Count + Quarantined.Count;
}
