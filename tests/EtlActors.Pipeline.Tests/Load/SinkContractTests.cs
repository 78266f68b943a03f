using System.Data.Common;
using EtlActors.Pipeline.Load;
using EtlActors.Pipeline.Records;
using static EtlActors.Pipeline.Tests.Load.SampleRows;

namespace EtlActors.Pipeline.Tests.Load;

/// <summary>The behaviour both sinks share; each derived class runs it against its database.</summary>
public abstract class SinkContractTests : IAsyncLifetime
{
    private ISink? _sink;

    protected ISink Sink => _sink ?? throw new InvalidOperationException("not initialised");

    /// <summary>An address of a fresh, empty target.</summary>
    protected abstract Task<DatabaseAddress> CreateAddressAsync();

    protected abstract DbConnection OpenConnection();

    protected abstract string Table(string name);

    protected abstract DateTimeOffset? ReadTime(DbDataReader reader, int ordinal);

    public async Task InitializeAsync()
    {
        _sink = SinkFactory.Create(await CreateAddressAsync());
        await _sink.EnsureSchemaAsync(default);
    }

    public virtual async Task DisposeAsync()
    {
        if (_sink is not null)
            await _sink.DisposeAsync();
    }

    protected async Task<StoredRows> ReadAllAsync()
    {
        await using var connection = OpenConnection();
        return await StoredRows.ReadAsync(connection, Table, ReadTime);
    }

    protected Task LoadAsync(LoadBatch batch) => Sink.LoadAsync(batch, default);

