namespace EtlActors.Pipeline.Connectors.Skype.Transform;

/// <summary>Stable <c>quarantine.error_code</c> values for Skype records; users filter on them.</summary>
public static class SkypeErrorCodes
{
    public const string MissingMessageId = "missing_message_id";
    public const string MissingConversationId = "missing_conversation_id";
    public const string InvalidTimestamp = "invalid_timestamp";
    public const string InvalidRecord = "invalid_record";
}
