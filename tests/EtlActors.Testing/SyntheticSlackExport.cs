using System.Globalization;
using System.Text.Json;

namespace EtlActors.Testing;

/// <summary>
/// Writes a deterministic Slack workspace export of any size for tests and benchmarks, in the layout of
/// Slack's "Export data" (Business+/Enterprise: all conversation kinds), as a <c>.zip</c> or a folder.
/// </summary>
/// <remarks>
/// <para>Layout: <c>users.json</c>, <c>channels.json</c> (public, ids <c>C…</c>), <c>groups.json</c> (private,
/// <c>G…</c>), <c>dms.json</c> (<c>D…</c>, two members), <c>mpims.json</c> (group DMs, <c>G…</c>, named
/// <c>mpdm-a--b--c-1</c>), <c>integration_logs.json</c>, then one folder per conversation that has messages
/// (channels, private channels and group DMs by name, DMs by id) of <c>YYYY-MM-DD.json</c> day files (UTC
/// dates), each an array of messages in <c>ts</c> order. In the zip, folders also get directory entries.</para>
/// <para>Format choices, after real exports: indented by four spaces; <c>/</c> escaped as <c>\/</c> in every
/// string (Slack's exporter does), other characters as UTF-8; <c>ts</c> strings <c>"1704672000.123456"</c>,
/// strictly increasing within a conversation and unique across the export (a conversation's microseconds
/// all share its own remainder modulo the conversation count). About 1.35 KB a message uncompressed, as in a
/// real export of a modern workspace, where most user messages carry <c>blocks</c> and a <c>user_profile</c>;
/// the zip (deflate, default level) is about a tenth of that. Every conversation spans about the same weeks
/// (busier ones post more often), about 14 days at 500 messages a conversation, so day files grow in number, not
/// size, with the export.</para>
/// <para>Memory: the writer holds the workspace (users, conversations), the open threads' planned replies and one
/// 64 KB JSON buffer; a zip also keeps each entry's name and sizes (the central directory) until it closes, about
/// 75 MB peak for the whole process at 1M messages against 62 MB at 100k.</para>
/// <para>Messages: most are plain user messages (<c>client_msg_id</c>, <c>text</c> in Slack markup, often
/// <c>blocks</c>, <c>user_profile</c>, <c>edited</c>, <c>reactions</c>); channels open with <c>channel_join</c>s
/// and carry <c>channel_join</c>/<c>channel_leave</c>/<c>channel_topic</c>/<c>channel_purpose</c> events and
/// <c>bot_message</c>s (<c>bot_id</c>, <c>username</c>, no <c>user</c>); <c>file_share</c>s carry <c>files</c>
/// whose <c>url_private</c> holds a <c>?t=xoxe-…</c> token (<see cref="FileTokenPrefix"/>). About one top-level
/// user message in twelve starts a thread (replies are about a fifth of all messages): the parent has <c>thread_ts</c> = its own <c>ts</c>, <c>reply_count</c>,
/// <c>reply_users</c>, <c>latest_reply</c> and <c>replies</c> [{user, ts}]; each reply has <c>thread_ts</c> and
/// <c>parent_user_id</c> and sits in the conversation's timeline; in about one thread in six the later half of
/// the replies comes days afterwards, so in a later day file than the parent. Every element of every day file is one message: <see cref="SyntheticSlackExportInfo.MessageCount"/>
/// counts them exactly.</para>
/// <para>Users: a primary owner first; every 13th (from the 8th) deactivated (<c>deleted: true</c>, no time zone
/// or roles, still a member of old conversations); every 17th (from the 10th) a bot user (<c>is_bot</c>,
/// <c>profile.bot_id</c>); with 10 or more users the last is <c>USLACKBOT</c>. A third have an empty
/// <c>display_name</c>.</para>
/// </remarks>
public static class SyntheticSlackExport
{
    /// <summary>What every file's <c>url_private</c> token starts with (a secret a loader should not keep).</summary>
    public const string FileTokenPrefix = "xoxe-";

