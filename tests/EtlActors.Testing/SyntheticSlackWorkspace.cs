using System.Globalization;
using System.Text.Json;

namespace EtlActors.Testing;

/// <summary>
/// The people and conversations of a generated Slack workspace, and its metadata files
/// (<c>users.json</c>, <c>channels.json</c>, <c>groups.json</c>, <c>dms.json</c>, <c>mpims.json</c>,
/// <c>integration_logs.json</c>). All of it is small (a few hundred entries), so it is held in memory;
/// only messages stream.
/// </summary>
internal sealed class SyntheticSlackWorkspace
{
    public const string TeamId = "T04SYNTH42E";
    public const string Domain = "synthetic-etl";

    /// <summary>The export's epoch: conversations are created in the 120 days before it, messages follow.</summary>
    public static readonly long EpochSeconds = new DateTimeOffset(2024, 1, 8, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    private static readonly (string Display, string Ascii)[] _firstNames =
    [
        ("Anna", "anna"), ("Bob", "bob"), ("Chloé", "chloe"), ("Dmitri", "dmitri"), ("Emeka", "emeka"), ("Fatima", "fatima"),
        ("Gustav", "gustav"), ("Hana", "hana"), ("Iñigo", "inigo"), ("Jun", "jun"), ("Kofi", "kofi"), ("Lena", "lena"),
        ("Mateus", "mateus"), ("Nadia", "nadia"), ("Olu", "olu"), ("Priya", "priya"), ("Quentin", "quentin"), ("Rosa", "rosa"),
        ("Søren", "soren"), ("Tomás", "tomas"),
    ];

    private static readonly (string Display, string Ascii)[] _lastNames =
    [
        ("Schmidt", "schmidt"), ("Ng", "ng"), ("Dubois", "dubois"), ("Ivanov", "ivanov"), ("Okafor", "okafor"), ("Haddad", "haddad"),
        ("Berg", "berg"), ("Sato", "sato"), ("García", "garcia"), ("Chen", "chen"), ("Mensah", "mensah"), ("Novák", "novak"),
        ("Silva", "silva"), ("Kowalski", "kowalski"), ("Adeyemi", "adeyemi"), ("Patel", "patel"), ("Moreau", "moreau"), ("Rossi", "rossi"),
        ("Jensen", "jensen"), ("O'Brien", "obrien"),
    ];

    private static readonly string[] _botNames = ["deploybot", "standup-bot", "pagerbot", "pollster", "calendar-bot", "release-notes"];
    private static readonly string[] _publicTopics = ["eng", "design", "ops", "sales", "support", "marketing", "data", "infra", "hiring", "releases", "incidents", "social", "books", "music", "travel", "product"];
    private static readonly string[] _privateTopics = ["leads", "hr", "finance", "security", "exec", "offsite", "legal"];
    private static readonly string[] _timeZones = ["Europe/Berlin|Central European Time|3600", "America/New_York|Eastern Standard Time|-18000", "Asia/Tokyo|Japan Standard Time|32400", "Africa/Lagos|West Africa Standard Time|3600", "America/Los_Angeles|Pacific Standard Time|-28800"];
    private static readonly string[] _titles = ["Engineer", "Designer", "Product Manager", "", "Support Lead", "Data Scientist", ""];
    // As Slack stores them: markup, with &, < and > escaped.
    private static readonly string[] _topics = ["Release train: Tuesdays &amp; Thursdays", "Be kind &lt;3", "Ask anything about the roadmap", "Incidents go to <#C0000AAAAAA|incidents>, please", "Quarterly planning Q1/Q2", ""];

    private SyntheticSlackWorkspace(SlackUser[] users, SlackBot[] bots, SlackConversation[] conversations)
    {
        Users = users;
        Bots = bots;
        Conversations = conversations;
        PublicChannels = [.. conversations.Where(c => c.Kind == SlackConversationKind.Public)];
    }

    public IReadOnlyList<SlackUser> Users { get; }

    /// <summary>Who posts <c>bot_message</c>s: the bot users, plus two legacy integrations with no user of their own.</summary>
    public IReadOnlyList<SlackBot> Bots { get; }

    public IReadOnlyList<SlackConversation> Conversations { get; }

    /// <summary>What <c>&lt;#C…|name&gt;</c> links point at.</summary>
    public IReadOnlyList<SlackConversation> PublicChannels { get; }

    public static SyntheticSlackWorkspace Create(int userCount, int conversationCount, Random random)
    {
        var users = new SlackUser[userCount];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < userCount; i++)
        {
            users[i] = CreateUser(i, userCount, random, names);
        }

        // Deleted people still appear in old conversations: they stay members, as in real exports.
        var people = users.Where(u => !u.IsBot && !u.IsSlackbot).ToArray();
        var bots = users.Where(u => u.IsBot).Select(u => new SlackBot(u.BotId!, u.Name, u.Id))
            .Concat([new SlackBot("B0WEBHK0001", "github", null), new SlackBot("B0WEBHK0002", "jira", null)])
            .ToArray();

        var conversations = new SlackConversation[conversationCount];
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var pairs = new HashSet<(int, int)>();
        for (var i = 0; i < conversationCount; i++)
        {
            conversations[i] = CreateConversation(i, random, people, taken, pairs);
        }

        return new SyntheticSlackWorkspace(users, bots, conversations);
    }

