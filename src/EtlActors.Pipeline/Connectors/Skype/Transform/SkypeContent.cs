using System.Text;

namespace EtlActors.Pipeline.Connectors.Skype.Transform;

/// <summary>
/// Skype message content as plain text (<c>messages.content_text</c>, DESIGN.md): markup removed,
/// entities decoded, emoticons and links kept as their visible text, files as their original name,
/// calls and conversation events as a short sentence.
/// </summary>
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

    /// <summary>Text content with tags removed; a file (<c>URIObject</c>) reads as its file name.</summary>
    internal static string StripMarkup(string content)
    {
        var sb = new StringBuilder(content.Length);
        using var tokens = MarkupScanner.Tokenize(content).GetEnumerator();
        while (tokens.MoveNext())
        {
            var token = tokens.Current;
            if (token.Kind == MarkupTokenKind.Text)
            {
                sb.Append(token.Value);
            }
            else if (token.IsStart("br"))
            {
                sb.Append('\n');
            }
            else if (token.IsStart("URIObject") && !token.SelfClosing)
            {
                sb.Append(FileName(tokens));
            }
        }

        return sb.ToString();
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
        var depth = 1;
        var titleDepth = 0;
        while (depth > 0 && tokens.MoveNext())
        {
            var token = tokens.Current;
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
                case MarkupTokenKind.StartTag when token.IsStart("URIObject") && !token.SelfClosing:
                    depth++;
                    break;
                case MarkupTokenKind.EndTag when token.IsEnd("URIObject"):
                    depth--;
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