    public static SyntheticSlackExportInfo Write(string path, SyntheticSlackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Messages);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Conversations, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Conversations, 1_000_000);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Users, 3); // a group DM needs three people
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Users, 1_000_000);

        var random = new Random(options.Seed);
        var workspace = SyntheticSlackWorkspace.Create(options.Users, options.Conversations, random);
        var counts = Spread(options.Messages, options.Conversations, random);
        var perConversation = new List<SyntheticSlackConversationInfo>(options.Conversations);
        var subtypes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        long uncompressed;
        using (var output = options.AsZip ? SlackExportOutput.Zip(path) : SlackExportOutput.Folder(path))
        {
            workspace.WriteMetadata(output);
            var timeline = new SyntheticSlackTimeline(workspace, output, random, subtypes);
            foreach (var conversation in workspace.Conversations)
            {
                perConversation.Add(timeline.Write(conversation, counts[conversation.Index], (double)options.Messages / options.Conversations));
            }

            uncompressed = output.UncompressedBytes;
        }

        var bytes = options.AsZip
            ? new FileInfo(path).Length
            : Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        return new SyntheticSlackExportInfo(options.Messages, options.Conversations, options.Users, bytes, uncompressed, perConversation, subtypes);
    }

    /// <summary>Uneven but exact: each conversation's share by a random weight (many quiet, a few busy), summing to the total.</summary>
    private static int[] Spread(int messages, int conversations, Random random)
    {
        var weights = new double[conversations];
        for (var i = 0; i < conversations; i++)
        {
            var u = random.NextDouble();
            weights[i] = 0.1 + (1.9 * u * u);
        }

        var total = weights.Sum();
        var counts = weights.Select(w => (int)(messages * w / total)).ToArray();
        var left = messages - counts.Sum();
        for (var i = 0; left > 0; i = (i + 1) % conversations, left--)
        {
            counts[i]++;
        }

        return counts;
    }
}

/// <summary>
/// What <see cref="SyntheticSlackExport.Write"/> generates: <paramref name="Messages"/> messages (every day-file
/// element) over <paramref name="Conversations"/> conversations of all kinds (public and private channels, DMs,
/// group DMs, listed in the metadata files even when they get no message), <paramref name="Users"/> entries in
/// <c>users.json</c>; the same bytes for the same <paramref name="Seed"/>; a <c>.zip</c> at the path, or a folder
/// there when <paramref name="AsZip"/> is false.
/// </summary>
public sealed record SyntheticSlackOptions(int Messages, int Conversations = 200, int Users = 120, int Seed = 42, bool AsZip = true);

/// <summary>What was written, to compare a read against.</summary>
/// <param name="MessageCount">Messages over all day files (each element one message row).</param>
/// <param name="ConversationCount">Conversations in the metadata files (channels, groups, dms, mpims).</param>
/// <param name="UserCount">Entries in <c>users.json</c>.</param>
/// <param name="Bytes">The zip's size, or the folder's files' total.</param>
/// <param name="UncompressedBytes">JSON written, before compression.</param>
/// <param name="PerConversation">One entry per conversation, in metadata order.</param>
/// <param name="Subtypes">Messages by <c>subtype</c>; plain user messages (thread replies included) under <c>""</c>.</param>
public sealed record SyntheticSlackExportInfo(
    int MessageCount,
    int ConversationCount,
    int UserCount,
    long Bytes,
    long UncompressedBytes,
    IReadOnlyList<SyntheticSlackConversationInfo> PerConversation,
    IReadOnlyDictionary<string, int> Subtypes)
{
    /// <summary>Day files over all conversations.</summary>
    public int DayFiles => PerConversation.Sum(c => c.DayFiles);

    /// <summary>Thread parents over all conversations.</summary>
    public int Threads => PerConversation.Sum(c => c.Threads);

    /// <summary>Thread replies over all conversations.</summary>
    public int Replies => PerConversation.Sum(c => c.Replies);
}

