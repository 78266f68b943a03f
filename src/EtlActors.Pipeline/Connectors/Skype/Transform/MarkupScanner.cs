using System.Net;

namespace EtlActors.Pipeline.Connectors.Skype.Transform;

/// <summary>
/// Splits Skype message markup into text and tags.
/// </summary>
/// <remarks>
/// Hand-written rather than System.Xml because Skype content is HTML-ish, not XML: bare <c>&amp;</c>,
/// stray <c>&lt;</c>, unquoted attributes and unclosed tags all occur, and an XmlReader would throw on
/// the first of them. Rather than a regex, because the scanner never backtracks: each character is
/// looked at a bounded number of times, so hostile input (a megabyte of <c>&lt;</c>) stays linear.
/// Rules, after the HTML tokenizer: <c>&lt;</c> starts a tag only before a letter (or <c>/</c>+letter,
/// <c>!</c>, <c>?</c>); otherwise it is text. Markup still open at the end of input is kept as text,
/// so a message that merely contains <c>a&lt;b</c> is not swallowed.
/// </remarks>
internal static class MarkupScanner
{
    public static IEnumerable<MarkupToken> Tokenize(string markup)
    {
        var textStart = 0;
        var i = 0;
        while (i < markup.Length)
        {
            var lt = markup.IndexOf('<', i);
            if (lt < 0)
            {
                break;
            }

            var end = TryReadMarkup(markup, lt, out var token);
            if (end == NotMarkup)
            {
                i = lt + 1;
                continue;
            }

            if (end == Unterminated)
            {
                break;
            }

            if (lt > textStart)
            {
                yield return Text(markup, textStart, lt);
            }

            if (token is { } t)
            {
                yield return t;
            }

            textStart = i = end;
        }

        if (textStart < markup.Length)
        {
            yield return Text(markup, textStart, markup.Length);
        }
    }

    private const int NotMarkup = -1;
    private const int Unterminated = -2;

    private static MarkupToken Text(string markup, int start, int end) =>
        MarkupToken.Text(markup, start, end - start, decode: markup.AsSpan(start, end - start).Contains('&'));

    /// <returns>The index after the markup, <see cref="NotMarkup"/> or <see cref="Unterminated"/>.
    /// <paramref name="token"/> is null for markup that carries nothing (comments, declarations).</returns>
    private static int TryReadMarkup(string s, int lt, out MarkupToken? token)
    {
        token = null;
        var next = lt + 1 < s.Length ? s[lt + 1] : '\0';
        if (char.IsAsciiLetter(next))
        {
            return ReadStartTag(s, lt + 1, out token);
        }

        if (next == '/' && lt + 2 < s.Length && char.IsAsciiLetter(s[lt + 2]))
        {
            var nameEnd = NameEnd(s, lt + 2);
            var close = s.IndexOf('>', nameEnd);
            token = MarkupToken.EndTag(s, lt + 2, nameEnd - (lt + 2));
            return close < 0 ? Unterminated : close + 1;
        }

        if (next is '!' or '?')
        {
            return ReadDeclaration(s, lt, out token);
        }

        return NotMarkup;
    }

    private static int ReadDeclaration(string s, int lt, out MarkupToken? token)
    {
        token = null;
        var rest = s.AsSpan(lt);
        if (rest.StartsWith("<!--"))
        {
            var close = s.IndexOf("-->", lt + 4, StringComparison.Ordinal);
            return close < 0 ? Unterminated : close + 3;
        }

        if (rest.StartsWith("<![CDATA["))
        {
            var close = s.IndexOf("]]>", lt + 9, StringComparison.Ordinal);
            token = close < 0 ? null : MarkupToken.Text(s, lt + 9, close - (lt + 9), decode: false);
            return close < 0 ? Unterminated : close + 3;
        }

        var gt = s.IndexOf('>', lt);
        return gt < 0 ? Unterminated : gt + 1;
    }

    private static int ReadStartTag(string s, int nameStart, out MarkupToken? token)
    {
        var nameEnd = NameEnd(s, nameStart);
        var end = ReadAttributes(s, nameEnd, into: null, out var selfClosing);
        token = end == Unterminated ? null : MarkupToken.StartTag(s, nameStart, nameEnd - nameStart, selfClosing, attributesStart: nameEnd);
        return end;
    }

    /// <summary>
    /// Reads a start tag's attributes from <paramref name="p"/> (just after its name) to its closing <c>&gt;</c> or
    /// <c>/&gt;</c>, adding each to <paramref name="into"/> when given (decoded); a scan alone allocates nothing.
    /// </summary>
    /// <returns>The index after the tag, or <see cref="Unterminated"/>.</returns>
    internal static int ReadAttributes(string s, int p, List<KeyValuePair<string, string>>? into, out bool selfClosing)
    {
        selfClosing = false;
        while (true)
        {
            p = SkipWhitespace(s, p);
            if (p >= s.Length)
            {
                return Unterminated;
            }

            var c = s[p];
            if (c == '>' || (c == '/' && p + 1 < s.Length && s[p + 1] == '>'))
            {
                selfClosing = c == '/';
                return c == '>' ? p + 1 : p + 2;
            }

            if (c == '/')
            {
                p++;
                continue;
            }

            var attrStart = p++; // the first character always belongs to the name, even '='
            while (p < s.Length && !char.IsWhiteSpace(s[p]) && s[p] is not ('=' or '>' or '/'))
            {
                p++;
            }

            var attrEnd = p;
            var (valueStart, valueEnd) = (p, p);
            p = SkipWhitespace(s, p);
            if (p < s.Length && s[p] == '=')
            {
                p = ReadAttributeValue(s, SkipWhitespace(s, p + 1), out valueStart, out valueEnd);
                if (p < 0)
                {
                    return Unterminated;
                }
            }

            if (into is not null)
            {
                var value = s[valueStart..valueEnd];
                into.Add(new(s[attrStart..attrEnd], value.Contains('&', StringComparison.Ordinal) ? WebUtility.HtmlDecode(value) : value));
            }
        }
    }

    private static int ReadAttributeValue(string s, int p, out int valueStart, out int valueEnd)
    {
        valueStart = valueEnd = p;
        if (p >= s.Length)
        {
            return Unterminated;
        }

        if (s[p] is '"' or '\'')
        {
            var close = s.IndexOf(s[p], p + 1);
            if (close < 0)
            {
                return Unterminated;
            }

            (valueStart, valueEnd) = (p + 1, close);
            return close + 1;
        }

        var start = p;
        while (p < s.Length && !char.IsWhiteSpace(s[p]) && s[p] != '>')
        {
            p++;
        }

        (valueStart, valueEnd) = (start, p);
        return p;
    }

    private static int NameEnd(string s, int p)
    {
        while (p < s.Length && !char.IsWhiteSpace(s[p]) && s[p] is not ('/' or '>'))
        {
            p++;
        }

        return p;
    }

    private static int SkipWhitespace(string s, int p)
    {
        while (p < s.Length && char.IsWhiteSpace(s[p]))
        {
            p++;
        }

        return p;
    }
}
