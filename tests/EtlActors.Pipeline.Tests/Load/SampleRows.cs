using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Tests.Load;

/// <summary>Rows with every column filled, at millisecond precision (what both databases keep).</summary>
internal static class SampleRows
{
    public const string Tenant = "acme";
    public const string Source = "skype";
    public const string Job = "job-1";

    public static readonly DateTimeOffset T0 = new(2024, 3, 5, 10, 15, 30, 123, TimeSpan.Zero);

    public static DateTimeOffset At(int minutes) => T0.AddMinutes(minutes);

    public static ConversationRow Conversation(string id, string kind = "group", string? name = "Team", string tenant = Tenant) =>
        new(tenant, Source, id, kind, name, "Topic of " + id, 3, """{"threadProperties":{"membercount":"3"}}""");

    public static ParticipantRow Participant(string id, string? name, DateTimeOffset? seenAt, string tenant = Tenant) =>
        new(tenant, Source, id, name, seenAt);

    public static MessageRow Message(string conversation, string id, long revision = 1, string text = "hello", int minute = 0, string tenant = Tenant, string job = Job) =>
        new(tenant, Source, conversation, id, "8:alice", "Alice", At(minute), "RichText", text,
            $"<b>{text}</b>", At(minute + 1), null, """{"clientmessageid":"123"}""", revision, job);

    public static RawRecordRow Raw(string key, string payload = """{ "id" : "1",  "content":"\u00e9\u0000" , "a":[1, 2.50] }""", string job = Job) =>
        new(Tenant, Source, key, payload, job, T0);

    public static QuarantineRow Quarantined(long offset, string message = "not a message", string job = Job) =>
        new(job, offset, "bad_record", message, """{"broken": true""");

    public static LoadBatch Batch(
        IReadOnlyList<ConversationRow>? conversations = null,
        IReadOnlyList<ParticipantRow>? participants = null,
        IReadOnlyList<MessageRow>? messages = null,
        IReadOnlyList<RawRecordRow>? raw = null,
        IReadOnlyList<QuarantineRow>? quarantined = null,
        string job = Job) =>
        new(job, 0, 0, conversations ?? [], participants ?? [], messages ?? [], raw ?? [], quarantined ?? []);

    /// <summary>A batch touching every table, like one a loader sends.</summary>
    public static LoadBatch Full() => Batch(
        [Conversation("19:group@thread.skype"), new ConversationRow(Tenant, Source, "8:bob", "direct", null, null, null, null)],
        [Participant("8:alice", "Alice", At(0)), Participant("8:bob", null, null)],
        [
            Message("19:group@thread.skype", "1001"),
            new MessageRow(Tenant, Source, "8:bob", "1002", null, null, null, "Event/Call", "", null, null, At(5), null, 7, Job),
        ],
        [Raw("19:group@thread.skype/1001"), Raw("8:bob/1002", """{"id":"1002"}""")],
        [Quarantined(42)]);
}
