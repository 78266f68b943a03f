using System.Text.RegularExpressions;

namespace EtlActors.Pipeline.Connectors.Slack.Transform;

/// <summary>
/// File URLs in an export carry a download token (<c>?t=xoxe-…</c>) that opens the workspace's files to
/// whoever holds it. It is kept out of properties, quarantine rows and messages; raw_records keep the
/// record exactly as extracted, as they do for every source.
/// </summary>
internal static partial class SlackTokens
{
    public const string Redacted = "REDACTED";

    public static string Redact(string text) =>
        text.Contains("xox", StringComparison.Ordinal) ? Token().Replace(text, Redacted) : text;

    // xoxe- (export), xoxp-/xoxb- (user and bot tokens) and the rest of Slack's xox?- family.
    [GeneratedRegex(@"xox[a-z]-[A-Za-z0-9\-._~%]+")]
    private static partial Regex Token();
}
