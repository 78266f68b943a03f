using static EtlActors.IntegrationTests.Corpus.CorpusFiles;

namespace EtlActors.IntegrationTests.Corpus;

/// <summary>
/// Exports whose JSON is sound but some records are not: the bad ones are quarantined with their
/// reasons while the good ones load, until the error budget is spent.
/// </summary>
public static partial class MalformedCorpus
{
    private const int LongLineMessages = 2000;
    // Enough records that the reader is still reading when the first batch spends the budget.
    private const int BudgetMessages = 3_000; // small: the budget must hold even when the reader has already finished
    private const int LargestContent = 4_000_000;

    // A one-message export split where its content goes, for a content streamed in between.
    private static readonly (string Head, string Tail) _aroundContent = SplitAt(ExportOf(Message("1", "#")), "#");

    public static IReadOnlyList<CorpusCase> RecordCases => field ??=
    [
        Case("bad-records-among-good-ones", "messages.json",
            "messages without id, without conversationid, with a missing or unreadable timestamp (\"yesterday\", \"NaN\", 1e400), "
                + "and values that are not objects, between two good messages",
            Text(ExportOf(
                Message("1", "first"),
                """{"originalarrivaltime":"2024-03-01T09:00:00Z","content":"no id","conversationid":"8:live:bob"}""",
                """{"id":"3","originalarrivaltime":"2024-03-01T09:00:00Z","content":"no conversation"}""",
                """{"id":"4","originalarrivaltime":"yesterday","content":"vague","conversationid":"8:live:bob"}""",
                """{"id":"5","content":"timeless","conversationid":"8:live:bob"}""",
                """{"id":"6","originalarrivaltime":"NaN","content":"not a number","conversationid":"8:live:bob"}""",
                """{"id":"7","originalarrivaltime":1e400,"content":"too far","conversationid":"8:live:bob"}""",
                "42",
                "\"just text\"",
                "null",
                "[]",
                Message("12", "last"))),
            new Loads(1, ["8:live:bob/1: first", "8:live:bob/12: last"],
            [
                "1 missing_message_id: message has no 'id'",
                "2 missing_conversation_id: message 3 has no 'conversationid'",
                "3 invalid_timestamp: message 4 has an unparseable 'originalarrivaltime': \"yesterday\"",
                "4 invalid_timestamp: message 5 has no 'originalarrivaltime'",
                "5 invalid_timestamp: message 6 has an unparseable 'originalarrivaltime': \"NaN\"",
                "6 invalid_timestamp: message 7 has an unparseable 'originalarrivaltime': 1e400",
                "7 invalid_record: message is not a JSON object (found a number)",
                "8 invalid_record: message is not a JSON object (found a string)",
                "9 invalid_record: message is not a JSON object (found null)",
                "10 invalid_record: message is not a JSON object (found an array)",
            ])),

        Case("conversations-without-id-or-not-objects", "messages.json",
            "a conversation without an id (its messages name theirs, so they load), a string where a conversation belongs, "
                + "and a conversation whose MessageList is null",
            Text("{\"conversations\":[\n{\"displayName\":\"No id\",\"MessageList\":[\n" + Message("1", "kept") + "]},\n"
                + "\"not a conversation\",\n{\"id\":\"8:live:carol\",\"MessageList\":null}\n]}"),
            new Loads(1, ["8:live:bob/1: kept"],
            [
                "1 missing_conversation_id: conversation has no 'id'",
                "2 invalid_record: conversation is not a JSON object (found a string)",
            ])),

        Case("duplicate-keys", "messages.json",
            "a message naming \"id\" and \"content\" twice: the last of each counts, as in JavaScript's JSON.parse",
            Text(ExportOf("""{"id":"1","id":"2","originalarrivaltime":"2024-03-01T09:00:00Z","content":"first","content":"second","conversationid":"8:live:bob"}""")),
            new Loads(1, ["8:live:bob/2: second"], [])),

        Case("duplicate-message-ids", "messages.json",
            "messages 1 and 2 each appear twice with different versions: one row each, the higher version's",
            Text(ExportOf(
                Message("1", "old", ",\"version\":1"),
                Message("1", "new", ",\"version\":2"),
                Message("2", "kept", ",\"version\":5"),
                Message("2", "stale", ",\"version\":3"))),
            new Loads(1, ["8:live:bob/1: new", "8:live:bob/2: kept"], [])),

        Case("escaped-control-characters-and-lone-surrogate", "messages.json",
            "escaped control characters (\\u0007, \\u001b) and half an emoji (\\ud83d) in content: valid JSON, loaded",
            Text(ExportOf(Message("1", @"bell\u0007 escape\u001b end"), Message("2", @"half \ud83d emoji"))),
            new Loads(1, ["8:live:bob/1: bell\u0007 escape\u001b end", "8:live:bob/2: half \uFFFD emoji"], [])),

        Case("extremely-long-line", "messages.json",
            $"{LongLineMessages} messages of 2 KB each on one 4 MB line",
            Text(() => ExportOf(string.Join(",", Enumerable.Range(1, LongLineMessages).Select(i => Message($"{i}", LongLineContent(i))))).Replace("\n", "", StringComparison.Ordinal)),
            new Loads(1, [.. Enumerable.Range(1, LongLineMessages)
                .OrderBy(i => $"{i}", StringComparer.Ordinal) // message_id is text: "1", "10", "100", …
                .Select(i => $"8:live:bob/{i}: {CorpusRunner.Shorten(LongLineContent(i))}")], [])),

        Case("largest-legal-message", "messages.json",
            $"one message whose content is a {LargestContent:N0}-character string, just under the 4 MiB record limit: it loads within the memory bound",
            Streamed(_aroundContent.Head, "z", LargestContent, _aroundContent.Tail),
            new Loads(1, [$"8:live:bob/1: {CorpusRunner.Shorten(new string('z', LargestContent))}"], [])),

        Case("error-budget-spent", "messages.json",
            $"every third of {BudgetMessages:N0} messages has no id: the first batch (2,000 records) is a third quarantined, "
                + "more than the 10% allowed once 1,000 records are read, so the job stops there",
            Text(() => ExportOf(Enumerable.Range(1, BudgetMessages)
                .Select(i => i % 3 == 0
                    ? """{"content":"no id","conversationid":"8:live:bob","originalarrivaltime":"2024-03-01T09:00:00Z"}"""
                    : Message($"{i}", "fine"))
                .ToArray())),
            new Fails("error budget spent: 666 of 2000 records quarantined (limit 10 % of records); "
                + "see the quarantine table for job_id 'corpus-error-budget-spent'", NamesFile: true)),
    ];

    private static string LongLineContent(int i) => $"message {i} " + new string((char)('a' + (i % 26)), 2000);

    private static (string Head, string Tail) SplitAt(string text, string marker)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        return (text[..at], text[(at + marker.Length)..]);
    }
}
