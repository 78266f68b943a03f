using System.Data.Common;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Tests.Load;

public sealed record StoredConversation(ConversationRow Row, long MessageCount, DateTimeOffset? FirstMessageAt, DateTimeOffset? LastMessageAt);

public sealed record StoredQuarantine(QuarantineRow Row, DateTimeOffset QuarantinedAt);

/// <summary>Everything in the five tables, read back column by column in key order.</summary>
public sealed record StoredRows(
    IReadOnlyList<StoredConversation> Conversations,
    IReadOnlyList<ParticipantRow> Participants,
    IReadOnlyList<MessageRow> Messages,
    IReadOnlyList<RawRecordRow> RawRecords,
    IReadOnlyList<StoredQuarantine> Quarantined)
{
    public static async Task<StoredRows> ReadAsync(DbConnection connection, Func<string, string> table, Func<DbDataReader, int, DateTimeOffset?> time)
    {
        return new StoredRows(
            await ReadAsync(connection, $"""
                SELECT tenant_id, source, conversation_id, kind, display_name, topic, member_count, properties,
                       message_count, first_message_at, last_message_at
                FROM {table("conversations")} ORDER BY tenant_id, source, conversation_id
                """, r => new StoredConversation(
                    new ConversationRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Text(r, 4), Text(r, 5),
                        r.IsDBNull(6) ? null : r.GetInt32(6), Text(r, 7)),
                    r.GetInt64(8), time(r, 9), time(r, 10))),
            await ReadAsync(connection, $"""
                SELECT tenant_id, source, participant_id, display_name, name_seen_at
                FROM {table("participants")} ORDER BY tenant_id, source, participant_id
                """, r => new ParticipantRow(r.GetString(0), r.GetString(1), r.GetString(2), Text(r, 3), time(r, 4))),
            await ReadAsync(connection, $"""
                SELECT tenant_id, source, conversation_id, message_id, sender_id, sender_name, sent_at, message_type,
                       content_text, content_raw, edited_at, deleted_at, properties, revision, job_id
                FROM {table("messages")} ORDER BY tenant_id, source, conversation_id, message_id
                """, r => new MessageRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Text(r, 4), Text(r, 5),
                    time(r, 6), r.GetString(7), r.GetString(8), Text(r, 9), time(r, 10), time(r, 11), Text(r, 12),
                    r.GetInt64(13), r.GetString(14))),
            await ReadAsync(connection, $"""
                SELECT tenant_id, source, record_key, payload, job_id, extracted_at
                FROM {table("raw_records")} ORDER BY tenant_id, source, record_key
                """, r => new RawRecordRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), time(r, 5)!.Value)),
            await ReadAsync(connection, $"""
                SELECT job_id, record_offset, error_code, message, payload, quarantined_at
                FROM {table("quarantine")} ORDER BY job_id, record_offset
                """, r => new StoredQuarantine(
                    new QuarantineRow(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3), Text(r, 4)), time(r, 5)!.Value)));
    }

    private static string? Text(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static async Task<IReadOnlyList<T>> ReadAsync<T>(DbConnection connection, string sql, Func<DbDataReader, T> read)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
            rows.Add(read(reader));
        return rows;
    }
}
