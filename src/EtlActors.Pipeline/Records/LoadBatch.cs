namespace EtlActors.Pipeline.Records;

/// <summary>
/// Everything one batch of source records turned into; a sink writes it in one transaction.
/// <paramref name="FirstOffset"/>..<paramref name="LastOffset"/> are the source offsets it covers;
/// <paramref name="Tables"/> holds rows of tables a mapping names (null when there are none);
/// <paramref name="Position"/> is the connector's position after its last record (null when the ordinal suffices).
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
    IReadOnlyList<TableRowSet>? Tables = null,
    ReadPosition? Position = null)
{
    public int RowCount => Conversations.Count + Participants.Count + Messages.Count + RawRecords.Count + Quarantined.Count
        + (Tables?.Sum(t => t.Rows.Count) ?? 0);
}
