using System.Net;
using System.Text;

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
/// <remarks>
/// A token is a range of the content, not a copy: most messages are stripped to text where a tag's name is only
/// compared and a text run only appended (<see cref="AppendTo"/>), so nothing is allocated per token there. Strings
/// are made when asked for (<see cref="Value"/>, <see cref="Attribute"/>).
/// </remarks>
internal readonly struct MarkupToken
{
    private readonly string _source;
    private readonly int _start;
    private readonly int _length;
    private readonly bool _decode;
    private readonly int _attributesStart; // a start tag's attributes are re-read from here when one is asked for

    private MarkupToken(MarkupTokenKind kind, string source, int start, int length, bool decode, bool selfClosing, int attributesStart)
    {
        Kind = kind;
        _source = source;
        _start = start;
        _length = length;
        _decode = decode;
        SelfClosing = selfClosing;
        _attributesStart = attributesStart;
    }

    public MarkupTokenKind Kind { get; }

    public bool SelfClosing { get; }

    /// <summary>Text with entities decoded, or a tag's name.</summary>
    public string Value => _decode ? WebUtility.HtmlDecode(_source.Substring(_start, _length)) : _source.Substring(_start, _length);

    /// <summary>Text whose entities are decoded when <paramref name="decode"/>.</summary>
    public static MarkupToken Text(string source, int start, int length, bool decode) =>
        new(MarkupTokenKind.Text, source, start, length, decode, selfClosing: false, attributesStart: -1);

    public static MarkupToken EndTag(string source, int nameStart, int nameLength) =>
        new(MarkupTokenKind.EndTag, source, nameStart, nameLength, decode: false, selfClosing: false, attributesStart: -1);

    /// <param name="attributesStart">Where the attributes after the name begin (<see cref="MarkupScanner.ReadAttributes"/>).</param>
    public static MarkupToken StartTag(string source, int nameStart, int nameLength, bool selfClosing, int attributesStart) =>
        new(MarkupTokenKind.StartTag, source, nameStart, nameLength, decode: false, selfClosing, attributesStart);

    public bool IsStart(string name) => Kind == MarkupTokenKind.StartTag && Is(name);

    public bool IsEnd(string name) => Kind == MarkupTokenKind.EndTag && Is(name);

    /// <summary>Appends <see cref="Value"/>, copying straight from the content when there is nothing to decode.</summary>
    public void AppendTo(StringBuilder builder)
    {
        if (_decode)
            builder.Append(Value);
        else
            builder.Append(_source.AsSpan(_start, _length));
    }

    /// <summary>The decoded value of this start tag's attribute <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? Attribute(string name)
    {
        if (Kind != MarkupTokenKind.StartTag)
        {
            return null;
        }

        var attributes = new List<KeyValuePair<string, string>>();
        MarkupScanner.ReadAttributes(_source, _attributesStart, attributes, out _);
        foreach (var (key, value) in attributes)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    private bool Is(string name) => _source.AsSpan(_start, _length).Equals(name, StringComparison.OrdinalIgnoreCase);
}
