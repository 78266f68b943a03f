using System.Text;
using static EtlActors.IntegrationTests.Corpus.CorpusFiles;

namespace EtlActors.IntegrationTests.Corpus;

/// <summary>JSON text that is cut short, invalid, too deep, too large or followed by more.</summary>
public static partial class MalformedCorpus
{
    private const int RecordLimit = 4 * 1024 * 1024;

    private static readonly string _truncatedInString = GoodExport[..(GoodExport.IndexOf("first", StringComparison.Ordinal) + 2)];
    private static readonly string _truncatedBeforeId = "{\"conversations\":[\n{\"MessageList\":[\n" + Message("1", "the id comes after the messages") + ",\n" + Message("2", "cut");
    private static readonly string _invalidUtf8 = ExportOf(Message("1", "first"), Message("2", "caf\u00E9 au lait"));
    private static readonly string _invalidToken = ExportOf(Message("1", "first"), """{"id":"2","content":oops,"conversationid":"8:live:bob"}""");
    private static readonly string _nan = ExportOf(Message("1", "first", ",\"version\":NaN"));
    private static readonly string _infinity = ExportOf(Message("1", "first", ",\"version\":-Infinity"));
    private static readonly string _deepMessage = ExportOf(Message("1", "first", ",\"properties\":" + new string('[', 10_000) + new string(']', 10_000)));
    private static readonly string _deepField = "{\"userId\":" + string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000) + ",\"conversations\":[]}";
    private static readonly string _controlChar = ExportOf(Message("1", "a raw \u0001 in a string"));

    public static IReadOnlyList<CorpusCase> JsonCases => field ??=
    [
        Case("truncated-after-a-top-level-field", "messages.json",
            "the file ends after the first field of the top-level object",
            Text("{\"userId\":\"8:live:me\","),
            new Fails("line 1, byte 22: unexpected end of data")),

        Case("truncated-inside-a-string", "messages.json",
            "the file ends inside a message's content string",
            Text(_truncatedInString),
            new Fails($"{EndOf(_truncatedInString)}: unexpected end of data")),

        Case("truncated-before-the-conversation-id", "messages.json",
            "the file ends inside a MessageList that comes before its conversation's id (the reader looks ahead for the id)",
            Text(_truncatedBeforeId),
            new Fails($"{EndOf(_truncatedBeforeId)}: unexpected end of data")),

        Case("invalid-utf8-in-a-string", "messages.json",
            "the 'é' of a message's content is the invalid UTF-8 sequence C3 28",
            Bytes(Encoding.UTF8.GetBytes(_invalidUtf8).Select(b => b == 0xA9 ? (byte)0x28 : b).ToArray()),
            new Fails($"{At(_invalidUtf8, "\u00E9")}: invalid UTF-8")),

        Case("invalid-token", "messages.json",
            "an unquoted word where a value belongs",
            Text(_invalidToken),
            new Fails($"{At(_invalidToken, "oops")}: invalid JSON: 'o' is an invalid start of a value.")),

        Case("nan-literal", "messages.json",
            "NaN as a bare number literal (JavaScript, not JSON)",
            Text(_nan),
            new Fails($"{At(_nan, "NaN")}: invalid JSON: 'N' is an invalid start of a value.")),

        Case("infinity-literal", "messages.json",
            "-Infinity as a bare number literal (JavaScript, not JSON)",
            Text(_infinity),
            new Fails($"{At(_infinity, "Infinity")}: invalid JSON: 'I' is invalid within a number, immediately after a sign character ('+' or '-'). Expected a digit ('0'-'9').")),

        Case("deeply-nested-message", "messages.json",
            "a message's properties nested 10,000 arrays deep; the reader stops at depth 64 (the message itself is at depth 5)",
            Text(_deepMessage),
            new Fails($"{At(_deepMessage, "[[[", skip: 59)}: invalid JSON: The maximum configured depth of 64 has been exceeded. Cannot read next JSON array.")),

        Case("deeply-nested-skipped-field", "messages.json",
            "a top-level field the reader skips, nested 10,000 objects deep",
            Text(_deepField),
            new Fails($"{At(_deepField, "{\"a\":", skip: 5 * 63)}: invalid JSON: The maximum configured depth of 64 has been exceeded. Cannot read next JSON object.")),

        Case("raw-control-character", "messages.json",
            "a raw U+0001 inside a string (JSON requires control characters to be escaped)",
            Text(_controlChar),
            new Fails($"{At(_controlChar, "\u0001")}: invalid JSON: '0x01' is invalid within a JSON string. The string should be correctly escaped.")),

        Case("trailing-garbage", "messages.json",
            "a comment line after the export's closing brace",
            Text(GoodExport + "\n// exported by SkypeTool 2.1\n"),
            new Fails("line 7, byte 0: unexpected data after the end of the JSON document")),

        Case("string-of-300-mb", "messages.json",
            "a message whose content is one string of 300 MiB: past the 4 MiB record limit, so the read stops there",
            Streamed(ExportOf("{\"id\":\"1\",\"conversationid\":\"8:live:bob\",\"content\":\"")[..^"\n]}\n]}\n".Length], "x", 300L << 20, "\"}\n]}\n]}\n"),
            new Fails($"line 3, byte 0: record larger than {RecordLimit} bytes")),

        Case("skipped-field-of-20-mb", "messages.json",
            "a top-level field the reader skips holding one string of 20 MiB",
            Streamed("{\"exportDate\":\"2024-03-01T10:00\",\n\"userId\":\"", "y", 20L << 20, "\",\"conversations\":[]}"),
            new Fails($"line 2, byte 9: record larger than {RecordLimit} bytes")),
    ];

    /// <summary>"line L, byte B" of the first <paramref name="marker"/> (plus <paramref name="skip"/> characters), counting UTF-8 bytes.</summary>
    private static string At(string text, string marker, int skip = 0) => PositionOf(text, text.IndexOf(marker, StringComparison.Ordinal) + skip);

    /// <summary>"line L, byte B" just past the last character.</summary>
    private static string EndOf(string text) => PositionOf(text, text.Length);

    private static string PositionOf(string text, int index)
    {
        var before = Encoding.UTF8.GetBytes(text[..index]);
        var lineStart = Array.LastIndexOf(before, (byte)'\n') + 1;
        return $"line {before.Count(b => b == '\n') + 1}, byte {before.Length - lineStart}";
    }
}
