namespace EtlActors.Pipeline.Connectors.Skype.Transform;

internal enum MarkupTokenKind
{
    Text,
    StartTag,
    EndTag,
}

/// <summary>
/// One piece of Skype markup. For text, <see cref="Value"/> is the text with entities decoded;
/// for a tag, it is the tag name. Attribute values are decoded too.
/// </summary>
internal readonly record struct MarkupToken(
    MarkupTokenKind Kind,
    string Value,
    bool SelfClosing = false,
    IReadOnlyList<KeyValuePair<string, string>>? Attributes = null)
{
    public bool IsStart(string name) => Kind == MarkupTokenKind.StartTag && Is(name);

    public bool IsEnd(string name) => Kind == MarkupTokenKind.EndTag && Is(name);

    public string? Attribute(string name)
    {
        if (Attributes is null)
        {
            return null;
        }

        foreach (var (key, value) in Attributes)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    private bool Is(string name) => string.Equals(Value, name, StringComparison.OrdinalIgnoreCase);
}
