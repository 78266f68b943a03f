namespace EtlActors.Pipeline.Connectors.Skype.Transform;

/// <summary>
/// The shape of a small XML-like event body (calls, thread activity): its first element, the first
/// start tag of each element name, and the trimmed texts found directly inside each element name.
/// Names compare case-insensitively; Skype is not consistent about case.
/// </summary>
internal sealed class MarkupOutline
{
    private readonly Dictionary<string, MarkupToken> _firstTags = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> _texts = new(StringComparer.OrdinalIgnoreCase);

    private MarkupOutline()
    {
    }

    public string? RootName { get; private set; }

    public static MarkupOutline Read(string content)
    {
        var outline = new MarkupOutline();
        var open = new OpenElements();
        foreach (var token in MarkupScanner.Tokenize(content))
        {
            switch (token.Kind)
            {
                case MarkupTokenKind.StartTag:
                    outline.RootName ??= token.Value;
                    outline._firstTags.TryAdd(token.Value, token);
                    if (!token.SelfClosing)
                    {
                        open.Push(token.Value);
                    }

                    break;
                case MarkupTokenKind.EndTag:
                    open.Close(token.Value);
                    break;
                case MarkupTokenKind.Text when open.Count > 0 && !string.IsNullOrWhiteSpace(token.Value):
                    if (!outline._texts.TryGetValue(open.Peek(), out var texts))
                    {
                        outline._texts[open.Peek()] = texts = [];
                    }

                    texts.Add(token.Value.Trim());
                    break;
            }
        }

        return outline;
    }

    public MarkupToken? FirstTag(string name) => _firstTags.TryGetValue(name, out var tag) ? tag : null;

    public IReadOnlyList<string> Texts(string element) => _texts.TryGetValue(element, out var texts) ? texts : [];

    public string? FirstText(string element) => Texts(element) is [var first, ..] ? first : null;

    /// <summary>
    /// The stack of open elements. Unbalanced markup is common: an end tag closes back to its start
    /// tag, and a stray one is ignored. Counts per name keep that O(1), so deep hostile nesting stays linear.
    /// </summary>
    private sealed class OpenElements
    {
        private readonly Stack<string> _stack = new();
        private readonly Dictionary<string, int> _counts = new(StringComparer.OrdinalIgnoreCase);

        public int Count => _stack.Count;

        public string Peek() => _stack.Peek();

        public void Push(string name)
        {
            _stack.Push(name);
            _counts[name] = _counts.GetValueOrDefault(name) + 1;
        }

        public void Close(string name)
        {
            if (_counts.GetValueOrDefault(name) == 0)
            {
                return;
            }

            string popped;
            do
            {
                popped = _stack.Pop();
                _counts[popped]--;
            }
            while (!string.Equals(popped, name, StringComparison.OrdinalIgnoreCase));
        }
    }
}
