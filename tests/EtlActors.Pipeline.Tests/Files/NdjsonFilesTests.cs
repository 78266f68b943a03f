using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Tests.Files;

public sealed class NdjsonFilesTests : IDisposable
{
    private const string Chat = """
        into: messages
        source: helpdesk
        columns:
          conversation_id: ticket.id
          conversation_name: ticket.subject
          message_id: { from: id, type: int }
          sender_id: author.id
          sender_name: author.name
          sent_at: { from: at, type: timestamp, format: unix_ms }
          edited_at: edited
          content_text: body
          content_raw: raw
          message_type: kind
          revision: version
        """;

    private readonly FilesRun _run = new();

    [Fact]
    public async Task Lines_become_messages_with_their_conversation_sender_and_raw_line()
    {
        var line1 = """{"id": 7, "ticket": {"id": "T-1", "subject": "Printer"}, "author": {"id": "u1", "name": "Ann"}, "at": 1767225600000, "body": "It jams", "raw": {"html": "<p>It jams</p>"}, "kind": "comment", "version": 2}""";
        var line3 = """{"id": "8", "ticket": {"id": "T-1"}, "author": {"id": "u2"}, "edited": "2026-01-01T01:00:00+01:00", "body": null}""";
        var file = _run.File("tickets.ndjson", line1 + "\n\n" + line3 + "\n", bom: true);

        var records = await _run.ReadAsync(file, Chat);
        var result = _run.Normalize(records, Chat);

        Assert.Equal(["T-1", "T-1"], records.Select(r => r.ConversationId));
        Assert.Empty(result.Quarantined);
        Assert.Equal(
            [
                new MessageRow("acme", "helpdesk", "T-1", "7", "u1", "Ann", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), "comment", "It jams",
                    """{"html": "<p>It jams</p>"}""", null, null, null, 2, "job-1"),
                new MessageRow("acme", "helpdesk", "T-1", "8", "u2", null, null, "Text", "", null,
                    new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), null, null, 0, "job-1"),
            ],
            result.Messages);
        Assert.Equal(
            [new ConversationRow("acme", "helpdesk", "T-1", "other", "Printer", null, null, null), new ConversationRow("acme", "helpdesk", "T-1", "other", null, null, null, null)],
            result.Conversations);
        Assert.Equal(
            [new ParticipantRow("acme", "helpdesk", "u1", "Ann", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)), new ParticipantRow("acme", "helpdesk", "u2", null, null)],
            result.Participants);
        Assert.Equal(
            [new RawRecordRow("acme", "helpdesk", "tickets.ndjson:1", line1, "job-1", FilesRun.ExtractedAt), new RawRecordRow("acme", "helpdesk", "tickets.ndjson:3", line3, "job-1", FilesRun.ExtractedAt)],
            result.RawRecords);
    }

    [Fact]
    public async Task Bad_lines_are_quarantined_with_their_line_numbers_and_text()
    {
        var file = _run.File("tickets.jsonl", string.Join("\n",
            """{"id": 1, "ticket": {"id": "T-1"}}""",
            """{"id": 2, "ticket": {"id": "T-1"}""",
            """[1, 2]""",
            """{"id": 3.5, "ticket": {"id": "T-2"}}""",
            """{"id": 4}""",
            """{"id": 5, "ticket": {"id": "T-2"}, "at": "yesterday"}""",
            """{"id": 6, "ticket": {"id": "T-2"}, "version": true}""",
            """{"id": 7, "ticket": {"id": "T-2"}}"""));

        var result = await _run.RunAsync(file, Chat);

        Assert.Equal(["1", "7"], result.Messages.Select(m => m.MessageId));
        Assert.Equal(
            [
                (1L, "invalid_json", "tickets.jsonl: line 2: not valid JSON: "),
                (2L, "invalid_json", "tickets.jsonl: line 3: not a JSON object (found array)"),
                (3L, "invalid_value", "tickets.jsonl: line 4: column 'message_id' (from 'id'): 3.5 is not a whole number"),
                (4L, "missing_key", "tickets.jsonl: line 5: key column 'conversation_id' (from 'ticket.id') has no value"),
                (5L, "invalid_value", "tickets.jsonl: line 6: column 'sent_at' (from 'at'): 'yesterday' is not a timestamp in format 'unix_ms'"),
                (6L, "invalid_value", "tickets.jsonl: line 7: column 'revision' (from 'version'): a boolean is not a whole number"),
            ],
            result.Quarantined.Select(q => (q.RecordOffset, q.ErrorCode, q.ErrorCode == "invalid_json" && q.Message.Contains("valid JSON", StringComparison.Ordinal)
                ? q.Message[..q.Message.IndexOf("JSON: ", StringComparison.Ordinal)] + "JSON: " : q.Message)));
        Assert.Equal("""{"id": 2, "ticket": {"id": "T-1"}""", result.Quarantined[0].Payload);
    }

    [Fact]
    public async Task Values_convert_to_their_declared_types_from_json_and_text()
    {
        const string mapping = """
            into: table
            table: readings
            key: [sensor, n]
            columns:
              sensor: sensor
              n: { from: n, type: int }
              value: { from: v, type: decimal }
              ok: { from: ok, type: bool }
              at: { from: at, type: timestamp }
              at_unix: { from: unix, type: timestamp, format: unix }
              tags: tags
              first_tag: 'tags[0]'
            """;
        var file = _run.File("r.ndjson", string.Join("\n",
            """{"sensor": 12, "n": "3", "v": 1.250, "ok": "no", "at": "2026-03-04T05:06:07.5-02:00", "unix": 1767225600, "tags": ["a", "b"]}""",
            """{"sensor": "s", "n": -4, "v": "1e3", "ok": true, "at": "2026-03-04 05:06:07", "unix": "1767225600.5"}"""));

        var result = await _run.RunAsync(file, mapping);

        Assert.Empty(result.Quarantined);
        Assert.Equal(
            [
                ["12", "3", "1.250", "false", "2026-03-04T07:06:07.5000000+00:00", "2026-01-01T00:00:00.0000000+00:00", """["a", "b"]""", "a"],
                ["s", "-4", "1000", "true", "2026-03-04T05:06:07.0000000+00:00", "2026-01-01T00:00:00.5000000+00:00", null, null],
            ],
            result.Tables.Single().Rows.Select(r => r.Values.ToArray()));
    }

    [Fact]
    public async Task Blank_lines_are_not_records_and_a_resumed_read_skips_by_ordinal()
    {
        var file = _run.File("t.ndjson", "\n{\"id\": 1, \"ticket\": {\"id\": \"a\"}}\n  \n{\"id\": 2, \"ticket\": {\"id\": \"b\"}}\r\n{\"id\": 3, \"ticket\": {\"id\": \"c\"}}");

        var all = await _run.ReadAsync(file, Chat);
        var resumed = await _run.ReadAsync(file, Chat, from: 2);

        Assert.Equal([0L, 1L, 2L], all.Select(r => r.Offset));
        Assert.Equal(["tickets:5"], _run.Normalize(resumed, Chat).RawRecords.Select(r => "tickets:" + r.RecordKey.Split(':')[1]));
    }

    [Fact]
    public async Task A_line_too_long_to_hold_is_quarantined_by_its_start_and_the_next_lines_load()
    {
        var huge = "{\"id\": 1, \"ticket\": {\"id\": \"T\"}, \"body\": \"" + new string('x', 4 * 1024 * 1024) + "\"}";
        var file = _run.File("t.ndjson", huge + "\r\n{\"id\": 2, \"ticket\": {\"id\": \"T\"}}\r\n");

        var result = await _run.RunAsync(file, Chat);

        var bad = Assert.Single(result.Quarantined);
        Assert.Equal(("record_too_long", "t.ndjson: line 1: longer than 4194304 characters (its first 1024 are kept here)"), (bad.ErrorCode, bad.Message));
        Assert.Equal(huge[..1024], bad.Payload);
        Assert.Equal("2", Assert.Single(result.Messages).MessageId);
        Assert.Equal("t.ndjson:2", Assert.Single(result.RawRecords).RecordKey);
    }

    [Fact]
    public async Task A_thread_id_column_gives_each_reply_its_threads_root_and_a_message_outside_a_thread_none()
    {
        const string Threads = """
            into: messages
            columns: { conversation_id: channel, message_id: ts, thread_id: thread_ts }
            """;
        var file = _run.File("replies.ndjson", """
            {"channel": "C1", "ts": "1.1"}
            {"channel": "C1", "ts": "1.2", "thread_ts": "1.1"}
            """ + "\n");

        var result = await _run.RunAsync(file, Threads);

        Assert.Empty(result.Quarantined);
        Assert.Equal([("1.1", null), ("1.2", "1.1")], result.Messages.Select(m => (m.MessageId, m.ThreadId)));
    }

    [Fact]
    public async Task Invalid_utf8_fails_the_read_naming_the_file()
    {
        var path = _run.File("t.ndjson", "");
        await File.WriteAllBytesAsync(path, [.. "{\"id\": 1}\n{\"id\": \""u8, 0xC3, 0x28, .. "\"}\n"u8]);

        var ex = await Assert.ThrowsAsync<SourceFormatException>(() => _run.ReadAsync(path, Chat));

        Assert.Equal($"{path}: not valid UTF-8 at or after line 1", ex.Message);
    }

    [Fact]
    public async Task A_job_without_a_mapping_cannot_read_files()
    {
        var path = _run.File("t.ndjson", "{}\n");

        var ex = await Assert.ThrowsAsync<SourceFormatException>(() => _run.ReadAsync(path, null!));

        Assert.Equal($"{path}: a files source needs a mapping (--mapping <file.yaml>)", ex.Message);
    }

    public void Dispose() => _run.Dispose();
}
