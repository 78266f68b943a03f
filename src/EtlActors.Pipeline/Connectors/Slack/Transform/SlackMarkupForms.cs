using System.Globalization;
using System.Text;

namespace EtlActors.Pipeline.Connectors.Slack.Transform;

/// <summary>
/// One Slack <c>&lt;…&gt;</c> token as its visible text: <c>&lt;@U…|name&gt;</c>, <c>&lt;#C…|name&gt;</c>,
/// <c>&lt;!here&gt;</c>, <c>&lt;!subteam^S…|@team&gt;</c>, <c>&lt;!date^…|fallback&gt;</c>,
/// <c>&lt;url|label&gt;</c>. The label is everything after the first <c>|</c>; an empty label counts as none.
/// </summary>
internal static class SlackMarkupForms
{
    // DateTimeOffset.FromUnixTimeSeconds throws outside 0001-01-01 .. 9999-12-31.
    private const long MinUnixSeconds = -62_135_596_800;
    private const long MaxUnixSeconds = 253_402_300_799;

    /// <summary>
    /// Appends the visible text of the token whose inside is <paramref name="inner"/>; a token that
    /// would read as nothing (<c>&lt;&gt;</c>, <c>&lt;@&gt;</c>, <c>&lt;|&gt;</c>) is appended as
    /// <paramref name="whole"/>, so no text the sender typed disappears.
    /// </summary>
    public static void Append(StringBuilder sb, ReadOnlySpan<char> inner, ReadOnlySpan<char> whole, Func<string, string?> userName)
    {
        var bar = inner.IndexOf('|');
        var target = bar < 0 ? inner : inner[..bar];
        var label = bar < 0 ? ReadOnlySpan<char>.Empty : inner[(bar + 1)..];
        var written = target.IsEmpty ? AppendLink(sb, target, label)
            : target[0] switch
            {
                '@' => AppendUser(sb, target[1..], label, userName),
                '#' => AppendPrefixed(sb, '#', label, target[1..]),
                '!' => AppendCommand(sb, target[1..], label),
                _ => AppendLink(sb, target, label),
            };
        if (!written)
        {
            sb.Append(whole);
        }
    }

    private static bool AppendUser(StringBuilder sb, ReadOnlySpan<char> id, ReadOnlySpan<char> label, Func<string, string?> userName)
    {
        // The export's label is the name when the message was sent; users.json has the current one.
        var name = id.IsEmpty ? null : userName(id.ToString());
        if (string.IsNullOrEmpty(name))
        {
            return AppendPrefixed(sb, '@', label, id);
        }

        sb.Append('@').Append(name);
        return true;
    }

    /// <summary>
    /// <c>&lt;!here&gt;</c>, <c>&lt;!subteam^S…|@team&gt;</c>, <c>&lt;!date^…|fallback&gt;</c> and
    /// the forms Slack may add later (<c>&lt;!x|label&gt;</c> reads as the label, <c>&lt;!x&gt;</c> as <c>@x</c>).
    /// </summary>
    private static bool AppendCommand(StringBuilder sb, ReadOnlySpan<char> command, ReadOnlySpan<char> label)
    {
        var caret = command.IndexOf('^');
        var word = caret < 0 ? command : command[..caret];
        var argument = caret < 0 ? ReadOnlySpan<char>.Empty : command[(caret + 1)..];
        switch (word)
        {
            case "here" or "channel" or "everyone":
                // The label varies between exports ("here", "@here"); the broadcast is what was sent.
                sb.Append('@').Append(word);
                return true;
            case "subteam":
                var teamId = argument.IndexOf('^') is var end and >= 0 ? argument[..end] : argument;
                return AppendPrefixed(sb, '@', label, teamId.IsEmpty ? word : teamId);
            case "date" when label.IsEmpty:
                return AppendUnixTime(sb, argument);
        }

        if (!label.IsEmpty)
        {
            SlackMarkup.AppendDecoded(sb, label);
            return true;
        }

        return AppendPrefixed(sb, '@', label, command);
    }

    /// <summary>
    /// The label after <paramref name="prefix"/> (not doubled when the label carries it, as
    /// <c>@team</c> does), else the id after it; false when both are empty.
    /// </summary>
    private static bool AppendPrefixed(StringBuilder sb, char prefix, ReadOnlySpan<char> label, ReadOnlySpan<char> id)
    {
        var text = label.IsEmpty ? id : label;
        if (text.IsEmpty)
        {
            return false;
        }

        if (text[0] != prefix)
        {
            sb.Append(prefix);
        }

        SlackMarkup.AppendDecoded(sb, text);
        return true;
    }

    private static bool AppendLink(StringBuilder sb, ReadOnlySpan<char> url, ReadOnlySpan<char> label)
    {
        var text = label.IsEmpty ? url : label;
        if (text.IsEmpty)
        {
            return false;
        }

        // Slack escapes '&' inside URLs and labels too: "?a=1&amp;b=2".
        SlackMarkup.AppendDecoded(sb, text);
        return true;
    }

    /// <summary>
    /// A date token without its (normally required) fallback: the first <c>^</c> field is Unix
    /// seconds, shown in UTC; anything unreadable keeps the token as written.
    /// </summary>
    private static bool AppendUnixTime(StringBuilder sb, ReadOnlySpan<char> argument)
    {
        var end = argument.IndexOf('^');
        var seconds = end < 0 ? argument : argument[..end];
        if (!long.TryParse(seconds, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var unix)
            || unix < MinUnixSeconds || unix > MaxUnixSeconds)
        {
            return false;
        }

        sb.Append(DateTimeOffset.FromUnixTimeSeconds(unix).UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        return true;
    }
}
