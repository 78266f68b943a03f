using System.Text;

namespace EtlActors.Pipeline.Connectors.Skype.Transform;

/// <summary>
/// Skype message content as plain text (<c>messages.content_text</c>, DESIGN.md): markup removed,
/// entities decoded, emoticons and links kept as their visible text, files as their original name,
/// calls and conversation events as a short sentence, polls, shared contacts and locations as one line
/// (<see cref="SkypePollText"/>, <see cref="SkypeContactsText"/>, <see cref="SkypeLocationText"/>).
/// </summary>
/// <remarks>
/// <c>content_text</c> is derived from <c>content_raw</c>, so its rendering may change between releases
/// (the contract allows it; a table's columns may not). Rows already loaded keep the old text until the
/// export is loaded again: a reload rewrites every message's <c>content_text</c> (an equal revision replaces).
/// </remarks>
public static class SkypeContent
{
    /// <summary>
    /// Plain text for a message of <paramref name="messageType"/>. Unknown types get the generic
    /// treatment (markup stripped, entities decoded). Never throws; empty for null content.
    /// Deletion is not visible here: the caller blanks deleted messages.
    /// </summary>
    public static string ToPlainText(string messageType, string? content)
    {
        if (string.IsNullOrEmpty(content))
        {
            return "";
        }

        var described = messageType switch
        {
            _ when messageType.Equals("Event/Call", StringComparison.OrdinalIgnoreCase) => SkypeEventText.DescribeCall(content),
            _ when messageType.StartsWith("ThreadActivity/", StringComparison.OrdinalIgnoreCase) => SkypeEventText.DescribeThreadActivity(content),
            _ => null,
        };
        return PlainTextWhitespace.Normalize(described ?? StripMarkup(content));
    }

    /// <summary>
    /// Text content with tags removed; a file (<c>URIObject</c>) reads as its file name, a poll, shared contacts
    /// or a location as a line about them. Recognised by element rather than by message type, as files are,
    /// so they read the same wherever they appear.
    /// </summary>
    internal static string StripMarkup(string content)
    {
        if (content.AsSpan().IndexOfAny('<', '&') < 0)
        {
            return content; // plain text, as most messages are: nothing to strip or decode
        }

        var sb = TakeBuilder(content.Length);
        using var tokens = MarkupScanner.Tokenize(content).GetEnumerator();
        while (tokens.MoveNext())
        {
            var token = tokens.Current;
            if (token.Kind == MarkupTokenKind.Text)
            {
                token.AppendTo(sb);
            }
            else if (token.IsStart("br"))
            {
                sb.Append('\n');
            }
            else if (token.IsStart("URIObject") && !token.SelfClosing)
            {
                sb.Append(FileName(tokens));
            }
            else if (token.IsStart("Poll") && !token.SelfClosing)
            {
                sb.Append(SkypePollText.Read(tokens));
            }
            else if (token.IsStart("contacts") && !token.SelfClosing)
            {
                sb.Append(SkypeContactsText.Read(tokens));
            }
            else if (token.IsStart("location"))
            {
                // Its attributes carry the place, so even a self-closing one says something.
                sb.Append(SkypeLocationText.Read(token, tokens));
            }
        }

        var text = sb.ToString();
        if (sb.Capacity <= MaxCachedCapacity)
        {
            t_builder = sb;
        }

        return text;
    }

    // One builder per thread, reused from message to message: a transformer strips a million of them, and a new
    // builder each time was a buffer the size of the content allocated and dropped per message. (The BCL's
    // StringBuilderCache, which does this, is internal.) Nothing else may take it while it is out.
    [ThreadStatic]
    private static StringBuilder? t_builder;
    private const int MaxCachedCapacity = 16 * 1024;

    private static StringBuilder TakeBuilder(int capacity)
    {
        var sb = t_builder;
        t_builder = null;
        if (sb is null)
        {
            return new StringBuilder(Math.Max(capacity, 256));
        }

        sb.Clear();
        sb.EnsureCapacity(capacity);
        return sb;
    }

    /// <summary>
    /// Consumes a URIObject up to its end tag: its <c>OriginalName v</c>, else its <c>Title</c>,
    /// else all its visible text.
    /// </summary>
    private static string FileName(IEnumerator<MarkupToken> tokens)
    {
        string? originalName = null;
        var title = new StringBuilder();
        var visible = new StringBuilder();
        var titleDepth = 0;
        foreach (var token in MarkupElement.Inside(tokens, "URIObject"))
        {
            switch (token.Kind)
            {
                case MarkupTokenKind.Text:
                    visible.Append(token.Value);
                    if (titleDepth > 0)
                    {
                        title.Append(token.Value);
                    }

                    break;
                case MarkupTokenKind.StartTag when token.IsStart("OriginalName"):
                    originalName ??= NonBlank(token.Attribute("v"));
                    break;
                case MarkupTokenKind.StartTag when token.IsStart("Title") && !token.SelfClosing:
                    titleDepth++;
                    break;
                case MarkupTokenKind.EndTag when token.IsEnd("Title"):
                    titleDepth = Math.Max(0, titleDepth - 1);
                    break;
            }
        }

        return originalName ?? TitleText(title.ToString()) ?? visible.ToString();
    }

    // Skype writes titles as "Title: report.pdf"; the label is not part of the name.
    private static string? TitleText(string title)
    {
        var text = title.Trim();
        if (text.StartsWith("Title:", StringComparison.OrdinalIgnoreCase))
        {
            text = text["Title:".Length..].Trim();
        }

        return NonBlank(text);
    }

    private static string? NonBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
