namespace EtlActors.Pipeline.Connectors.Skype.Transform;

/// <summary>Reads the inside of an element whose start tag was just taken from a token stream.</summary>
internal static class MarkupElement
{
    /// <summary>
    /// The tokens up to the end tag that closes the element <paramref name="name"/>; that end tag is consumed
    /// and not returned. Same-named elements inside are counted, so their end tags do not end it early. Without
    /// an end tag the element runs to the end of the content: a truncated message still shows what it holds.
    /// Enumerate it to the end, since the caller's stream resumes after whatever was consumed.
    /// </summary>
    public static IEnumerable<MarkupToken> Inside(IEnumerator<MarkupToken> tokens, string name)
    {
        var depth = 1;
        while (tokens.MoveNext())
        {
            var token = tokens.Current;
            if (token.IsStart(name) && !token.SelfClosing)
            {
                depth++;
            }
            else if (token.IsEnd(name) && --depth == 0)
            {
                yield break;
            }

            yield return token;
        }
    }
}