    /// <summary>Of every ten conversations: four public channels, two private, three DMs, one group DM; any four in a row from the first hold each kind.</summary>
    private static SlackConversationKind KindOf(int index) => (index % 10) switch
    {
        1 or 7 => SlackConversationKind.Private,
        2 or 5 or 8 => SlackConversationKind.Direct,
        3 => SlackConversationKind.Multi,
        _ => SlackConversationKind.Public,
    };

    private static SlackUser CreateUser(int index, int count, Random random, HashSet<string> names)
    {
        var suffix = Letters(random, 5);
        var created = EpochSeconds - random.Next(200, 900) * 86_400L;
        var tz = _timeZones[random.Next(_timeZones.Length)].Split('|');
        if (count >= 10 && index == count - 1)
        {
            return new SlackUser
            {
                Index = index, Id = "USLACKBOT", Name = "slackbot", RealName = "Slackbot", FirstName = "slackbot", LastName = "",
                DisplayName = "Slackbot", IsSlackbot = true, AvatarHash = "sv41d8cd98f0", Color = "757575", Updated = 0,
                Tz = "America/Los_Angeles", TzLabel = "Pacific Standard Time", TzOffset = -28800, Title = "",
                Image72 = "https://a.slack-edge.com/80588/img/slackbot_72.png",
            };
        }

        if (index % 17 == 9)
        {
            var botName = _botNames[index / 17 % _botNames.Length] + (index >= 17 * _botNames.Length ? $"-{index}" : "");
            names.Add(botName);
            var real = string.Join(' ', botName.Split('-').Select(Capitalise));
            return new SlackUser
            {
                Index = index, Id = Id('U', index, suffix), Name = botName, RealName = real, FirstName = real, LastName = "",
                DisplayName = "", IsBot = true, BotId = Id('B', index, Letters(random, 5)), AppId = Id('A', index, Letters(random, 5)),
                AvatarHash = Hex(random, 12), Color = Hex(random, 6), Updated = created, Tz = "America/Los_Angeles",
                TzLabel = "Pacific Standard Time", TzOffset = -28800, Title = "",
                Image72 = $"https://avatars.slack-edge.com/2023-05-02/{random.Next(100000, 999999)}_{Hex(random, 20)}_72.png",
            };
        }

        var first = _firstNames[(index + (index / _firstNames.Length)) % _firstNames.Length];
        var last = _lastNames[(index * 7 / 3) % _lastNames.Length];
        var name = $"{first.Ascii}.{last.Ascii}";
        if (!names.Add(name))
        {
            name = $"{name}{index}";
            names.Add(name);
        }

        // About a third leave the display name empty, so Slack shows the real name; others pick a short handle.
        var display = random.Next(3) switch { 0 => "", 1 => first.Display, _ => $"{first.Ascii}{last.Ascii[0]}" };
        var hash = Hex(random, 32);
        return new SlackUser
        {
            Index = index, Id = Id('U', index, suffix), Name = name, RealName = $"{first.Display} {last.Display}", FirstName = first.Display,
            LastName = last.Display, DisplayName = display, Deleted = index % 13 == 7, IsAdmin = index == 0 || index % 23 == 4,
            IsOwner = index == 0, IsPrimaryOwner = index == 0, AvatarHash = "g" + hash[..11], Color = Hex(random, 6),
            Updated = created + random.Next(0, 150) * 86_400L, Tz = tz[0], TzLabel = tz[1], TzOffset = int.Parse(tz[2], CultureInfo.InvariantCulture),
            Title = _titles[random.Next(_titles.Length)],
            Image72 = $"https://secure.gravatar.com/avatar/{hash}.jpg?s=72&d=https%3A%2F%2Fa.slack-edge.com%2Fdf10d%2Fimg%2Favatars%2Fava_00{random.Next(10, 27)}-72.png",
        };
    }

