using System.Globalization;

namespace EtlActors.Testing.Http;

/// <summary>
/// One record of the stub API's store. Every endpoint renders the same records in its own shape, so a test can
/// assert the rows a run loaded against <see cref="StubApi.Records"/> whichever endpoint it read.
/// </summary>
/// <param name="Id">Unique, stable across updates (Gong <c>metaData.id</c>, HubSpot <c>id</c>, Slack <c>client_msg_id</c>, items <c>id</c>).</param>
/// <param name="Conversation">The channel it belongs to (<c>C1</c>…<c>Cn</c>); Slack's <c>channel</c> parameter selects by it.</param>
/// <param name="AuthorId">The author's user id (<c>U0001</c>…).</param>
/// <param name="Author">The author's display name, "First Last".</param>
/// <param name="Text">The content; an update changes it.</param>
/// <param name="CreatedAt">When the record was created; never changes.</param>
/// <param name="UpdatedAt">When the record last changed: the sort key (with <see cref="Id"/>) and what every incremental filter compares.</param>
/// <param name="Version">1 when created, one more per update.</param>
/// <param name="ThreadTs">For a thread reply: the Slack <c>ts</c> its parent had when the reply was created.</param>
public sealed record StubRecord(
    long Id,
    string Conversation,
    string AuthorId,
    string Author,
    string Text,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version = 1,
    string? ThreadTs = null)
{
    /// <summary>
    /// The Slack <c>ts</c>: <see cref="UpdatedAt"/> as unix seconds with six decimals. It follows the update time (not
    /// the creation time) so that Slack's <c>oldest</c> filter finds updated messages like the other endpoints'
    /// filters do; the stable key of a message is <c>client_msg_id</c>.
    /// </summary>
    public string Ts => StubTime.SlackTs(UpdatedAt);

    /// <summary>The author's first name (HubSpot <c>firstname</c>).</summary>
    public string FirstName => Author.Split(' ', 2)[0];

    /// <summary>The author's last name (HubSpot <c>lastname</c>).</summary>
    public string LastName => Author.Split(' ', 2) is [_, var last] ? last : "";

    /// <summary>The author's address (HubSpot <c>email</c>, Gong party <c>emailAddress</c>).</summary>
    public string Email => $"{FirstName}.{LastName}@example.com".ToLowerInvariant();

    /// <summary>A UUID-shaped rendering of <see cref="Id"/> (Slack <c>client_msg_id</c>).</summary>
    public string ClientMsgId => $"00000000-0000-4000-8000-{Id:D12}";
}

/// <summary>How the stub writes and reads times, the same on every endpoint.</summary>
public static class StubTime
{
    /// <summary>ISO-8601 in UTC with milliseconds: <c>2024-05-01T10:00:00.000Z</c> (the store holds whole milliseconds).</summary>
    public static string Iso(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Drops what is finer than a millisecond, and the offset.</summary>
    public static DateTimeOffset ToMilliseconds(DateTimeOffset at) =>
        new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    /// <summary>Slack's <c>ts</c> form: <c>1714557600.000100</c>.</summary>
    public static string SlackTs(DateTimeOffset at)
    {
        var micros = (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        return string.Create(CultureInfo.InvariantCulture, $"{micros / 1_000_000}.{micros % 1_000_000:D6}");
    }

    /// <summary>Parses an ISO-8601 time; one without an offset is UTC.</summary>
    public static bool TryParseIso(string? text, out DateTimeOffset at) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);

    /// <summary>Parses unix seconds with an optional fraction (Slack's <c>oldest</c>).</summary>
    public static bool TryParseUnix(string? text, out DateTimeOffset at)
    {
        at = default;
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || seconds > 253_402_300_799m)
            return false;
        at = DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
        return true;
    }
}
