using System.Text;

namespace EtlActors.Testing;

/// <summary>Message types and bodies shaped like a real Skype export's, drawn from a seeded random.</summary>
internal sealed class SyntheticSkypeContent(Random random)
{
    private static readonly string[] _firstNames = ["Anna", "Bob", "Chloé", "Dmitri", "Emeka", "Fatima", "Gustav", "Hana", "Iñigo", "Jun", "Kofi", "Lena"];
    private static readonly string[] _lastNames = ["Schmidt", "Ng", "Dubois", "Ivanov", "Okafor", "Haddad", "Berg", "Sato", "García", "Chen", "Mensah", "Novak"];
    private static readonly string[] _phrases =
    [
        "are we still on for tonight", "I sent the report to the whole team", "the build is green again",
        "can you review my changes before lunch", "traffic is terrible, running ten minutes late",
        "happy birthday, have a great one", "the meeting moved to Thursday at 3", "did you see the new designs",
        "let's grab coffee after the standup", "the client loved the demo", "Grüße aus Köln",
        "I'll be offline for the afternoon", "thanks for the help yesterday", "the invoice is attached in the thread",
    ];

    private static readonly (string Type, string Text)[] _emoticons =
        [("smile", ":)"), ("laugh", ":D"), ("wink", ";)"), ("cool", "(cool)"), ("heart", "(heart)"), ("like", "(like)")];

    private static readonly string[] _files = ["report.pdf", "budget 2020.xlsx", "holiday.jpg", "notes.docx", "route.gpx", "slides.pptx"];

    private readonly StringBuilder _text = new();

    public string PersonName(int index) => $"{_firstNames[index % _firstNames.Length]} {_lastNames[index / _firstNames.Length % _lastNames.Length]}";

    /// <summary>Picks a message type: mostly chat, some files, calls and (in groups) membership events.</summary>
    public string MessageType(bool group)
    {
        var roll = random.Next(100);
        return roll switch
        {
            < 52 => "RichText",
            < 72 => "Text",
            < 79 => "RichText/UriObject",
            < 87 => "Event/Call",
            < 91 when group => "ThreadActivity/AddMember",
            _ => "RichText",
        };
    }

    public string Content(string type, string senderId, string senderName, string targetId, long eventTime) => type switch
    {
        "Text" => Sentence(random.Next(1, 5)),
        "RichText/UriObject" => UriObject(),
        "Event/Call" => Call(senderId, senderName),
        "ThreadActivity/AddMember" =>
            $"<addmember><eventtime>{eventTime}</eventtime><initiator>{senderId}</initiator><target>{targetId}</target></addmember>",
        _ => RichText(),
    };

    private string RichText()
    {
        _text.Clear();
        var (type, text) = _emoticons[random.Next(_emoticons.Length)];
        _text.Append(Capitalise(Phrase())).Append(' ').Append($"<ss type=\"{type}\">{text}</ss>").Append(' ');
        switch (random.Next(4))
        {
            case 0:
                _text.Append("<b>").Append(Phrase()).Append("</b>, see ")
                    .Append($"<a href=\"https://wiki.example.com/pages/{random.Next(100000)}?view=full&amp;lang=en\">the wiki page</a>");
                break;
            case 1:
                _text.Append("Fish &amp; chips at <i>").Append(_firstNames[random.Next(_firstNames.Length)]).Append("'s</i> &gt; pizza");
                break;
            case 2:
                _text.Append("<a href=\"https://example.org/t/").Append(random.Next(1000000)).Append("\">https://example.org/t/…</a> ").Append(Phrase());
                break;
            default:
                _text.Append(Phrase()).Append(" &quot;").Append(Phrase()).Append("&quot; 😀");
                break;
        }

        _text.Append(". ").Append(Capitalise(Phrase())).Append('?');
        for (var extra = random.Next(1, 3); extra > 0; extra--)
        {
            _text.Append(' ').Append(Capitalise(Phrase())).Append('.');
        }

        return _text.ToString();
    }

    private string Sentence(int phrases)
    {
        _text.Clear();
        for (var i = 0; i < phrases; i++)
        {
            _text.Append(Capitalise(Phrase())).Append(i % 2 == 0 ? ". " : "! ");
        }

        return _text.ToString().TrimEnd();
    }

    private string UriObject()
    {
        var docId = $"0-weu-d{random.Next(1, 9)}-{random.NextInt64(0x1000_0000_0000, 0xFFFF_FFFF_FFFF):x12}";
        var name = _files[random.Next(_files.Length)];
        var api = $"https://api.asm.skype.com/v1/objects/{docId}";
        var link = $"https://login.skype.com/login/sso?go=webclient.xmm&amp;docid={docId}";
        return $"<URIObject type=\"File.1\" uri=\"{api}\" url_thumbnail=\"{api}/views/thumbnail\"><Title>Title: {name}</Title>"
            + $"<Description> Description: {name}</Description><a href=\"{link}\">{link}</a>"
            + $"<OriginalName v=\"{name}\"/><FileSize v=\"{random.Next(1000, 30_000_000)}\"/></URIObject>";
    }

    private string Call(string senderId, string senderName)
    {
        var identity = senderId.StartsWith("8:", StringComparison.Ordinal) ? senderId[2..] : senderId;
        return random.Next(3) switch
        {
            0 => $"<partlist type=\"started\" alt=\"\"><part identity=\"{identity}\"><name>{senderName}</name></part></partlist>",
            1 => $"<partlist type=\"ended\" alt=\"\"><part identity=\"{identity}\"><name>{senderName}</name><duration>{random.Next(5, 4000)}</duration></part></partlist>",
            _ => $"<partlist type=\"missed\" alt=\"\"><part identity=\"{identity}\"><name>{senderName}</name></part></partlist>",
        };
    }

    private string Phrase() => _phrases[random.Next(_phrases.Length)];

    private static string Capitalise(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
