namespace EtlActors.Pipeline.Connectors.Slack.Extract;

/// <summary>The user ids a message's text mentions (<c>&lt;@U…&gt;</c>, <c>&lt;@W…|name&gt;</c>), for the reader to name.</summary>
internal static class SlackMentions
{
    public static IEnumerable<string> UserIds(string text)
    {
        var at = 0;
        while ((at = text.IndexOf("<@", at, StringComparison.Ordinal)) >= 0)
        {
            at += 2;
            var end = at;
            while (end < text.Length && char.IsAsciiLetterOrDigit(text[end]))
                end++;
            if (end > at && end < text.Length && text[end] is '>' or '|')
                yield return text[at..end];
            at = end;
        }
    }
}
