using System.Text.RegularExpressions;

namespace EtlActors.IntegrationTests.Docs;

/// <summary>
/// A Markdown file as the doc tests read it: the tour's shell blocks (each after a <c>&lt;!-- tour --&gt;</c> line)
/// with the output block that follows each, the headings' anchors, and the links.
/// </summary>
public sealed partial class ReadmeDocument
{
    public const string TourMarker = "<!-- tour -->";

    private ReadmeDocument(string path, string[] lines)
    {
        Path = path;
        Lines = lines;
    }

    public string Path { get; }

    public IReadOnlyList<string> Lines { get; }

    public static ReadmeDocument Load(string path) => new(path, File.ReadAllLines(path));

    /// <summary>One step of the tour: the commands as written, and the lines the README shows them printing (empty when none).</summary>
    public sealed record TourStep(int Line, string Script, IReadOnlyList<string> Shows);

    public IReadOnlyList<TourStep> TourSteps()
    {
        var steps = new List<TourStep>();
        for (var i = 0; i < Lines.Count; i++)
        {
            if (Lines[i].Trim() != TourMarker)
                continue;
            if (i + 1 >= Lines.Count || Lines[i + 1] != "```sh")
                throw new InvalidOperationException($"{Path}:{i + 1}: '{TourMarker}' must be followed by a ```sh block");
            var script = Block(i + 1, out var end);
            // The next fenced block, with no language and before any prose, is what the commands print.
            var next = end + 1;
            while (next < Lines.Count && Lines[next].Trim() == "")
                next++;
            var shows = next < Lines.Count && Lines[next] == "```" ? Block(next, out _) : [];
            steps.Add(new TourStep(i + 1, string.Join('\n', script) + "\n", shows));
        }
        return steps;
    }

    /// <summary>The GitHub anchors of this file's headings (outside code blocks).</summary>
    public IReadOnlySet<string> Anchors()
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (text, _) in Prose())
        {
            var heading = HeadingPattern().Match(text);
            if (heading.Success)
                anchors.Add(Slug(heading.Groups[1].Value));
        }
        return anchors;
    }

    /// <summary>Every Markdown link target outside code blocks, with its line number.</summary>
    public IEnumerable<(int Line, string Target)> Links() =>
        Prose().SelectMany(p => LinkPattern().Matches(p.Text).Select(m => (p.Line, m.Groups[1].Value)));

    /// <summary>GitHub's heading anchor: lower case, punctuation dropped (but '-' and '_'), spaces as '-'.</summary>
    public static string Slug(string heading) =>
        new string(heading.Trim().ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_').ToArray()).Replace(' ', '-');

    private IEnumerable<(string Text, int Line)> Prose()
    {
        var fenced = false;
        for (var i = 0; i < Lines.Count; i++)
        {
            if (Lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }
            if (!fenced)
                yield return (Lines[i], i + 1);
        }
    }

    private List<string> Block(int open, out int close)
    {
        var body = new List<string>();
        for (close = open + 1; close < Lines.Count && Lines[close] != "```"; close++)
            body.Add(Lines[close]);
        if (close >= Lines.Count)
            throw new InvalidOperationException($"{Path}:{open + 1}: a code block that never ends");
        return body;
    }

    [GeneratedRegex(@"^#{1,6} +(.+?) *#*$")]
    private static partial Regex HeadingPattern();

    // [text](target) and ![alt](target); a target has no spaces (an optional "title" after one is ignored).
    [GeneratedRegex(@"\]\(([^)\s]+)(?: ""[^""]*"")?\)")]
    private static partial Regex LinkPattern();
}
