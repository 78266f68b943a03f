using System.Globalization;

namespace EtlActors.Pipeline.Connectors.Skype.Transform;

/// <summary>Short sentences for the event bodies of calls and conversation (thread) activity.</summary>
internal static class SkypeEventText
{
    private const string Someone = "Someone";

    /// <summary>
    /// <c>&lt;partlist type="started|ended|missed"&gt;&lt;part&gt;&lt;duration&gt;125&lt;/duration&gt;…</c>:
    /// "Call started", "Call ended (2m 5s)", "Missed call". Null when there is no partlist.
    /// </summary>
    public static string? DescribeCall(string content)
    {
        var outline = MarkupOutline.Read(content);
        if (outline.FirstTag("partlist") is not { } partlist)
        {
            return null;
        }

        // The longest part is the call: parts that joined late report shorter durations.
        double? seconds = null;
        foreach (var text in outline.Texts("duration"))
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= 0)
            {
                seconds = Math.Max(seconds ?? 0, d);
            }
        }

        return partlist.Attribute("type")?.Trim().ToLowerInvariant() switch
        {
            "started" => "Call started",
            "ended" => seconds is { } s ? $"Call ended ({FormatDuration(s)})" : "Call ended",
            "missed" => "Missed call",
            _ => "Call",
        };
    }

    /// <summary>"8:live:me added 8:live:bob", "8:live:me changed the topic to \"Planning\"", ...</summary>
    public static string? DescribeThreadActivity(string content)
    {
        var outline = MarkupOutline.Read(content);
        if (outline.RootName is not { } root)
        {
            return null;
        }

        var initiator = outline.FirstText("initiator");
        var actor = initiator ?? Someone;
        var targets = outline.Texts("target");
        var value = outline.FirstText("value") ?? "";
        return root.ToLowerInvariant() switch
        {
            "addmember" when IsSelf(initiator, targets) || (initiator is null && targets.Count > 0) => $"{List(targets)} joined",
            "addmember" => $"{actor} added {List(targets)}",
            "deletemember" when IsSelf(initiator, targets) => $"{List(targets)} left",
            "deletemember" => $"{actor} removed {List(targets)}",
            "topicupdate" => $"{actor} changed the topic to \"{value}\"",
            "pictureupdate" => $"{actor} changed the conversation picture",
            "historydisclosedupdate" => IsTrue(value)
                ? $"{actor} made the chat history visible to new members"
                : $"{actor} hid the chat history from new members",
            "joiningenabledupdate" => IsTrue(value)
                ? $"{actor} enabled joining by link"
                : $"{actor} disabled joining by link",
            "roleupdate" => Roles(outline) is { } roles ? $"{actor} made {roles}" : $"{actor} changed roles",
            _ => $"{actor} updated the conversation",
        };
    }

    internal static string FormatDuration(double seconds)
    {
        var total = (long)seconds;
        var (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
        return h > 0 ? $"{h}h {m}m {s}s" : m > 0 ? $"{m}m {s}s" : $"{s}s";
    }

    private static bool IsSelf(string? initiator, IReadOnlyList<string> targets) =>
        initiator is not null && targets.Count == 1 && targets[0] == initiator;

    private static string List(IReadOnlyList<string> items) => items.Count == 0 ? "nobody" : string.Join(", ", items);

    private static bool IsTrue(string value) => value.Equals("true", StringComparison.OrdinalIgnoreCase);

    // <roleupdate><target><id>8:live:bob</id><role>admin</role></target>…</roleupdate>
    private static string? Roles(MarkupOutline outline)
    {
        var ids = outline.Texts("id");
        var roles = outline.Texts("role");
        return ids.Count == 0 || ids.Count != roles.Count
            ? null
            : string.Join(", ", ids.Select((id, i) => $"{id} {roles[i]}"));
    }
}