    private static SlackConversation CreateConversation(int index, Random random, SlackUser[] people, HashSet<string> taken, HashSet<(int, int)> pairs)
    {
        var kind = KindOf(index);
        var created = EpochSeconds - random.Next(1, 120) * 86_400L - random.Next(86_400);
        SlackUser[] members;
        string? name;
        switch (kind)
        {
            case SlackConversationKind.Direct:
                members = PickPair(index, random, people, pairs);
                name = null;
                break;
            case SlackConversationKind.Multi:
                members = Pick(random, people, Math.Min(people.Length, random.Next(3, 6)));
                var baseName = "mpdm-" + string.Join("--", members.Select(m => m.Name));
                name = $"{baseName}-1";
                for (var n = 2; !taken.Add(name); n++)
                {
                    name = $"{baseName}-{n}";
                }

                break;
            default:
                var everyone = index == 0;
                var size = kind == SlackConversationKind.Private ? random.Next(2, 13) : random.Next(3, 41);
                members = everyone ? people : Pick(random, people, Math.Min(people.Length, size));
                var stem = index == 0 ? "general" : index == 4 ? "random"
                    : kind == SlackConversationKind.Private ? $"{_privateTopics[random.Next(_privateTopics.Length)]}-private"
                    : $"{_publicTopics[random.Next(_publicTopics.Length)]}-{_publicTopics[random.Next(_publicTopics.Length)]}";
                name = stem;
                if (!taken.Add(name))
                {
                    name = $"{stem}-{index}";
                    taken.Add(name);
                }

                break;
        }

        var prefix = kind switch { SlackConversationKind.Public => 'C', SlackConversationKind.Direct => 'D', _ => 'G' };
        var topicValue = kind == SlackConversationKind.Direct ? "" : _topics[random.Next(_topics.Length)];
        return new SlackConversation
        {
            Index = index,
            Kind = kind,
            Id = Id(prefix, index, Letters(random, 5)),
            Name = name,
            Created = created,
            Creator = members[0],
            Members = members,
            IsGeneral = index == 0,
            IsArchived = kind is SlackConversationKind.Public or SlackConversationKind.Private && index % 11 == 6,
            Topic = new SlackTopic(topicValue, topicValue.Length == 0 ? "" : members[0].Id, topicValue.Length == 0 ? 0 : created + 3600),
            Purpose = kind == SlackConversationKind.Multi
                ? new SlackTopic("Group messaging with: " + string.Join(' ', members.Select(m => "@" + m.Name)), members[0].Id, created)
                : index == 0
                    ? new SlackTopic("This channel is for workspace-wide communication and announcements. All members are in this channel.", members[0].Id, created)
                    : new SlackTopic("", "", 0),
        };
    }

    private static SlackUser[] PickPair(int index, Random random, SlackUser[] people, HashSet<(int, int)> pairs)
    {
        // One DM per pair, as in Slack; a tiny workspace with more DMs than pairs repeats pairs rather than failing.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var a = random.Next(people.Length);
            var b = random.Next(people.Length - 1);
            b += b >= a ? 1 : 0;
            if (pairs.Add((Math.Min(a, b), Math.Max(a, b))))
            {
                return [people[a], people[b]];
            }
        }