/// <summary>One conversation of a generated export.</summary>
/// <param name="Id">Slack's id: <c>C…</c> public, <c>G…</c> private or group DM, <c>D…</c> DM.</param>
/// <param name="Name">The channel's or group DM's name; null for a DM.</param>
/// <param name="Kind">As in the data contract: <c>channel</c>, <c>private_channel</c>, <c>direct</c> or <c>group</c>.</param>
/// <param name="Folder">Its folder in the export (the name, or a DM's id); absent when it has no messages.</param>
/// <param name="Members">Members listed in the metadata.</param>
/// <param name="Messages">Messages in its day files, replies included.</param>
/// <param name="DayFiles">Its <c>YYYY-MM-DD.json</c> files.</param>
/// <param name="Threads">Messages that start a thread.</param>
/// <param name="Replies">Thread replies.</param>
/// <param name="FirstTs">Its first message's <c>ts</c>; null with no messages.</param>
/// <param name="LastTs">Its last message's <c>ts</c>; null with no messages.</param>
public sealed record SyntheticSlackConversationInfo(
    string Id,
    string? Name,
    string Kind,
    string Folder,
    int Members,
    int Messages,
    int DayFiles,
    int Threads,
    int Replies,
    string? FirstTs,
    string? LastTs);

/// <summary>
/// Writes one conversation's day files in time order. Thread replies are planned when their parent is written
/// (the parent lists them) and wait in a queue until the timeline reaches them, so a conversation costs memory
/// for its open threads only.
/// </summary>
internal sealed class SyntheticSlackTimeline(SyntheticSlackWorkspace workspace, SlackExportOutput output, Random random, SortedDictionary<string, int> subtypes)
{
    /// <summary>Mean seconds between a conversation's top-level messages at weight 1; busier conversations post more often.</summary>
    private const double MeanGapSeconds = 2400;

    private static readonly string[] _reactions = ["thumbsup", "+1", "eyes", "tada", "heart", "joy", "white_check_mark", "pray", "100", "+1::skin-tone-2"];
    private static readonly (string Name, string Mime, string Type, string Pretty)[] _files =
    [
        ("report.pdf", "application/pdf", "pdf", "PDF"), ("budget 2024.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel Spreadsheet"),
        ("screenshot.png", "image/png", "png", "PNG"), ("notes.txt", "text/plain", "text", "Plain Text"), ("IMG_0412.jpg", "image/jpeg", "jpg", "JPEG"),
    ];

    private static readonly string[] _botTexts =
    [
        "Deploy of *etl-api* to production finished in 4m12s", "Build #{0} passed on main", "New issue ETL-{0}: loader retries forever on a closed connection",
        "Reminder: standup in 10 minutes", "PR #{0} merged by octocat: Fix &lt;null&gt; handling in the normaliser",
    ];

    private readonly SyntheticSlackText _text = new(random);
    private readonly PriorityQueue<PlannedReply, long> _pending = new();
    private readonly HashSet<long> _pendingTicks = [];
    private readonly int _conversations = workspace.Conversations.Count;

    private SlackConversation _conversation = null!;
    private Utf8JsonWriter? _day;
    private long _dayNumber;
    private int _dayFiles;
    private int _fileSerial;

