namespace EtlActors.Pipeline.Records;

// Normalised rows of the data contract (DESIGN.md). Timestamps are UTC.

public sealed record ConversationRow(
    string TenantId,
    string Source,
    string ConversationId,
    string Kind,
    string? DisplayName,
    string? Topic,
    int? MemberCount,
    string? PropertiesJson);

/// <summary><paramref name="NameSeenAt"/> orders names so the last known one wins whatever the load order.</summary>
public sealed record ParticipantRow(
    string TenantId,
    string Source,
    string ParticipantId,
    string? DisplayName,
    DateTimeOffset? NameSeenAt);

/// <summary>
/// <paramref name="Revision"/> orders versions of the same message (Skype's <c>version</c>, or the
/// edit/delete time): the highest wins on upsert, so replays and duplicates converge.
/// <paramref name="ThreadId"/> is the message id of its thread's root (the root's own id for the root);
/// null where the source has no threads.
/// </summary>
public sealed record MessageRow(
    string TenantId,
    string Source,
    string ConversationId,
    string MessageId,
    string? SenderId,
    string? SenderName,
    DateTimeOffset? SentAt,
    string MessageType,
    string ContentText,
    string? ContentRaw,
    DateTimeOffset? EditedAt,
    DateTimeOffset? DeletedAt,
    string? PropertiesJson,
    long Revision,
    string JobId,
    string? ThreadId = null);

public sealed record RawRecordRow(
    string TenantId,
    string Source,
    string RecordKey,
    string Payload,
    string JobId,
    DateTimeOffset ExtractedAt);

public sealed record QuarantineRow(
    string JobId,
    long RecordOffset,
    string ErrorCode,
    string Message,
    string? Payload);
