namespace EtlActors.Pipeline.Records;

/// <summary>
/// Everything one batch of source records turned into; a sink writes it in one transaction.
/// <paramref name="FirstOffset"/>..<paramref name="LastOffset"/> are the source offsets it covers;
/// <paramref name="Tables"/> holds rows of tables a mapping names (null when there are none).
/// </summary>
public sealed record LoadBatch(
    string JobId,
    long FirstOffset,
    long LastOffset,
    IReadOnlyList<ConversationRow> Conversations,
    IReadOnlyList<ParticipantRow> Participants,
    IReadOnlyList<MessageRow> Messages,
    IReadOnlyList<RawRecordRow> RawRecords,
    IReadOnlyList<QuarantineRow> Quarantined,
    IReadOnlyList<TableRowSet>? Tables = null)
{
    public int RowCount => Conversations.Count + Participants.Count + Messages.Count + RawRecords.Count + Quarantined.Count
        + (Tables?.Sum(t => t.Rows.Count) ?? 0);
}