    /// <summary>Writes <paramref name="messages"/> messages of <paramref name="conversation"/>; <paramref name="average"/> is the export's mean per conversation.</summary>
    public SyntheticSlackConversationInfo Write(SlackConversation conversation, int messages, double average)
    {
        _conversation = conversation;
        _dayFiles = 0;
        _day = null;
        _pending.Clear();
        _pendingTicks.Clear();
        // A conversation with twice the average posts twice as often: every conversation spans about the same weeks.
        var weight = Math.Max(0.01, messages / Math.Max(1, average));
        var meanGapTicks = MeanGapSeconds * 1e6 / weight / _conversations;

        // Microseconds are tick × conversations + index: unique across the export, ordered within a conversation.
        var next = ((conversation.Created * 1_000_000L) + random.NextInt64(600_000_000, 86_400_000_000)) / _conversations;
        var joins = conversation.Kind is SlackConversationKind.Public or SlackConversationKind.Private ? Math.Min(conversation.Members.Length, random.Next(1, 6)) : 0;
        int joined = 0, threads = 0, replies = 0;
        string? first = null, last = null;
        if (messages > 0)
        {
            output.CreateFolder(conversation.Folder);
        }

        for (var written = 0; written < messages; written++)
        {
            var topLevelLeft = written + _pending.Count < messages;
            if (_pending.Count > 0 && (!topLevelLeft || _pending.Peek().Tick < next))
            {
                var reply = _pending.Dequeue();
                _pendingTicks.Remove(reply.Tick);
                last = Ts(reply.Tick);
                WriteUserMessage(Day(reply.Tick), reply.Tick, last, reply.User, reply, null);
                replies++;
            }
            else
            {
                var tick = next;
                last = Ts(tick);
                var w = Day(tick);
                if (joined < joins)
                {
                    WriteEvent(w, last, "channel_join", conversation.Members[joined++]); // the creator first
                }
                else
                {
                    threads += WriteTopLevel(w, tick, last, messages - written - 1 - _pending.Count) ? 1 : 0;
                }

                next = tick + Math.Max(1, (long)(-Math.Log(1 - random.NextDouble()) * meanGapTicks));
                while (_pendingTicks.Contains(next))
                {
                    next++;
                }
            }

            first ??= last;
            output.FlushIfFull();
        }

        EndDay();
        return new SyntheticSlackConversationInfo(conversation.Id, conversation.Name, conversation.ContractKind, conversation.Folder,
            conversation.Members.Length, messages, _dayFiles, threads, replies, first, last);
    }

    private string Ts(long tick)
    {
        var micros = (tick * _conversations) + _conversation.Index;
        return string.Create(CultureInfo.InvariantCulture, $"{micros / 1_000_000}.{micros % 1_000_000:D6}");
    }

    private static long Seconds(long micros) => micros / 1_000_000;

    private long Micros(long tick) => (tick * _conversations) + _conversation.Index;

    /// <summary>The day file the message at <paramref name="tick"/> belongs in, opening it when the date changes.</summary>
    private Utf8JsonWriter Day(long tick)
    {
        var day = Seconds(Micros(tick)) / 86_400;
        if (_day is not null && day == _dayNumber)
        {
            return _day;
        }

        EndDay();
        _dayNumber = day;
        var date = DateOnly.FromDateTime(DateTime.UnixEpoch.AddDays(day));
        _day = output.BeginFile($"{_conversation.Folder}/{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.json");
        _day.WriteStartArray();
        _dayFiles++;
        return _day;
    }

    private void EndDay()
    {
        if (_day is null)
        {
            return;
        }

        _day.WriteEndArray();
        output.EndFile();
        _day = null;
    }

    /// <summary>Writes a top-level message; true when it starts a thread.</summary>
    private bool WriteTopLevel(Utf8JsonWriter w, long tick, string ts, int replyBudget)
    {
        var channel = _conversation.Kind is SlackConversationKind.Public or SlackConversationKind.Private;
        var roll = random.Next(1000);
        var member = _conversation.Members[random.Next(_conversation.Members.Length)];
        if (channel)
        {
            switch (roll)
            {
                case < 15:
                    WriteEvent(w, ts, "channel_join", member);
                    return false;
                case < 22:
                    WriteEvent(w, ts, "channel_leave", member);
                    return false;
                case < 27:
                    WriteEvent(w, ts, "channel_topic", member);
                    return false;
                case < 30:
                    WriteEvent(w, ts, "channel_purpose", member);
                    return false;
                case < 100:
                    WriteBotMessage(w, ts);
                    return false;
                case < 170:
                    WriteFileShare(w, ts, member);
                    return false;
            }
        }
        else if (roll < 60)
        {
            WriteFileShare(w, ts, member);
            return false;
        }

        if (replyBudget > 0 && random.Next(12) == 0)
        {
            var thread = PlanThread(tick, member, replyBudget);
            WriteUserMessage(w, tick, ts, member, null, thread);
            return true;
        }

        WriteUserMessage(w, tick, ts, member, null, null);
        return false;
    }

