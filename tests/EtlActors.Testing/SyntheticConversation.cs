using System.Text.Json;

namespace EtlActors.Testing;

/// <summary>
/// One generated conversation: of every ten, six are direct (<c>8:</c>), three group
/// (<c>19:…@thread.skype</c>) and one a bot (<c>28:</c>), so any three in a row show each kind.
/// </summary>
internal sealed class SyntheticConversation
{
    private const string Me = "8:live:me";
    private const int People = 240;

    private readonly (string Id, string Name)[] _others;

    private SyntheticConversation(int index, string id, string? displayName, (string Id, string Name)[] others, string? topic)
    {
        Index = index;
        Id = id;
        DisplayName = displayName;
        _others = others;
        Topic = topic;
    }

    public int Index { get; }
    public string Id { get; }
    public string? DisplayName { get; }
    public string? Topic { get; }
    public bool IsGroup => Topic is not null;

    public static SyntheticConversation Create(int index, Random random, SyntheticSkypeContent content)
    {
        switch (index % 10)
        {
            case 1 or 4 or 7:
                var members = Enumerable.Range(0, random.Next(2, 12)).Select(_ => Person(random.Next(People), content)).DistinctBy(p => p.Id).ToArray();
                var id = $"19:{random.NextInt64():x16}{index:x8}@thread.skype";
                var topic = $"Project {(char)('A' + (index % 26))}{index} · planning";
                // Group chats often carry no display name of their own: the topic names them.
                return new SyntheticConversation(index, id, index % 2 == 0 ? null : topic, members, topic);
            case 2:
                var bot = ($"28:bot-{index}", $"Helper Bot {index}");
                return new SyntheticConversation(index, bot.Item1, bot.Item2, [bot], null);
            default:
                var friend = Person((index * 7) % People, content);
                return new SyntheticConversation(index, $"8:live:friend{index}", friend.Name, [($"8:live:friend{index}", friend.Name)], null);
        }
    }

    public (string Id, string Name) PickSender(Random random) =>
        random.Next(3) == 0 ? (Me, "Me") : _others[random.Next(_others.Length)];

    public string PickMember(Random random) => _others[random.Next(_others.Length)].Id;

    public void WriteProperties(Utf8JsonWriter writer, long lastMessageTime)
    {
        if (Index % 5 != 3)
        {
            writer.WriteStartObject("properties");
            writer.WriteBoolean("conversationblocked", false);
            writer.WriteString("lastimreceivedtime", DateTimeOffset.FromUnixTimeMilliseconds(lastMessageTime).UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("consumptionhorizon", $"{lastMessageTime};{lastMessageTime + 5000};{lastMessageTime}");
            writer.WriteEndObject();
        }

        if (!IsGroup)
        {
            writer.WriteNull("threadProperties");
            return;
        }

        writer.WriteStartObject("threadProperties");
        writer.WriteNumber("membercount", _others.Length + 1);
        writer.WriteString("members", JsonSerializer.Serialize(_others.Select(o => o.Id).Prepend(Me)));
        writer.WriteString("topic", Topic);
        writer.WriteEndObject();
    }

    private static (string Id, string Name) Person(int index, SyntheticSkypeContent content) =>
        ($"8:live:user{index}", content.PersonName(index));
}
