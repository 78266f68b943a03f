using System.IO.Compression;
using System.Text;

namespace EtlActors.Testing.Slack;

/// <summary>
/// A small hand-written Slack export with one of each thing a real export has: every conversation kind, a folder
/// no metadata file lists, a canvas file inside a conversation folder, metadata files that are missing, <c>null</c>
/// or <c>[""]</c>, threads across day files, a deleted (tombstone) parent with a reply, bots without <c>user</c>,
/// Slackbot, files of every mode (one URL with a download token), an edit, and each markup form.
/// Written as a folder or as the <c>.zip</c> Slack gives.
/// </summary>
public static class SlackSampleExport
{
    public const int Messages = 21;
    public const int Conversations = 6;
    /// <summary>4 from users.json; B01, legacy-bot, USLACKBOT and U77 from their messages.</summary>
    public const int Participants = 8;
    /// <summary>The download token inside a file URL: must not reach properties, logs or errors.</summary>
    public const string Token = "xoxe-1-My0xLTEtc2VjcmV0LXRva2Vu";

    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>
    {
        ["users.json"] = """
            [
              {"id": "U01", "name": "alice", "real_name": "Alice Anders", "updated": 1700000000,
               "profile": {"display_name": "Alice A", "real_name": "Alice Anders"}},
              {"id": "U02", "name": "bob", "updated": 1700000100, "profile": {"display_name": "", "real_name": "Bob Brown"}},
              {"id": "U03", "name": "carol", "deleted": true, "profile": {"display_name": "", "real_name": ""}},
              {"id": "U04", "name": "deploybot", "is_bot": true, "profile": {"real_name": "Deploy Bot", "bot_id": "B04"}}
            ]
            """,
        ["channels.json"] = """
            [
              {"id": "C01", "name": "general", "created": 1700000000, "creator": "U01", "is_archived": false, "is_general": true,
               "members": ["U01", "U02", "U03"], "topic": {"value": "Company news", "creator": "U01", "last_set": 1700000000},
               "purpose": {"value": "All hands", "creator": "U01", "last_set": 1700000000}},
              {"id": "C02", "name": "random", "created": 1700000001, "creator": "U02", "is_archived": true, "is_general": false,
               "members": ["U01"], "topic": {"value": "", "creator": "", "last_set": 0}, "purpose": {"value": "", "creator": "", "last_set": 0}}
            ]
            """,
        ["groups.json"] = """
            [{"id": "G01", "name": "secret-plans", "created": 1700000002, "creator": "U01", "is_archived": false,
              "members": ["U01", "U02"], "topic": {"value": "Shh", "creator": "U01", "last_set": 1700000002},
              "purpose": {"value": "", "creator": "", "last_set": 0}}]
            """,
        ["dms.json"] = """[{"id": "D01", "created": 1700000003, "members": ["U01", "U02"]}]""",
        ["mpims.json"] = """
            [{"id": "G02", "name": "mpdm-alice--bob--carol-1", "created": 1700000004, "creator": "U01", "is_archived": false,
              "members": ["U01", "U02", "U03"], "topic": {"value": "", "creator": "", "last_set": 0},
              "purpose": {"value": "Group messaging", "creator": "U01", "last_set": 1700000004}}]
            """,
        ["integration_logs.json"] = """[""]""",
        ["canvases.json"] = "null",
        ["general/2024-01-01.json"] = $$$"""
            [
              {"type": "message", "subtype": "channel_join", "user": "U02", "text": "<@U02> has joined the channel", "ts": "1704067200.000100"},
              {"type": "message", "user": "U01", "text": "Plans for <#C02|random>? cc <@U02> <!here> &amp; <https://example.com|the doc> <https://example.org>",
               "ts": "1704067300.000200", "thread_ts": "1704067300.000200", "reply_count": 2, "reply_users": ["U02"],
               "replies": [{"user": "U02", "ts": "1704067350.000000"}, {"user": "U02", "ts": "1704153600.000100"}],
               "reactions": [{"name": "thumbsup", "users": ["U02"], "count": 1}]},
              {"type": "message", "subtype": "bot_message", "bot_id": "B01", "username": "CI", "text": "",
               "attachments": [{"fallback": "Build 42 passed", "text": "Build *42* passed &lt;ok&gt;", "color": "good"}], "ts": "1704067400.000300"},
              {"type": "message", "subtype": "file_share", "user": "U01", "text": "see the plan", "ts": "1704067500.000400",
               "files": [
                 {"id": "F01", "mode": "hosted", "name": "plan.pdf", "title": "Plan", "url_private": "https://files.slack.com/files-pri/T1-F01/plan.pdf?t={{{Token}}}"},
                 {"id": "F02", "mode": "hidden_by_limit"},
                 {"id": "F03", "mode": "tombstone"},
                 {"id": "F04", "mode": "external", "name": "sheet", "url_private": "https://docs.example.com/sheet"},
                 {"id": "F05", "mode": "snippet", "name": "snippet.txt", "preview": "print(1)"}
               ]},
              {"type": "message", "user": "U02", "text": "fixed tpyo, now typo :smile:", "ts": "1704067600.000500",
               "edited": {"user": "U02", "ts": "1704067700.000000"}},
              {"type": "message", "user": "USLACKBOT", "text": "Reminder: stand-up.", "ts": "1704067800.000600"},
              {"type": "message", "subtype": "me_message", "user": "U01", "text": "waves", "ts": "1704067850.000000"},
              {"type": "message", "subtype": "tombstone", "user": "USLACKBOT", "text": "This message was deleted.", "hidden": true,
               "ts": "1704067900.000700", "thread_ts": "1704067900.000700", "reply_count": 1},
              {"type": "message", "user": "U01", "text": "<@U99> and <@U98|ghost> and <!channel> and <!everyone> and <mailto:a@b.c|a@b.c> and <#C01>",
               "ts": "1704067950.000800"},
              {"type": "message", "subtype": "huddle_thread", "user": "U01", "text": "", "ts": "1704067960.000900",
               "room": {"id": "R01", "participant_history": ["U01", "U02"]}},
              {"type": "message", "user": "U04", "bot_id": "B04", "text": "deployed v1.2", "ts": "1704067970.001000"},
              {"type": "message", "subtype": "thread_broadcast", "user": "U02", "text": "also posting here", "ts": "1704067350.000000",
               "thread_ts": "1704067300.000200", "root": {"user": "U01", "ts": "1704067300.000200"}}
            ]
            """,
        ["general/2024-01-02.json"] = """
            [
              {"type": "message", "user": "U02", "text": "a reply a day later", "ts": "1704153600.000100", "thread_ts": "1704067300.000200", "parent_user_id": "U01"},
              {"type": "message", "user": "U01", "text": "replying to a deleted message", "ts": "1704153700.000200", "thread_ts": "1704067900.000700", "parent_user_id": "USLACKBOT"},
              {"type": "message", "subtype": "file_comment", "text": "<@U01> commented on plan.pdf: nice", "ts": "1704153800.000300",
               "comment": {"id": "Fc1", "user": "U01", "comment": "nice"}},
              {"type": "message", "subtype": "bot_message", "username": "legacy-bot", "text": "hello from &lt;legacy&gt;", "ts": "1704153900.000400"}
            ]
            """,
        ["general/canvas_in_the_conversation.json"] = """[{"id": "F09", "title": "Canvas"}]""",
        ["random/2024-01-03.json"] = """
            [{"type": "message", "user": "U77", "user_profile": {"display_name": "Guest", "real_name": "Guest User", "name": "guest"},
              "text": "hi from another workspace", "ts": "1704240000.000100"}]
            """,
        ["secret-plans/2024-01-01.json"] = """[{"type": "message", "user": "U02", "text": "*bold* _plan_", "ts": "1704067200.000500"}]""",
        ["D01/2024-01-01.json"] = """[{"type": "message", "user": "U01", "text": "psst", "ts": "1704067200.000600"}]""",
        ["mpdm-alice--bob--carol-1/2024-01-01.json"] = """[{"type": "message", "user": "U03", "text": "hello all", "ts": "1704067200.000700"}]""",
        ["old-project/2023-12-31.json"] = """[{"type": "message", "user": "U01", "text": "archived long ago", "ts": "1703980800.000100"}]""",
    };

