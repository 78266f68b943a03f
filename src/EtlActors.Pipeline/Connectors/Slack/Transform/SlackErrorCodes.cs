namespace EtlActors.Pipeline.Connectors.Slack.Transform;

/// <summary>Stable <c>quarantine.error_code</c> values for Slack records; users filter on them.</summary>
public static class SlackErrorCodes
{
    public const string InvalidDayFile = "invalid_day_file";
    public const string InvalidRecord = "invalid_record";
    public const string MissingId = "missing_id";
    public const string MissingTimestamp = "missing_ts";
    public const string InvalidTimestamp = "invalid_ts";
}