        return [people[index % people.Length], people[(index + 1) % people.Length]];
    }

    private static SlackUser[] Pick(Random random, SlackUser[] people, int count)
    {
        var picked = new List<SlackUser>(count);
        var seen = new HashSet<int>();
        while (picked.Count < count)
        {
            var i = random.Next(people.Length);
            if (seen.Add(i))
            {
                picked.Add(people[i]);
            }
        }

        return [.. picked];
    }

    public void WriteMetadata(SlackExportOutput output)
    {
        WriteUsers(output.BeginFile("users.json"));
        output.EndFile();
        WriteChannels(output.BeginFile("channels.json"), SlackConversationKind.Public);
        output.EndFile();
        WriteChannels(output.BeginFile("groups.json"), SlackConversationKind.Private);
        output.EndFile();
        WriteDms(output.BeginFile("dms.json"));
        output.EndFile();
        WriteChannels(output.BeginFile("mpims.json"), SlackConversationKind.Multi);
        output.EndFile();
        WriteIntegrationLogs(output.BeginFile("integration_logs.json"));
        output.EndFile();
    }

    private void WriteUsers(Utf8JsonWriter w)
    {
        w.WriteStartArray();
        foreach (var u in Users)
        {
            w.WriteStartObject();
            w.WriteString("id", u.Id);
            w.WriteString("team_id", TeamId);
            w.WriteString("name", u.Name);
            w.WriteBoolean("deleted", u.Deleted);
            if (!u.Deleted)
            {
                // Slack leaves the colour and time zone out for deactivated accounts.
                w.WriteString("color", u.Color);
            }

            w.WriteString("real_name", u.RealName);
            if (!u.Deleted)
            {
                SlackJson.String(w, "tz", u.Tz);
                w.WriteString("tz_label", u.TzLabel);
                w.WriteNumber("tz_offset", u.TzOffset);
            }

            w.WriteStartObject("profile");
            w.WriteString("title", u.Title);
            w.WriteString("phone", "");
            w.WriteString("skype", "");
            w.WriteString("real_name", u.RealName);
            w.WriteString("real_name_normalized", u.RealName);
            w.WriteString("display_name", u.DisplayName);
            w.WriteString("display_name_normalized", u.DisplayName);
            w.WriteNull("fields");
            w.WriteString("status_text", "");
            w.WriteString("status_emoji", "");
            w.WriteNumber("status_expiration", 0);
            w.WriteString("avatar_hash", u.AvatarHash);
            if (u.IsBot)
            {
                w.WriteString("api_app_id", u.AppId);
                w.WriteBoolean("always_active", true);
                w.WriteString("bot_id", u.BotId);
            }
            else if (!u.IsSlackbot)
            {
                w.WriteString("email", $"{u.Name}@{Domain}.example.com");
            }

            w.WriteString("first_name", u.FirstName);
            w.WriteString("last_name", u.LastName);
            SlackJson.String(w, "image_72", u.Image72);
            w.WriteString("team", TeamId);
            w.WriteEndObject();
            if (!u.Deleted)
            {
                w.WriteBoolean("is_admin", u.IsAdmin);
                w.WriteBoolean("is_owner", u.IsOwner);
                w.WriteBoolean("is_primary_owner", u.IsPrimaryOwner);
                w.WriteBoolean("is_restricted", false);
                w.WriteBoolean("is_ultra_restricted", false);
            }

            w.WriteBoolean("is_bot", u.IsBot);
            w.WriteBoolean("is_app_user", false);
            w.WriteNumber("updated", u.Updated);
            if (!u.IsBot && !u.Deleted && !u.IsSlackbot)
            {
                w.WriteBoolean("is_email_confirmed", true);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private void WriteChannels(Utf8JsonWriter w, SlackConversationKind kind)
    {
        w.WriteStartArray();
        foreach (var c in Conversations.Where(c => c.Kind == kind))
        {
            w.WriteStartObject();
            w.WriteString("id", c.Id);
            w.WriteString("name", c.Name);
            w.WriteNumber("created", c.Created);
            w.WriteString("creator", c.Creator.Id);
            w.WriteBoolean("is_archived", c.IsArchived);
            if (kind != SlackConversationKind.Multi)
            {
                w.WriteBoolean("is_general", c.IsGeneral);
            }

            w.WriteStartArray("members");
            foreach (var m in c.Members)
            {
                w.WriteStringValue(m.Id);
            }

            w.WriteEndArray();
            WriteTopic(w, "topic", c.Topic);
            WriteTopic(w, "purpose", c.Purpose);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteTopic(Utf8JsonWriter w, string name, SlackTopic topic)
    {
        w.WriteStartObject(name);
        SlackJson.String(w, "value", topic.Value);
        w.WriteString("creator", topic.Creator);
        w.WriteNumber("last_set", topic.LastSet);
        w.WriteEndObject();
    }

    private void WriteDms(Utf8JsonWriter w)
    {
        w.WriteStartArray();
        foreach (var c in Conversations.Where(c => c.Kind == SlackConversationKind.Direct))
        {
            w.WriteStartObject();
            w.WriteString("id", c.Id);
            w.WriteNumber("created", c.Created);
            w.WriteStartArray("members");
            w.WriteStringValue(c.Members[0].Id);
            w.WriteStringValue(c.Members[1].Id);
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private void WriteIntegrationLogs(Utf8JsonWriter w)
    {
        var admin = Users[0];
        w.WriteStartObject();
        w.WriteStartArray("logs");
        foreach (var bot in Bots)
        {
            w.WriteStartObject();
            w.WriteString("user_id", admin.Id);
            w.WriteString("user_name", admin.Name);
            w.WriteString("date", (EpochSeconds - (200L * 86_400)).ToString(CultureInfo.InvariantCulture));
            w.WriteString("change_type", "added");
            if (bot.UserId is null)
            {
                w.WriteString("service_id", bot.BotId);
                w.WriteString("service_type", "Incoming WebHooks");
            }
            else
            {
                w.WriteString("app_id", bot.BotId);
                w.WriteString("app_type", bot.Username);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Slack's id shape: a kind letter, then ten upper-case letters and digits; the index in base 36 keeps ids unique.</summary>
    private static string Id(char kind, int index, string suffix) => $"{kind}0{Base36(index, 4)}{suffix}";

    internal static string Base36(int value, int width)
    {
        const string digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var chars = new char[width];
        for (var i = width - 1; i >= 0; i--)
        {
            chars[i] = digits[value % 36];
            value /= 36;
        }

        return new string(chars);
    }

    /// <summary>Letters only: a digit after the base-36 index could make two ids collide.</summary>
    internal static string Letters(Random random, int length)
    {
        const string letters = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = letters[r.Next(letters.Length)];
            }
        });
    }

    internal static string Hex(Random random, int length) => string.Create(length, random, (span, r) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = "0123456789abcdef"[r.Next(16)];
        }
    });

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}

internal enum SlackConversationKind
{
    Public,
    Private,
    Direct,
    Multi,
}

internal sealed class SlackUser
{
    public required int Index { get; init; }
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string RealName { get; init; }
    public required string FirstName { get; init; }
    public required string LastName { get; init; }
    public required string DisplayName { get; init; }
    public bool Deleted { get; init; }
    public bool IsBot { get; init; }
    public bool IsSlackbot { get; init; }
    public bool IsAdmin { get; init; }
    public bool IsOwner { get; init; }
    public bool IsPrimaryOwner { get; init; }
    public string? BotId { get; init; }
    public string? AppId { get; init; }
    public required string AvatarHash { get; init; }
    public required string Color { get; init; }
    public required long Updated { get; init; }
    public required string Tz { get; init; }
    public required string TzLabel { get; init; }
    public required int TzOffset { get; init; }
    public required string Title { get; init; }
    public required string Image72 { get; init; }
}

/// <summary>A poster of <c>bot_message</c>s; <paramref name="UserId"/> is null for a legacy integration with no user.</summary>
internal sealed record SlackBot(string BotId, string Username, string? UserId);

internal sealed record SlackTopic(string Value, string Creator, long LastSet);

internal sealed class SlackConversation
{
    public required int Index { get; init; }
    public required SlackConversationKind Kind { get; init; }
    public required string Id { get; init; }

    /// <summary>Null for a DM, which Slack names by its id only.</summary>
    public required string? Name { get; init; }

    public required long Created { get; init; }
    public required SlackUser Creator { get; init; }
    public required SlackUser[] Members { get; init; }
    public bool IsGeneral { get; init; }
    public bool IsArchived { get; init; }
    public required SlackTopic Topic { get; init; }
    public required SlackTopic Purpose { get; init; }

    /// <summary>Public, private and group-DM folders are named after the conversation; a DM's after its id.</summary>
    public string Folder => Name ?? Id;

    /// <summary>The kind in the data contract's <c>conversations.kind</c>.</summary>
    public string ContractKind => Kind switch
    {
        SlackConversationKind.Public => "channel",
        SlackConversationKind.Private => "private_channel",
        SlackConversationKind.Direct => "direct",
        _ => "group",
    };
}