    /// <summary>Every message of the sample: (conversation, ts, type, sender id, sender name, content_text, thread_id).</summary>
    public static readonly (string Conversation, string Ts, string Type, string? Sender, string? Name, string Text, string? Thread)[] ExpectedMessages =
    [
        ("D01", "1704067200.000600", "message", "U01", "Alice A", "psst", null),
        ("C01", "1704067200.000100", "channel_join", "U02", "Bob Brown", "@Bob Brown has joined the channel", null),
        ("C01", "1704067300.000200", "message", "U01", "Alice A", "Plans for #random? cc @Bob Brown @here & the doc https://example.org", "1704067300.000200"),
        ("C01", "1704067400.000300", "bot_message", "B01", "CI", "Build *42* passed <ok>", null),
        ("C01", "1704067500.000400", "file_share", "U01", "Alice A", "see the plan", null),
        ("C01", "1704067600.000500", "message", "U02", "Bob Brown", "fixed tpyo, now typo :smile:", null),
        ("C01", "1704067800.000600", "message", "USLACKBOT", "Slackbot", "Reminder: stand-up.", null),
        ("C01", "1704067850.000000", "me_message", "U01", "Alice A", "waves", null),
        ("C01", "1704067900.000700", "tombstone", "USLACKBOT", "Slackbot", "This message was deleted.", "1704067900.000700"),
        ("C01", "1704067950.000800", "message", "U01", "Alice A", "@U99 and @ghost and @channel and @everyone and a@b.c and #C01", null),
        ("C01", "1704067960.000900", "huddle_thread", "U01", "Alice A", "", null),
        ("C01", "1704067970.001000", "message", "U04", "Deploy Bot", "deployed v1.2", null),
        ("C01", "1704067350.000000", "thread_broadcast", "U02", "Bob Brown", "also posting here", "1704067300.000200"),
        ("C01", "1704153600.000100", "message", "U02", "Bob Brown", "a reply a day later", "1704067300.000200"),
        ("C01", "1704153700.000200", "message", "U01", "Alice A", "replying to a deleted message", "1704067900.000700"),
        ("C01", "1704153800.000300", "file_comment", null, null, "@Alice A commented on plan.pdf: nice", null),
        ("C01", "1704153900.000400", "bot_message", "legacy-bot", "legacy-bot", "hello from <legacy>", null),
        ("G02", "1704067200.000700", "message", "U03", "carol", "hello all", null),
        ("old-project", "1703980800.000100", "message", "U01", "Alice A", "archived long ago", null),
        ("C02", "1704240000.000100", "message", "U77", "Guest", "hi from another workspace", null),
        ("G01", "1704067200.000500", "message", "U02", "Bob Brown", "*bold* _plan_", null),
    ];

    /// <summary>Writes the export unpacked into <paramref name="folder"/>; returns the folder.</summary>
    public static string WriteFolder(string folder, IReadOnlyDictionary<string, string>? files = null)
    {
        foreach (var (name, content) in files ?? Files)
        {
            var path = Path.Combine(folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content, new UTF8Encoding(false));
        }
        return folder;
    }

    /// <summary>Writes the export as a zip at <paramref name="path"/>, with folder entries as Slack's zips have; returns the path.</summary>
    public static string WriteZip(string path, IReadOnlyDictionary<string, string>? files = null)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var folder in (files ?? Files).Keys.Where(k => k.Contains('/')).Select(k => k[..(k.IndexOf('/') + 1)]).Distinct())
            zip.CreateEntry(folder);
        foreach (var (name, content) in files ?? Files)
        {
            using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
            writer.Write(content);
        }
        return path;
    }
}
