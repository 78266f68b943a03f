namespace EtlActors.Pipeline.Connectors.Files;

/// <summary>Stable error codes of quarantined file records (the quarantine table's <c>error_code</c>).</summary>
public static class FilesErrorCodes
{
    /// <summary>An NDJSON line that is not a JSON object.</summary>
    public const string InvalidJson = "invalid_json";

    /// <summary>A CSV record with more or fewer fields than the header.</summary>
    public const string WrongColumnCount = "wrong_column_count";

    /// <summary>A mapped value that is not of its column's declared type.</summary>
    public const string InvalidValue = "invalid_value";

    /// <summary>An NDJSON line longer than the reader holds (4 Mi characters).</summary>
    public const string RecordTooLong = "record_too_long";

    /// <summary>A record without a value for a key column (conversation_id, message_id, or the table's key).</summary>
    public const string MissingKey = "missing_key";
}
