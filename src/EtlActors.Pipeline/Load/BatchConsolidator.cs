using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Load;

/// <summary>
/// Collapses rows with the same key inside one batch, keeping the row the upsert would keep had
/// they been loaded one after another. PostgreSQL rejects an INSERT … ON CONFLICT that touches a
/// row twice, and SQLite then behaves the same.
/// </summary>
public static class BatchConsolidator
{
    public static LoadBatch Consolidate(LoadBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return batch with
        {
            Conversations = Collapse(batch.Conversations, r => (r.TenantId, r.Source, r.ConversationId), static (_, _) => true),
            Participants = Collapse(batch.Participants, r => (r.TenantId, r.Source, r.ParticipantId), ParticipantRule.Replaces),
            Messages = Collapse(batch.Messages, r => (r.TenantId, r.Source, r.ConversationId, r.MessageId), static (kept, next) => next.Revision >= kept.Revision),
            RawRecords = Collapse(batch.RawRecords, r => (r.TenantId, r.Source, r.RecordKey), static (_, _) => true),
            Quarantined = Collapse(batch.Quarantined, r => (r.JobId, r.RecordOffset), static (_, _) => true),
            Tables = batch.Tables?.Select(Collapse).ToList(),
        };
    }

    // The rule of TableSql.Update: the same job's later line wins, another job's row always does.
    private static TableRowSet Collapse(TableRowSet set)
    {
        var key = set.Table.KeyIndexes();
        return set with
        {
            Rows = Collapse(set.Rows, r => (r.TenantId, r.Source, string.Join('\u001f', key.Select(i => r.Values[i]))),
                static (kept, next) => next.JobId != kept.JobId || next.SourceLine >= kept.SourceLine),
        };
    }

    /// <summary>Keeps each key at the place it first appeared, holding the row that won.</summary>
    private static IReadOnlyList<T> Collapse<T, TKey>(
        IReadOnlyList<T> rows,
        Func<T, TKey> key,
        Func<T, T, bool> replaces)
        where TKey : notnull
    {
        if (rows.Count < 2)
            return rows;
        var positions = new Dictionary<TKey, int>(rows.Count);
        List<T>? kept = null;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (positions.TryAdd(key(row), kept?.Count ?? i))
            {
                kept?.Add(row);
                continue;
            }
            // First duplicate: only now copy what came before, so a clean batch costs no list.
            kept ??= [.. rows.Take(i)];
            var at = positions[key(row)];
            if (replaces(kept[at], row))
                kept[at] = row;
        }
        return kept ?? rows;
    }
}
