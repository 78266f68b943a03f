using EtlActors.Pipeline.Load;
using static EtlActors.Pipeline.Tests.Load.SampleRows;

namespace EtlActors.Pipeline.Tests.Load;

public sealed class BatchConsolidatorTests
{
    [Fact]
    public void A_batch_without_duplicates_is_returned_as_it_is()
    {
        var batch = Full();

        var consolidated = BatchConsolidator.Consolidate(batch);

        Assert.Same(batch.Messages, consolidated.Messages);
        Assert.Same(batch.Participants, consolidated.Participants);
        Assert.Equal(batch, consolidated);
    }

    [Fact]
    public void Messages_keep_the_highest_revision_and_the_last_of_equal_ones_at_their_first_place()
    {
        var batch = Batch(messages:
        [
            Message("c", "a", 1, "a1"), Message("c", "b", 4, "b4"), Message("c", "a", 3, "a3"),
            Message("c", "b", 4, "b4 again"), Message("c", "a", 2, "a2"), Message("d", "a", 1, "other conversation"),
        ]);

        var kept = BatchConsolidator.Consolidate(batch).Messages;

        Assert.Equal([Message("c", "a", 3, "a3"), Message("c", "b", 4, "b4 again"), Message("d", "a", 1, "other conversation")], kept);
    }

    [Fact]
    public void Participants_keep_the_row_the_name_rule_would_keep()
    {
        var batch = Batch(participants:
        [
            Participant("p", null, null), Participant("p", "Named", null), Participant("p", "Dated", At(5)),
            Participant("p", "Older", At(1)), Participant("p", null, At(9)), Participant("q", "Q", null),
        ]);

        Assert.Equal([Participant("p", "Dated", At(5)), Participant("q", "Q", null)], BatchConsolidator.Consolidate(batch).Participants);
    }

    [Fact]
    public void Conversations_raw_records_and_quarantine_keep_the_last_row()
    {
        var batch = Batch(
            conversations: [Conversation("c", name: "first"), Conversation("c", name: "last")],
            raw: [Raw("k", "{}"), Raw("k", "[]")],
            quarantined: [Quarantined(1, "first"), Quarantined(1, "last"), Quarantined(1, job: "job-2")]);

        var consolidated = BatchConsolidator.Consolidate(batch);

        Assert.Equal([Conversation("c", name: "last")], consolidated.Conversations);
        Assert.Equal([Raw("k", "[]")], consolidated.RawRecords);
        Assert.Equal([Quarantined(1, "last"), Quarantined(1, job: "job-2")], consolidated.Quarantined);
    }

    [Fact]
    public void Keys_differ_by_tenant_and_are_case_sensitive()
    {
        var batch = Batch(messages: [Message("c", "m"), Message("c", "M"), Message("c", "m", tenant: "other")]);

        Assert.Equal(3, BatchConsolidator.Consolidate(batch).Messages.Count);
    }
}
