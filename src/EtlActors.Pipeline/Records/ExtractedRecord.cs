namespace EtlActors.Pipeline.Records;

/// <summary>What a record in the source is: a conversation's own fields, or one message of it.</summary>
public enum RecordKind
{
    Conversation = 1,
    Message = 2,
    /// <summary>A person or bot from the source's directory (Slack's <c>users.json</c>).</summary>
    Participant = 3,
}

/// <summary>
/// One record as the extractor read it. <paramref name="Offset"/> is its ordinal in the source
/// (0-based, stable across runs over the same file), so a resumed job can skip what is loaded.
/// <paramref name="ConversationId"/> is the enclosing conversation's id (routing key for the
/// transformer); <paramref name="Payload"/> is the record's JSON text exactly as in the source
/// (for a conversation: its fields without <c>MessageList</c>).
/// <paramref name="Hints"/> are what the reader knows that the payload does not say and the normaliser
/// needs, since it sees one record alone (a Slack message's file, the display names of the users it
/// mentions); null when there are none.
/// <paramref name="Position"/> is where a reader continues after this record when its ordinal alone cannot say
/// (a page cursor of an HTTP API); null for sources read from the start and skipped to the ordinal.
/// </summary>
public sealed record ExtractedRecord(
    long Offset, RecordKind Kind, string ConversationId, string Payload, IReadOnlyDictionary<string, string>? Hints = null,
    ReadPosition? Position = null);

/// <summary>
/// A connector's own position after a record: <paramref name="Token"/> is opaque to the engine, persisted with the
/// checkpoint and handed back in <c>SourceRead.Resume</c>. <paramref name="EndsPage"/> marks the last record of a
/// page the reader fetched: the engine loads and checkpoints the page as one batch (split when it is larger than a
/// batch), so a resumed job fetches again at most the page that was in flight.
/// </summary>
public sealed record ReadPosition(string Token, bool EndsPage);