    /// <summary>Picks the replies' times and authors now, since the parent lists them; they are written when the timeline reaches them.</summary>
    private PlannedReply[] PlanThread(long parentTick, SlackUser parentUser, int budget)
    {
        var count = Math.Min(budget, random.Next(10) == 0 ? random.Next(6, 21) : random.Next(1, 5));
        var replies = new PlannedReply[count];
        var tick = parentTick;
        var late = random.Next(6) == 0; // the thread picks up again days later: replies land in later day files
        for (var i = 0; i < count; i++)
        {
            var seconds = late && i == count / 2 ? random.Next(86_400, 3 * 86_400) : -Math.Log(1 - random.NextDouble()) * 1200;
            tick += Math.Max(1, (long)(seconds * 1e6 / _conversations));
            while (_pendingTicks.Contains(tick))
            {
                tick++;
            }

            var user = random.Next(3) == 0 ? parentUser : _conversation.Members[random.Next(_conversation.Members.Length)];
            replies[i] = new PlannedReply(tick, user, parentTick, parentUser);
            _pendingTicks.Add(tick);
            _pending.Enqueue(replies[i], tick);
        }

        return replies;
    }

    private void WriteUserMessage(Utf8JsonWriter w, long tick, string ts, SlackUser user, PlannedReply? reply, PlannedReply[]? thread)
    {
        Count("");
        _text.Compose(_conversation, workspace);
        var modern = random.Next(4) != 0; // most messages come from clients that send blocks and a client_msg_id
        w.WriteStartObject();
        if (modern)
        {
            w.WriteString("client_msg_id", Guid(random));
        }

        w.WriteString("type", "message");
        SlackJson.String(w, "text", _text.Markup());
        w.WriteString("user", user.Id);
        w.WriteString("ts", ts);
        if (random.Next(100) < 6)
        {
            w.WriteStartObject("edited");
            w.WriteString("user", user.Id);
            w.WriteString("ts", string.Create(CultureInfo.InvariantCulture, $"{Seconds(Micros(tick)) + random.Next(30, 7200)}.000000"));
            w.WriteEndObject();
        }

        if (modern)
        {
            _text.WriteBlocks(w);
        }

        w.WriteString("team", SyntheticSlackWorkspace.TeamId);
        if (random.Next(10) < 7)
        {
            w.WriteString("user_team", SyntheticSlackWorkspace.TeamId);
            w.WriteString("source_team", SyntheticSlackWorkspace.TeamId);
            WriteUserProfile(w, user);
        }

        if (thread is not null)
        {
            w.WriteString("thread_ts", ts);
            w.WriteNumber("reply_count", thread.Length);
            var users = thread.Select(r => r.User.Id).Distinct().ToArray();
            w.WriteNumber("reply_users_count", users.Length);
            w.WriteString("latest_reply", Ts(thread[^1].Tick));
            w.WriteStartArray("reply_users");
            foreach (var id in users)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
            w.WriteStartArray("replies");
            foreach (var r in thread)
            {
                w.WriteStartObject();
                w.WriteString("user", r.User.Id);
                w.WriteString("ts", Ts(r.Tick));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteBoolean("is_locked", false);
            w.WriteBoolean("subscribed", false);
        }
        else if (reply is { } r)
        {
            w.WriteString("thread_ts", Ts(r.ParentTick));
            w.WriteString("parent_user_id", r.ParentUser.Id);
        }

        if (random.Next(100) < 12)
        {
            WriteReactions(w);
        }

        w.WriteEndObject();
    }

    private void WriteUserProfile(Utf8JsonWriter w, SlackUser user)
    {
        w.WriteStartObject("user_profile");
        w.WriteString("avatar_hash", user.AvatarHash);
        SlackJson.String(w, "image_72", user.Image72);
        w.WriteString("first_name", user.FirstName);
        w.WriteString("real_name", user.RealName);
        w.WriteString("display_name", user.DisplayName);
        w.WriteString("team", SyntheticSlackWorkspace.TeamId);
        w.WriteString("name", user.Name);
        w.WriteBoolean("is_restricted", false);
        w.WriteBoolean("is_ultra_restricted", false);
        w.WriteEndObject();
    }

    private void WriteReactions(Utf8JsonWriter w)
    {
        w.WriteStartArray("reactions");
        var kinds = random.Next(1, 4);
        var first = random.Next(_reactions.Length);
        for (var k = 0; k < kinds; k++)
        {
            var users = _conversation.Members.Skip(random.Next(_conversation.Members.Length)).Take(random.Next(1, 5)).ToArray();
            w.WriteStartObject();
            w.WriteString("name", _reactions[(first + k) % _reactions.Length]);
            w.WriteStartArray("users");
            foreach (var u in users)
            {
                w.WriteStringValue(u.Id);
            }

            w.WriteEndArray();
            w.WriteNumber("count", users.Length);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private void WriteEvent(Utf8JsonWriter w, string ts, string subtype, SlackUser user)
    {
        Count(subtype);
        var topic = _conversation.Topic.Value.Length > 0 ? _conversation.Topic.Value : "Weekly sync notes &amp; decisions";
        w.WriteStartObject();
        w.WriteString("type", "message");
        w.WriteString("subtype", subtype);
        w.WriteString("ts", ts);
        w.WriteString("user", user.Id);
        switch (subtype)
        {
            case "channel_join":
                w.WriteString("text", $"<@{user.Id}> has joined the channel");
                if (random.Next(3) == 0)
                {
                    w.WriteString("inviter", _conversation.Creator.Id);
                }

                break;
            case "channel_leave":
                w.WriteString("text", $"<@{user.Id}> has left the channel");
                break;
            case "channel_topic":
                SlackJson.String(w, "text", $"<@{user.Id}> set the channel topic: {topic}");
                SlackJson.String(w, "topic", topic);
                break;
            default:
                w.WriteString("text", $"<@{user.Id}> set the channel purpose: Everything about {_conversation.Name}");
                w.WriteString("purpose", $"Everything about {_conversation.Name}");
                break;
        }

        w.WriteEndObject();
    }

    private void WriteBotMessage(Utf8JsonWriter w, string ts)
    {
        Count("bot_message");
        var bot = workspace.Bots[random.Next(workspace.Bots.Count)];
        var text = string.Format(CultureInfo.InvariantCulture, _botTexts[random.Next(_botTexts.Length)], random.Next(100, 9999));
        w.WriteStartObject();
        w.WriteString("type", "message");
        w.WriteString("subtype", "bot_message");
        w.WriteString("text", text);
        w.WriteString("ts", ts);
        w.WriteString("username", bot.Username);
        w.WriteString("bot_id", bot.BotId);
        if (random.Next(2) == 0)
        {
            w.WriteStartArray("attachments");
            w.WriteStartObject();
            w.WriteNumber("id", 1);
            w.WriteString("color", "36a64f");
            w.WriteString("fallback", text);
            w.WriteString("title", "Details");
            SlackJson.String(w, "title_link", $"https://ci.acme.io/builds/{random.Next(100000)}");
            w.WriteString("text", "All checks passed");
            w.WriteEndObject();
            w.WriteEndArray();
        }
        else
        {
            w.WriteStartObject("icons");
            w.WriteString("emoji", ":robot_face:");
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private void WriteFileShare(Utf8JsonWriter w, string ts, SlackUser user)
    {
        Count("file_share");
        var file = _files[random.Next(_files.Length)];
        var fileId = $"F0{SyntheticSlackWorkspace.Base36(++_fileSerial, 5)}{SyntheticSlackWorkspace.Letters(random, 4)}";
        var slug = file.Name.ToLowerInvariant().Replace(' ', '_');
        var token = $"{SyntheticSlackExport.FileTokenPrefix}{random.NextInt64(100_000_000_000, 999_999_999_999)}-{random.NextInt64(1_000_000_000_000, 9_999_999_999_999)}-{random.NextInt64(1_000_000_000_000, 9_999_999_999_999)}-{SyntheticSlackWorkspace.Hex(random, 32)}";
        var seconds = ts[..ts.IndexOf('.', StringComparison.Ordinal)];
        var withComment = random.Next(3) == 0;
        w.WriteStartObject();
        w.WriteString("type", "message");
        w.WriteString("subtype", "file_share");
        if (withComment)
        {
            _text.Compose(_conversation, workspace);
            SlackJson.String(w, "text", _text.Markup());
        }
        else
        {
            w.WriteString("text", "");
        }

        w.WriteStartArray("files");
        w.WriteStartObject();
        w.WriteString("id", fileId);
        w.WritePropertyName("created");
        w.WriteRawValue(seconds, skipInputValidation: true);
        w.WritePropertyName("timestamp");
        w.WriteRawValue(seconds, skipInputValidation: true);
        w.WriteString("name", file.Name);
        w.WriteString("title", file.Name);
        SlackJson.String(w, "mimetype", file.Mime);
        w.WriteString("filetype", file.Type);
        w.WriteString("pretty_type", file.Pretty);
        w.WriteString("user", user.Id);
        w.WriteBoolean("editable", file.Type == "text");
        w.WriteNumber("size", random.Next(100, 5_000_000));
        w.WriteString("mode", file.Type == "text" ? "snippet" : "hosted");
        w.WriteBoolean("is_external", false);
        w.WriteString("external_type", "");
        w.WriteBoolean("is_public", _conversation.Kind == SlackConversationKind.Public);
        w.WriteBoolean("public_url_shared", false);
        w.WriteBoolean("display_as_bot", false);
        w.WriteString("username", "");
        var prefix = $"https://files.slack.com/files-pri/{SyntheticSlackWorkspace.TeamId}-{fileId}";
        SlackJson.String(w, "url_private", $"{prefix}/{slug}?t={token}");
        SlackJson.String(w, "url_private_download", $"{prefix}/download/{slug}?t={token}");
        SlackJson.String(w, "permalink", $"https://{SyntheticSlackWorkspace.Domain}.slack.com/files/{user.Id}/{fileId}/{slug}");
        SlackJson.String(w, "permalink_public", $"https://slack-files.com/{SyntheticSlackWorkspace.TeamId}-{fileId}-{SyntheticSlackWorkspace.Hex(random, 10)}");
        w.WriteBoolean("is_starred", false);
        w.WriteBoolean("has_rich_preview", false);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteBoolean("upload", true);
        w.WriteString("user", user.Id);
        w.WriteBoolean("display_as_bot", false);
        w.WriteString("ts", ts);
        if (random.Next(10) < 7)
        {
            WriteUserProfile(w, user);
        }

        w.WriteEndObject();
    }

    private void Count(string subtype) => subtypes[subtype] = subtypes.GetValueOrDefault(subtype) + 1;

    private static string Guid(Random random)
    {
        // A version-4 UUID, as clients send: Guid's byte 7 holds the version nibble, byte 8 the variant bits.
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new System.Guid(bytes).ToString("D");
    }

    private readonly record struct PlannedReply(long Tick, SlackUser User, long ParentTick, SlackUser ParentUser);
}