    /// <summary>job_id by key of the tenant's and source's rows of <paramref name="table"/>.</summary>
    protected async Task<Dictionary<string, string?>> JobIdsAsync(string table, string keyColumn)
    {
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {keyColumn}, job_id FROM {Table(table)} WHERE tenant_id = '{Tenant}' AND source = '{Source}'";
        await using var reader = await command.ExecuteReaderAsync();
        var jobs = new Dictionary<string, string?>();
        while (await reader.ReadAsync())
            jobs.Add(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
        return jobs;
    }

    [Fact]
    public async Task Ensuring_the_schema_again_keeps_the_tables_and_their_rows()
    {
        await LoadAsync(Full());
        var before = await ReadAllAsync();

        await Sink.EnsureSchemaAsync(default);
        await Sink.EnsureSchemaAsync(default);

        Assert.Equivalent(before, await ReadAllAsync(), strict: true);
    }

    [Fact]
    public async Task A_batch_lands_with_every_column_as_given()
    {
        var batch = Full();

        await LoadAsync(batch);

        var stored = await ReadAllAsync();
        Assert.Equal(batch.Conversations.OrderBy(c => c.ConversationId, StringComparer.Ordinal), stored.Conversations.Select(c => c.Row));
        Assert.All(stored.Conversations, c => Assert.Equal((0L, (DateTimeOffset?)null, (DateTimeOffset?)null), (c.MessageCount, c.FirstMessageAt, c.LastMessageAt)));
        Assert.Equal(batch.Participants.OrderBy(p => p.ParticipantId, StringComparer.Ordinal), stored.Participants);
        Assert.Equal(batch.Messages.OrderBy(m => m.ConversationId, StringComparer.Ordinal), stored.Messages);
        Assert.Equal(batch.RawRecords.OrderBy(r => r.RecordKey, StringComparer.Ordinal), stored.RawRecords);
        Assert.Equal(batch.Quarantined, stored.Quarantined.Select(q => q.Row));
    }

    [Fact]
    public async Task Replaying_an_unchanged_raw_record_keeps_when_it_was_first_extracted_and_a_changed_one_is_replaced()
    {
        await LoadAsync(SampleRows.Batch(raw: [SampleRows.Raw("message/8:bob/1"), SampleRows.Raw("message/8:bob/2")]));

        var later = SampleRows.T0.AddHours(1);
        await LoadAsync(SampleRows.Batch(raw:
        [
            SampleRows.Raw("message/8:bob/1") with { ExtractedAt = later },
            SampleRows.Raw("message/8:bob/2", payload: """{"id":"2","content":"edited"}""") with { ExtractedAt = later },
        ]));

        var stored = (await ReadAllAsync()).RawRecords;
        Assert.Equal(SampleRows.T0, stored[0].ExtractedAt);
        Assert.Equal(later, stored[1].ExtractedAt);
        Assert.Equal("""{"id":"2","content":"edited"}""", stored[1].Payload);
    }

    [Fact]
    public async Task The_raw_payload_is_kept_byte_for_byte()
    {
        const string payload = "{ \"b\" : 1,\n  \"a\":\"\\u00e9\\u0000\\ud83d\\ude00\", \"n\": 1.50e2 ,\"b\":2 }";

        await LoadAsync(Batch(raw: [Raw("k", payload)]));

        Assert.Equal(payload, Assert.Single((await ReadAllAsync()).RawRecords).Payload);
    }

    [Fact]
    public async Task Replaying_a_batch_or_the_whole_job_leaves_identical_rows()
    {
        var first = Full();
        var second = Batch(messages: [Message("19:group@thread.skype", "1001", revision: 2, text: "edited")], participants: [Participant("8:bob", "Bob", At(9))]);
        await LoadAsync(first);
        await LoadAsync(second);
        await Sink.FinalizeAsync(Tenant, Source, default);
        var once = await ReadAllAsync();
        var totals = await Sink.GetTotalsAsync(Tenant, Source, Job, default);

        await LoadAsync(second);
        await LoadAsync(first);
        await LoadAsync(second);
        await Sink.FinalizeAsync(Tenant, Source, default);

        Assert.Equivalent(once, await ReadAllAsync(), strict: true);
        Assert.Equal(totals, await Sink.GetTotalsAsync(Tenant, Source, Job, default));
        Assert.Equal("edited", once.Messages.Single(m => m.MessageId == "1001").ContentText);
    }

    [Theory]
    [InlineData(new long[] { 1, 2, 3 })]
    [InlineData(new long[] { 3, 2, 1 })]
    [InlineData(new long[] { 2, 3, 1, 3 })]
    public async Task The_highest_revision_of_a_message_wins_whatever_the_load_order(long[] order)
    {
        foreach (var revision in order)
            await LoadAsync(Batch(messages: [Message("c", "m", revision, text: $"version {revision}", minute: (int)revision)]));

        Assert.Equal(Message("c", "m", 3, text: "version 3", minute: 3), Assert.Single((await ReadAllAsync()).Messages));
    }

    [Fact]
    public async Task A_messages_thread_is_stored_and_a_higher_revision_may_change_it()
    {
        await LoadAsync(Batch(messages: [Message("c", "reply", 1) with { ThreadId = "root-1" }, Message("c", "plain", 1)]));
        Assert.Equal(new Dictionary<string, string?> { ["plain"] = null, ["reply"] = "root-1" }, await ThreadIdsAsync());

        await LoadAsync(Batch(messages: [Message("c", "reply", 2) with { ThreadId = "root-2" }, Message("c", "plain", 0) with { ThreadId = "lower" }]));

        Assert.Equal(new Dictionary<string, string?> { ["plain"] = null, ["reply"] = "root-2" }, await ThreadIdsAsync());
    }

    private async Task<Dictionary<string, string?>> ThreadIdsAsync()
    {
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT message_id, thread_id FROM {Table("messages")}";
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new Dictionary<string, string?>();
        while (await reader.ReadAsync())
            ids[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
        return ids;
    }

    [Fact]
    public async Task An_equal_revision_replaces_the_stored_one()
    {
        await LoadAsync(Batch(messages: [Message("c", "m", 5, text: "first")]));
        await LoadAsync(Batch(messages: [Message("c", "m", 5, text: "second", job: "job-2")], job: "job-2"));

        var stored = Assert.Single((await ReadAllAsync()).Messages);
        Assert.Equal(("second", "job-2"), (stored.ContentText, stored.JobId));
    }

    [Fact]
    public async Task Participants_keep_the_last_known_name()
    {
        var steps = new (ParticipantRow Row, string? Expected, DateTimeOffset? ExpectedSeenAt)[]
        {
            (Participant("p", null, null), null, null),
            (Participant("p", "Nameless then named", null), "Nameless then named", null),
            (Participant("p", "Alice", At(10)), "Alice", At(10)),
            (Participant("p", "Older name", At(5)), "Alice", At(10)),
            (Participant("p", null, At(20)), "Alice", At(10)),
            (Participant("p", "Undated name", null), "Alice", At(10)),
            (Participant("p", "Alice Smith", At(10)), "Alice Smith", At(10)),
            (Participant("p", "Al", At(11)), "Al", At(11)),
        };

        foreach (var (row, expected, seenAt) in steps)
        {
            await LoadAsync(Batch(participants: [row]));
            Assert.Equal(Participant("p", expected, seenAt), Assert.Single((await ReadAllAsync()).Participants));
        }
    }

    [Fact]
    public async Task Duplicate_keys_inside_one_batch_collapse_to_the_row_an_upsert_keeps()
    {
        await LoadAsync(Batch(
            conversations: [Conversation("c", name: "old"), Conversation("c", name: "new")],
            participants: [Participant("p", "Later", At(9)), Participant("p", "Earlier", At(1)), Participant("p", null, At(20))],
            messages: [Message("c", "m", 2, "two"), Message("c", "m", 3, "three"), Message("c", "m", 1, "one")],
            raw: [Raw("k", """{"v":1}"""), Raw("k", """{"v":2}""")],
            quarantined: [Quarantined(7, "first"), Quarantined(7, "second")]));

        var stored = await ReadAllAsync();
        Assert.Equal("new", Assert.Single(stored.Conversations).Row.DisplayName);
        Assert.Equal(Participant("p", "Later", At(9)), Assert.Single(stored.Participants));
        Assert.Equal(Message("c", "m", 3, "three"), Assert.Single(stored.Messages));
        Assert.Equal("""{"v":2}""", Assert.Single(stored.RawRecords).Payload);
        Assert.Equal("second", Assert.Single(stored.Quarantined).Row.Message);
    }

    [Fact]
    public async Task Nul_and_lone_surrogates_in_text_are_stored_as_replacement_characters()
    {
        await LoadAsync(Batch(
            conversations: [Conversation("c", name: "a\0b")],
            participants: [Participant("p", "x\0", At(0))],
            messages: [Message("c", "m", text: "before\0after \ud83d\ude00 \ud83d")],
            quarantined: [new QuarantineRow(Job, 1, "bad_record", "NUL at \0", "raw\0text")]));

        var stored = await ReadAllAsync();
        Assert.Equal("a\uFFFDb", stored.Conversations[0].Row.DisplayName);
        Assert.Equal("x\uFFFD", stored.Participants[0].DisplayName);
        Assert.Equal("before\uFFFDafter \ud83d\ude00 \uFFFD", stored.Messages[0].ContentText);
        Assert.Equal("<b>before\uFFFDafter \ud83d\ude00 \uFFFD</b>", stored.Messages[0].ContentRaw);
        Assert.Equal(("NUL at \uFFFD", "raw\uFFFDtext"), (stored.Quarantined[0].Row.Message, stored.Quarantined[0].Row.Payload));
    }

    [Fact]
    public async Task Quarantined_records_are_stored_with_their_reason_and_time_and_replays_update_them()
    {
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        await LoadAsync(Batch(quarantined: [Quarantined(3), Quarantined(4, "truncated")]));
        await LoadAsync(Batch(quarantined: [new QuarantineRow(Job, 4, "transform_failed", "no id", null)]));

        var stored = (await ReadAllAsync()).Quarantined;
        Assert.Equal([Quarantined(3), new QuarantineRow(Job, 4, "transform_failed", "no id", null)], stored.Select(q => q.Row));
        Assert.All(stored, q => Assert.InRange(q.QuarantinedAt, before, DateTimeOffset.UtcNow.AddMinutes(1)));
    }

    [Fact]
    public async Task Finalize_sets_message_counts_and_first_and_last_times_per_conversation()
    {
        await LoadAsync(Batch(
            conversations: [Conversation("busy"), Conversation("quiet"), Conversation("busy", tenant: "other")],
            messages: [Message("busy", "1", minute: 30), Message("busy", "2", minute: -4), Message("busy", "3", minute: 12),
                       Message("busy", "1", tenant: "other", minute: 99)]));

        await Sink.FinalizeAsync(Tenant, Source, default);

        var conversations = (await ReadAllAsync()).Conversations.ToDictionary(c => (c.Row.TenantId, c.Row.ConversationId), c => (c.MessageCount, c.FirstMessageAt, c.LastMessageAt));
        Assert.Equal((3L, At(-4), At(30)), conversations[(Tenant, "busy")]);
        Assert.Equal((0L, null, null), conversations[(Tenant, "quiet")]);
        Assert.Equal((0L, null, null), conversations[("other", "busy")]);

        await LoadAsync(Batch(messages: [Message("quiet", "9", minute: 1)]));
        await Sink.FinalizeAsync(Tenant, Source, default);
        Assert.Equal(1L, (await ReadAllAsync()).Conversations.Single(c => c.Row is { TenantId: Tenant, ConversationId: "quiet" }).MessageCount);
    }

    [Fact]
    public async Task Totals_count_the_jobs_rows_of_the_tenant_and_source_and_the_jobs_quarantine()
    {
        await LoadAsync(Full());
        await LoadAsync(Batch(
            conversations: [Conversation("x", tenant: "other")],
            messages: [Message("x", "1", tenant: "other", job: "job-2")],
            quarantined: [Quarantined(1, job: "job-2")],
            job: "job-2"));

        Assert.Equal(new SinkTotals(2, 2, 2, 1), await Sink.GetTotalsAsync(Tenant, Source, Job, default));
        Assert.Equal(new SinkTotals(1, 0, 1, 1), await Sink.GetTotalsAsync("other", Source, "job-2", default));
        // The quarantine has no tenant: a job's quarantined records count whatever the tenant asked.
        Assert.Equal(new SinkTotals(0, 0, 0, 1), await Sink.GetTotalsAsync(Tenant, Source, "job-2", default));
        Assert.Equal(new SinkTotals(0, 0, 0, 0), await Sink.GetTotalsAsync(Tenant, "slack", "job-3", default));
    }

    [Fact]
    public async Task Totals_count_only_what_the_job_loaded_not_what_earlier_jobs_left_in_the_tables()
    {
        // An earlier job of the same tenant and source: many messages, other conversations and participants.
        const int earlierMessages = 6_000;
        await LoadAsync(Batch(
            conversations: [.. Enumerable.Range(0, 20).Select(i => Conversation($"old-{i}"))],
            participants: [.. Enumerable.Range(0, 30).Select(i => Participant($"8:old-{i}", $"Old {i}", At(i)))],
            quarantined: [Quarantined(5)]));
        foreach (var chunk in Enumerable.Range(0, earlierMessages).Chunk(2_000))
            await LoadAsync(Batch(messages: [.. chunk.Select(i => Message($"old-{i % 20}", $"m{i}", minute: i))]));

        await LoadAsync(Batch(
            conversations: [Conversation("new-a"), Conversation("new-b")],
            participants: [Participant("8:new", "New", At(0))],
            messages: [Message("new-a", "1", job: "job-2"), Message("new-a", "2", job: "job-2"), Message("new-b", "3", job: "job-2")],
            quarantined: [Quarantined(9, job: "job-2")],
            job: "job-2"));
        await Sink.FinalizeAsync(Tenant, Source, default);

        Assert.Equal(new SinkTotals(2, 1, 3, 1), await Sink.GetTotalsAsync(Tenant, Source, "job-2", default));
        Assert.Equal(new SinkTotals(20, 30, earlierMessages, 1), await Sink.GetTotalsAsync(Tenant, Source, Job, default));
    }

    [Fact]
    public async Task A_job_that_reloads_rows_another_job_wrote_reports_them_as_its_own()
    {
        await LoadAsync(Batch(
            conversations: [Conversation("c1"), Conversation("c2")],
            participants: [Participant("8:alice", "Alice", At(10)), Participant("8:bob", "Bob", At(10)), Participant("8:carol", "Carol", At(10))],
            messages: [Message("c1", "m1"), Message("c1", "m2", revision: 5, text: "fifth"), Message("c2", "m3")]));
        var job1Rows = await ReadAllAsync();

        // job-2 re-loads some of them: an unchanged message, a lower revision and an older name (both
        // lose to what is stored), a name unchanged, a conversation renamed.
        var job2 = Batch(
            conversations: [Conversation("c1", name: "Renamed")],
            participants: [Participant("8:alice", "Alice", At(10)), Participant("8:bob", "Robert (older)", At(5))],
            messages: [Message("c1", "m1", job: "job-2"), Message("c1", "m2", revision: 3, text: "third", job: "job-2")],
            job: "job-2");
        await LoadAsync(job2);

        Assert.Equal(new SinkTotals(1, 2, 2, 0), await Sink.GetTotalsAsync(Tenant, Source, "job-2", default));
        Assert.Equal(new SinkTotals(1, 1, 1, 0), await Sink.GetTotalsAsync(Tenant, Source, Job, default));
        var stored = await ReadAllAsync();
        Assert.Equal(job1Rows.Participants, stored.Participants);
        Assert.Equal(("fifth", 5L, "job-2"), stored.Messages.Where(m => m.MessageId == "m2").Select(m => (m.ContentText, m.Revision, m.JobId)).Single());
        Assert.Equal("Renamed", stored.Conversations.Single(c => c.Row.ConversationId == "c1").Row.DisplayName);
        Assert.Equal(
            new Dictionary<string, string?> { ["c1"] = "job-2", ["c2"] = Job },
            await JobIdsAsync("conversations", "conversation_id"));
        Assert.Equal(
            new Dictionary<string, string?> { ["8:alice"] = "job-2", ["8:bob"] = "job-2", ["8:carol"] = Job },
            await JobIdsAsync("participants", "participant_id"));

        // Replaying either job's batch again: the rows and each job's totals stay as they were.
        await LoadAsync(job2);
        Assert.Equal(new SinkTotals(1, 2, 2, 0), await Sink.GetTotalsAsync(Tenant, Source, "job-2", default));
        Assert.Equivalent(stored, await ReadAllAsync(), strict: true);
    }

    [Fact]
    public async Task A_loaded_conversation_and_participant_carry_the_batchs_job()
    {
        await LoadAsync(Full() with { JobId = "job-7" });

        Assert.All((await JobIdsAsync("conversations", "conversation_id")).Values, j => Assert.Equal("job-7", j));
        Assert.All((await JobIdsAsync("participants", "participant_id")).Values, j => Assert.Equal("job-7", j));
    }

    [Fact]
    public async Task An_empty_batch_changes_nothing()
    {
        await LoadAsync(Batch());

        Assert.Equal(new SinkTotals(0, 0, 0, 0), await Sink.GetTotalsAsync(Tenant, Source, Job, default));
    }
}
