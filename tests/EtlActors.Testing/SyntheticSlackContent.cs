using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EtlActors.Testing;

/// <summary>
/// Message text in Slack's markup (<c>&lt;@U…&gt;</c>, <c>&lt;#C…|name&gt;</c>, <c>&lt;https://…|label&gt;</c>,
/// <c>&lt;!here&gt;</c>, <c>:emoji:</c>, <c>*bold*</c>, and <c>&amp;amp; &amp;lt; &amp;gt;</c> for the three characters Slack escapes),
/// composed from pieces so the same message's <c>rich_text</c> block says the same thing unescaped, as Slack's clients write it.
/// </summary>
internal sealed class SyntheticSlackText(Random random)
{
    private static readonly string[] _phrases =
    [
        "are we still on for the sync", "I pushed the fix to main", "the build is green again", "can someone review my PR before lunch",
        "running ten minutes late", "happy birthday, have a great one", "the meeting moved to Thursday at 3", "did you see the new designs",
        "let's grab coffee after standup", "the client loved the demo", "Grüße aus Köln", "I'll be offline this afternoon",
        "thanks for the help yesterday", "R&D wants the numbers by Friday", "latency is < 200 ms now", "p99 > budget again",
        "who owns the on-call rotation this week", "deploying v2.14 in five", "rolling back, sorry", "the dashboard looks off to me",
        "lunch? 🍕", "je reviens dans 5 min", "ship it", "can we move this to a thread", "added notes to the doc",
    ];

    private static readonly string[] _emoji = ["tada", "thumbsup", "eyes", "white_check_mark", "pray", "rocket", "joy", "fire", "+1::skin-tone-3"];
    private static readonly string[] _linkLabels = ["the doc", "dashboard", "PR", "ticket", "this"];
    private static readonly string[] _hosts = ["github.com/acme/etl/pull/", "acme.atlassian.net/browse/ETL-", "docs.google.com/document/d/1x", "grafana.acme.io/d/", "example.com/a?b=1&c="];

    private readonly List<Piece> _pieces = [];
    private readonly StringBuilder _builder = new();

    private enum PieceKind
    {
        Text,
        User,
        Channel,
        Link,
        Emoji,
        Broadcast,
    }

    /// <summary>Composes a new message body, replacing the last.</summary>
    public void Compose(SlackConversation conversation, SyntheticSlackWorkspace workspace)
    {
        _pieces.Clear();
        if (random.Next(100) < 3 && conversation.Kind is SlackConversationKind.Public or SlackConversationKind.Private)
        {
            _pieces.Add(new(PieceKind.Broadcast, random.Next(2) == 0 ? "here" : "channel"));
            _pieces.Add(new(PieceKind.Text, " "));
        }

        if (random.Next(100) < 15)
        {
            _pieces.Add(new(PieceKind.User, conversation.Members[random.Next(conversation.Members.Length)].Id));
            _pieces.Add(new(PieceKind.Text, " "));
        }

        var phrases = random.Next(1, 4);
        for (var i = 0; i < phrases; i++)
        {
            var phrase = _phrases[random.Next(_phrases.Length)];
            var style = random.Next(100) switch { < 5 => "bold", < 8 => "italic", < 10 => "code", < 11 => "strike", _ => null };
            _pieces.Add(new(PieceKind.Text, i == 0 ? Capitalise(phrase) : phrase, Style: style));
            _pieces.Add(new(PieceKind.Text, i + 1 < phrases ? (random.Next(10) == 0 ? "\n" : ". ") : random.Next(3) == 0 ? "!" : "."));
        }

        if (random.Next(100) < 15)
        {
            var url = $"https://{_hosts[random.Next(_hosts.Length)]}{random.Next(1, 99999)}";
            _pieces.Add(new(PieceKind.Text, " See "));
            _pieces.Add(new(PieceKind.Link, url, random.Next(2) == 0 ? _linkLabels[random.Next(_linkLabels.Length)] : null));
        }

        if (random.Next(100) < 8 && workspace.PublicChannels.Count > 0)
        {
            var channel = workspace.PublicChannels[random.Next(workspace.PublicChannels.Count)];
            _pieces.Add(new(PieceKind.Text, " (in "));
            _pieces.Add(new(PieceKind.Channel, channel.Id, channel.Name));
            _pieces.Add(new(PieceKind.Text, ")"));
        }

        if (random.Next(100) < 12)
        {
            _pieces.Add(new(PieceKind.Text, " "));
            _pieces.Add(new(PieceKind.Emoji, _emoji[random.Next(_emoji.Length)]));
        }
    }

