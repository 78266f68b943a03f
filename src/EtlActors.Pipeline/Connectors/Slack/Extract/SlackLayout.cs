using System.Text.RegularExpressions;

namespace EtlActors.Pipeline.Connectors.Slack.Extract;

/// <summary>
/// Where things are in a Slack export: the metadata files at the top, and a folder per conversation of
/// <c>YYYY-MM-DD.json</c> day files. The order here is the record order, so offsets are stable across runs.
/// </summary>
internal static partial class SlackLayout
{
    public const string Users = "users.json";

    /// <summary>The conversation metadata files, in record order, with the conversation kind each holds.</summary>
    public static readonly (string File, string Kind)[] ConversationFiles =
    [
        ("channels.json", SlackKinds.Channel),
        ("groups.json", SlackKinds.PrivateChannel),
        ("dms.json", SlackKinds.Direct),
        ("mpims.json", SlackKinds.Group),
    ];

    /// <summary>Whether <paramref name="files"/> (paths inside an export) look like a Slack export.</summary>
    public static bool IsExport(IReadOnlyCollection<string> files) =>
        files.Contains("channels.json") || files.Contains(Users);

    /// <summary>
    /// The conversation folders and their day files, both in ordinal order. Other files in a folder (a
    /// canvas's file list, say) are not messages, and folders of folders are not conversations.
    /// </summary>
    public static IReadOnlyList<(string Folder, IReadOnlyList<string> DayFiles)> DayFiles(IReadOnlyCollection<string> files) =>
        files.Select(f => (Path: f, Slash: f.IndexOf('/')))
            .Where(f => f.Slash > 0 && f.Path.IndexOf('/', f.Slash + 1) < 0 && DayFile().IsMatch(f.Path.AsSpan(f.Slash + 1)))
            .GroupBy(f => f.Path[..f.Slash], StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<string>)g.Select(f => f.Path).Order(StringComparer.Ordinal).ToList()))
            .ToList();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}\.json$")]
    private static partial Regex DayFile();
}

/// <summary>The <c>conversations.kind</c> values of Slack conversations (DESIGN.md's data contract).</summary>
public static class SlackKinds
{
    public const string Channel = "channel";
    public const string PrivateChannel = "private_channel";
    public const string Direct = "direct";
    public const string Group = "group";
}
