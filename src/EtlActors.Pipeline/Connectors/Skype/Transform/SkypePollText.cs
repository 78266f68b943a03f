using System.Text;

namespace EtlActors.Pipeline.Connectors.Skype.Transform;

/// <summary>
/// A poll (<c>messagetype</c> <c>Poll</c>): <c>&lt;Poll&gt;&lt;question&gt;Lunch?&lt;/question&gt;&lt;option
/// votes="2"&gt;Pizza&lt;/option&gt;&lt;option&gt;Sushi&lt;/option&gt;&lt;/Poll&gt;</c> reads
/// "Poll: Lunch? — Pizza / Sushi". One line, so a listing of messages stays one row per message; vote counts
/// are left out, as they are a snapshot of the moment of export rather than what was asked.
/// </summary>
internal static class SkypePollText
{
    private enum Part
    {
        None,
        Question,
        Option,
    }

    /// <summary>
    /// Consumes a <c>Poll</c> element up to its end tag. A poll with neither a question nor an option (a shape
    /// not seen yet) reads as its visible text, as every unknown element does, so nothing it says is lost.
    /// </summary>
    public static string Read(IEnumerator<MarkupToken> tokens)
    {
        var questions = new List<string>();
        var options = new List<string>();
        var visible = new StringBuilder();
        var text = new StringBuilder();
        var part = Part.None;

        void Finish()
        {
            if (PlainTextWhitespace.Collapse(text.ToString()) is { Length: > 0 } done)
            {
                (part == Part.Question ? questions : options).Add(done);
            }

            text.Clear();
            part = Part.None;
        }

        foreach (var token in MarkupElement.Inside(tokens, "Poll"))
        {
            if (token.Kind == MarkupTokenKind.Text)
            {
                visible.Append(token.Value);
                if (part != Part.None)
                {
                    text.Append(token.Value);
                }
            }
            else if (token.IsStart("question") || token.IsStart("option"))
            {
                // An option that is never closed ends where the next part starts, as in HTML lists.
                Finish();
                part = token.SelfClosing ? Part.None : token.IsStart("question") ? Part.Question : Part.Option;
            }
            else if (token.IsEnd("question") || token.IsEnd("option"))
            {
                Finish();
            }
            else if (token.IsStart("br") && part != Part.None)
            {
                text.Append(' ');
            }
        }

        Finish();
        if (questions.Count == 0 && options.Count == 0)
        {
            return visible.ToString();
        }

        var question = string.Join(" ", questions);
        var choices = string.Join(" / ", options);
        return "Poll: " + question + (question.Length > 0 && choices.Length > 0 ? " — " : "") + choices;
    }
}