    /// <summary>The composed body as Slack's <c>text</c>: markup, with <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> escaped.</summary>
    public string Markup()
    {
        _builder.Clear();
        foreach (var piece in _pieces)
        {
            switch (piece.Kind)
            {
                case PieceKind.Text:
                    var mark = piece.Style switch { "bold" => "*", "italic" => "_", "code" => "`", "strike" => "~", _ => "" };
                    _builder.Append(mark);
                    foreach (var c in piece.Value)
                    {
                        _builder.Append(c switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", _ => c.ToString() });
                    }

                    _builder.Append(mark);
                    break;
                case PieceKind.User:
                    _builder.Append("<@").Append(piece.Value).Append('>');
                    break;
                case PieceKind.Channel:
                    _builder.Append("<#").Append(piece.Value).Append('|').Append(piece.Label).Append('>');
                    break;
                case PieceKind.Link:
                    _builder.Append('<').Append(piece.Value);
                    if (piece.Label is not null)
                    {
                        _builder.Append('|').Append(piece.Label);
                    }

                    _builder.Append('>');
                    break;
                case PieceKind.Emoji:
                    _builder.Append(':').Append(piece.Value).Append(':');
                    break;
                default:
                    _builder.Append("<!").Append(piece.Value).Append('>');
                    break;
            }
        }

        return _builder.ToString();
    }

    /// <summary>The composed body as the <c>blocks</c> array of a modern client's message.</summary>
    public void WriteBlocks(Utf8JsonWriter w)
    {
        w.WriteStartArray("blocks");
        w.WriteStartObject();
        w.WriteString("type", "rich_text");
        w.WriteString("block_id", SyntheticSlackWorkspace.Letters(random, random.Next(3, 6)));
        w.WriteStartArray("elements");
        w.WriteStartObject();
        w.WriteString("type", "rich_text_section");
        w.WriteStartArray("elements");
        _builder.Clear();
        foreach (var piece in _pieces)
        {
            // Slack's clients write a run of unstyled text as one element.
            if (piece is { Kind: PieceKind.Text, Style: null })
            {
                _builder.Append(piece.Value);
                continue;
            }

            WritePlainText(w);
            w.WriteStartObject();
            switch (piece.Kind)
            {
                case PieceKind.Text:
                    w.WriteString("type", "text");
                    SlackJson.String(w, "text", piece.Value);
                    w.WriteStartObject("style");
                    w.WriteBoolean(piece.Style!, true);
                    w.WriteEndObject();
                    break;
                case PieceKind.User:
                    w.WriteString("type", "user");
                    w.WriteString("user_id", piece.Value);
                    break;
                case PieceKind.Channel:
                    w.WriteString("type", "channel");
                    w.WriteString("channel_id", piece.Value);
                    break;
                case PieceKind.Link:
                    w.WriteString("type", "link");
                    SlackJson.String(w, "url", piece.Value);
                    if (piece.Label is not null)
                    {
                        w.WriteString("text", piece.Label);
                    }

                    break;
                case PieceKind.Emoji:
                    w.WriteString("type", "emoji");
                    w.WriteString("name", piece.Value);
                    break;
                default:
                    w.WriteString("type", "broadcast");
                    w.WriteString("range", piece.Value);
                    break;
            }

            w.WriteEndObject();
        }

        WritePlainText(w);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private void WritePlainText(Utf8JsonWriter w)
    {
        if (_builder.Length == 0)
        {
            return;
        }

        w.WriteStartObject();
        w.WriteString("type", "text");
        SlackJson.String(w, "text", _builder.ToString());
        w.WriteEndObject();
        _builder.Clear();
    }

    private static string Capitalise(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private readonly record struct Piece(PieceKind Kind, string Value, string? Label = null, string? Style = null);
}

/// <summary>Strings as Slack's exporter writes them: <c>/</c> escaped as <c>\/</c>, other characters (accents, emoji) as UTF-8.</summary>
internal static class SlackJson
{
    public static void String(Utf8JsonWriter w, string name, string? value)
    {
        w.WritePropertyName(name);
        Value(w, value);
    }

    public static void Value(Utf8JsonWriter w, string? value)
    {
        if (value is null)
        {
            w.WriteNullValue();
        }
        else if (!value.Contains('/', StringComparison.Ordinal))
        {
            w.WriteStringValue(value);
        }
        else
        {
            w.WriteRawValue(Escape(value), skipInputValidation: true);
        }
    }

    /// <summary>A JSON string literal with every <c>/</c> escaped, which Utf8JsonWriter never does by itself.</summary>
    public static string Escape(string value)
    {
        var b = new StringBuilder(value.Length + 16).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '/': b.Append("\\/"); break;
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                case < ' ': b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: b.Append(c); break;
            }
        }

        return b.Append('"').ToString();
    }
}

/// <summary>
/// Where the export's files go: a folder, or a zip written entry by entry (the archive keeps only each
/// entry's name and sizes, so memory stays flat). One file is open at a time, through one reused JSON writer
/// indented like Slack's (four spaces).
/// </summary>
internal sealed class SlackExportOutput : IDisposable
{
    private const int FlushBytes = 64 * 1024;

