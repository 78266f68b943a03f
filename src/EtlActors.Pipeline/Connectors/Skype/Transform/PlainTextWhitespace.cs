using System.Text;

namespace EtlActors.Pipeline.Connectors.Skype.Transform;

/// <summary>
/// Tidies text left after markup removal: runs of spaces (from tags, indentation or <c>&amp;nbsp;</c>)
/// become one space, line breaks written by the sender stay, spaces around line breaks and at both
/// ends go, and NUL characters (which PostgreSQL text cannot hold) are dropped.
/// </summary>
internal static class PlainTextWhitespace
{
    public static string Normalize(string text)
    {
        if (IsNormal(text))
        {
            return text; // most messages: one copy fewer per message
        }

        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                continue;
            }

            if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                pendingSpace = false;
                sb.Append('\n');
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace && sb.Length > 0 && sb[^1] != '\n')
            {
                sb.Append(' ');
            }

            pendingSpace = false;
            sb.Append(c);
        }

        var start = 0;
        while (start < sb.Length && sb[start] == '\n')
        {
            start++;
        }

        var end = sb.Length;
        while (end > start && sb[end - 1] == '\n')
        {
            end--;
        }

        return sb.ToString(start, end - start);
    }

    // True when Normalize would return the text unchanged: no NUL or CR, no line break at either end, and every other
    // whitespace character is a single space between two characters that are not whitespace.
    private static bool IsNormal(string text)
    {
        if (text.Length > 0 && (text[0] == '\n' || text[^1] == '\n'))
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                continue;
            }

            if (c is '\0' or '\r')
            {
                return false;
            }

            if (char.IsWhiteSpace(c)
                && (c != ' ' || i == 0 || i == text.Length - 1 || char.IsWhiteSpace(text[i - 1]) || char.IsWhiteSpace(text[i + 1])))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// One line: every run of whitespace, line breaks included, becomes one space, and both ends are trimmed.
    /// For the parts of a one-line rendering (a poll's options, a contact's name), where a break would split it.
    /// </summary>
    public static string Collapse(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != ' ')
            {
                sb.Append(' ');
            }
        }

        return sb.ToString().TrimEnd();
    }
}
