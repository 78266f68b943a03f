using System.Text;

namespace EtlActors.Pipeline.Connectors.Slack.Transform;

/// <summary>
/// Slack message text as plain text (<c>messages.content_text</c>, DESIGN.md): mentions, channel
/// links, broadcasts, dates and links read as a person sees them in Slack, and Slack's three escapes
/// decoded. Emoji codes and formatting markers (<c>*bold*</c>, <c>_italic_</c>, <c>~strike~</c>,
/// backticks) are kept as written.
/// </summary>
public static class SlackMarkup
{
    /// <summary>
    /// Slack message text (mrkdwn with Slack's escapes) as the plain text a person reads.
    /// <paramref name="userName"/> returns the display name of a user id (e.g. <c>U024BE7LH</c>) or
    /// null when unknown; it is called once per user mention. Returns <c>""</c> for null or empty
    /// text and the same instance when the text has no <c>&lt;</c> and no <c>&amp;</c>. Never throws
    /// on any text; throws <see cref="ArgumentNullException"/> when <paramref name="userName"/> is null.
    /// </summary>
    public static string ToPlainText(string? text, Func<string, string?> userName)
    {
        ArgumentNullException.ThrowIfNull(userName);
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var rest = text.AsSpan();
        var first = rest.IndexOfAny('<', '&');
        if (first < 0)
        {
            // Most messages: no allocation at all.
            return text;
        }

        var sb = new StringBuilder(text.Length);
        sb.Append(rest[..first]);
        rest = rest[first..];
        while (!rest.IsEmpty)
        {
            var open = rest.IndexOf('<');
            if (open < 0)
            {
                AppendDecoded(sb, rest);
                break;
            }

            // Entities are decoded only in text outside tokens (and inside a token's own parts), so
            // an escaped "&lt;@U1&gt;" stays text and is never read as a mention.
            AppendDecoded(sb, rest[..open]);
            rest = rest[open..];
            var close = TokenEnd(rest);
            if (close < 0)
            {
                sb.Append('<');
                rest = rest[1..];
                continue;
            }

            SlackMarkupForms.Append(sb, rest[1..close], rest[..(close + 1)], userName);
            rest = rest[(close + 1)..];
        }

        return sb.ToString();
    }

    /// <summary>
    /// Index of the <c>&gt;</c> closing the token that starts at <c>s[0]</c>, or -1 when that
    /// <c>&lt;</c> is literal. Slack never puts a raw <c>&lt;</c> or a line break inside a token, so
    /// either one ends the search: a stray <c>&lt;</c> (from a bot or an import that did not escape)
    /// cannot swallow text up to a <c>&gt;</c> lines later, and each character is searched at most
    /// once, keeping the scan linear.
    /// </summary>
    private static int TokenEnd(ReadOnlySpan<char> s)
    {
        var i = s[1..].IndexOfAny('<', '>', '\n');
        return i >= 0 && s[i + 1] == '>' ? i + 1 : -1;
    }

    /// <summary>
    /// Appends <paramref name="s"/> with <c>&amp;amp;</c>, <c>&amp;lt;</c> and <c>&amp;gt;</c> decoded, once
    /// (so <c>&amp;amp;lt;</c> reads <c>&amp;lt;</c>). Slack escapes only these three; any other
    /// <c>&amp;…;</c> was typed by the sender and stays.
    /// </summary>
    internal static void AppendDecoded(StringBuilder sb, ReadOnlySpan<char> s)
    {
        while (true)
        {
            var amp = s.IndexOf('&');
            if (amp < 0)
            {
                sb.Append(s);
                return;
            }

            sb.Append(s[..amp]);
            s = s[amp..];
            if (s.StartsWith("&amp;"))
            {
                sb.Append('&');
                s = s[5..];
            }
            else if (s.StartsWith("&lt;"))
            {
                sb.Append('<');
                s = s[4..];
            }
            else if (s.StartsWith("&gt;"))
            {
                sb.Append('>');
                s = s[4..];
            }
            else
            {
                sb.Append('&');
                s = s[1..];
            }
        }
    }
}