    /// <summary>Fixed, so the same seed gives the same zip bytes.</summary>
    private static readonly DateTimeOffset _entryTime = new(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _root;
    private readonly ZipArchive? _zip;
    private readonly Utf8JsonWriter _writer;
    private Stream? _file;

    private SlackExportOutput(string root, ZipArchive? zip)
    {
        _root = root;
        _zip = zip;
        _writer = new Utf8JsonWriter(Stream.Null, new JsonWriterOptions
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Indented = true,
            IndentSize = 4,
            SkipValidation = false,
        });
    }

    /// <summary>Bytes of JSON written, before compression.</summary>
    public long UncompressedBytes { get; private set; }

    public static SlackExportOutput Folder(string path)
    {
        Directory.CreateDirectory(path);
        return new SlackExportOutput(path, null);
    }

    public static SlackExportOutput Zip(string path)
    {
        var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 20);
        return new SlackExportOutput(path, new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: false, Encoding.UTF8));
    }

    /// <summary>A conversation's folder (in a zip, a directory entry, as zip tools write them).</summary>
    public void CreateFolder(string name)
    {
        if (_zip is null)
        {
            Directory.CreateDirectory(Path.Combine(_root, name));
        }
        else
        {
            _zip.CreateEntry(name + "/").LastWriteTime = _entryTime;
        }
    }

    public Utf8JsonWriter BeginFile(string relativePath)
    {
        if (_file is not null)
        {
            throw new InvalidOperationException("one file at a time");
        }

        if (_zip is null)
        {
            _file = new FileStream(Path.Combine(_root, relativePath), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        }
        else
        {
            var entry = _zip.CreateEntry(relativePath, CompressionLevel.Optimal);
            entry.LastWriteTime = _entryTime;
            _file = entry.Open();
        }

        _writer.Reset(_file);
        return _writer;
    }

    /// <summary>Hands the writer's buffer to the file once it holds enough, so a busy day costs no more memory than a quiet one.</summary>
    public void FlushIfFull()
    {
        if (_writer.BytesPending > FlushBytes)
        {
            _writer.Flush();
        }
    }

    public void EndFile()
    {
        _writer.Flush();
        UncompressedBytes += _writer.BytesCommitted;
        _writer.Reset(Stream.Null);
        _file!.Dispose();
        _file = null;
    }

    public void Dispose()
    {
        _file?.Dispose();
        _writer.Dispose();
        _zip?.Dispose();
    }
}
