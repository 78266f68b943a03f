using System.Text;

namespace EtlActors.Pipeline.Connectors.Skype.Transform;

/// <summary>
/// Shared contacts (<c>RichText/Contacts</c>): <c>&lt;contacts&gt;&lt;c t="s" s="live:bob" f="Bob Ng"/&gt;&lt;/contacts&gt;</c>
/// reads "Contact: Bob Ng (live:bob)"; several read "Contacts: Bob Ng (live:bob), Ann (live:ann)". The id is
/// shown as the sender shared it (no <c>8:</c> added): it is what someone would search for in Skype.
/// </summary>
internal static class SkypeContactsText
{
    /// <summary>
    /// Consumes a <c>contacts</c> element up to its end tag. A <c>c</c> without <c>f</c> (name) or <c>s</c> (id)
    /// shows the one it has; one with neither is skipped; with no usable contact the element reads as its
    /// visible text, as before this was recognised.
    /// </summary>
    public static string Read(IEnumerator<MarkupToken> tokens)
    {
        var contacts = new List<string>();
        var visible = new StringBuilder();
        foreach (var token in MarkupElement.Inside(tokens, "contacts"))
        {
            if (token.Kind == MarkupTokenKind.Text)
            {
                visible.Append(token.Value);
            }
            else if (token.IsStart("c") && Describe(token) is { } contact)
            {
                contacts.Add(contact);
            }
        }

        return contacts.Count switch
        {
            0 => visible.ToString(),
            1 => "Contact: " + contacts[0],
            _ => "Contacts: " + string.Join(", ", contacts),
        };
    }

    private static string? Describe(MarkupToken contact)
    {
        var name = PlainTextWhitespace.Collapse(contact.Attribute("f") ?? "");
        var id = PlainTextWhitespace.Collapse(contact.Attribute("s") ?? "");
        return (name.Length, id.Length) switch
        {
            (0, 0) => null,
            (0, _) => id,
            (_, 0) => name,
            _ when name == id => name,
            _ => $"{name} ({id})",
        };
    }
}
