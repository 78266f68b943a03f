using EtlActors.Pipeline.Records;
using Npgsql;
using NpgsqlTypes;

namespace EtlActors.Pipeline.Load;

/// <summary>
/// Binary COPY of a batch's rows into a table: the connection's staging tables (<see cref="Stage"/>), or, for
/// messages and raw records, straight into the targets when the batch is new (<see cref="DirectCopyPolicy"/>).
/// </summary>
internal static class PostgresCopy
{
    /// <summary>The connection's staging table for <paramref name="table"/> (<see cref="PostgresSql.CreateStaging"/>).</summary>
    public static string Stage(string table) => "pg_temp.etl_stage_" + table;

    public static Task ConversationsAsync(NpgsqlConnection connection, string table, IReadOnlyList<ConversationRow> rows, CancellationToken ct) =>
        CopyAsync(connection, table, PostgresSql.ConversationColumns, rows, static async (w, r, ct) =>
        {
            await TextAsync(w, r.TenantId, ct).ConfigureAwait(false);
            await TextAsync(w, r.Source, ct).ConfigureAwait(false);
            await TextAsync(w, r.ConversationId, ct).ConfigureAwait(false);
            await TextAsync(w, r.Kind, ct).ConfigureAwait(false);
            await TextAsync(w, r.DisplayName, ct).ConfigureAwait(false);
            await TextAsync(w, r.Topic, ct).ConfigureAwait(false);
            await (r.MemberCount is { } count ? w.WriteAsync(count, NpgsqlDbType.Integer, ct) : w.WriteNullAsync(ct)).ConfigureAwait(false);
            await JsonAsync(w, r.PropertiesJson, ct).ConfigureAwait(false);
        }, ct);

    public static Task ParticipantsAsync(NpgsqlConnection connection, string table, IReadOnlyList<ParticipantRow> rows, CancellationToken ct) =>
        CopyAsync(connection, table, PostgresSql.ParticipantColumns, rows, static async (w, r, ct) =>
        {
            await TextAsync(w, r.TenantId, ct).ConfigureAwait(false);
            await TextAsync(w, r.Source, ct).ConfigureAwait(false);
            await TextAsync(w, r.ParticipantId, ct).ConfigureAwait(false);
            await TextAsync(w, r.DisplayName, ct).ConfigureAwait(false);
            await TimestampAsync(w, r.NameSeenAt, ct).ConfigureAwait(false);
        }, ct);

    public static Task MessagesAsync(NpgsqlConnection connection, string table, IReadOnlyList<MessageRow> rows, CancellationToken ct) =>
        CopyAsync(connection, table, PostgresSql.MessageColumns, rows, static async (w, r, ct) =>
        {
            await TextAsync(w, r.TenantId, ct).ConfigureAwait(false);
            await TextAsync(w, r.Source, ct).ConfigureAwait(false);
            await TextAsync(w, r.ConversationId, ct).ConfigureAwait(false);
            await TextAsync(w, r.MessageId, ct).ConfigureAwait(false);
            await TextAsync(w, r.SenderId, ct).ConfigureAwait(false);
            await TextAsync(w, r.SenderName, ct).ConfigureAwait(false);
            await TimestampAsync(w, r.SentAt, ct).ConfigureAwait(false);
            await TextAsync(w, r.MessageType, ct).ConfigureAwait(false);
            await TextAsync(w, r.ContentText, ct).ConfigureAwait(false);
            await TextAsync(w, r.ContentRaw, ct).ConfigureAwait(false);
            await TimestampAsync(w, r.EditedAt, ct).ConfigureAwait(false);
            await TimestampAsync(w, r.DeletedAt, ct).ConfigureAwait(false);
            await JsonAsync(w, r.PropertiesJson, ct).ConfigureAwait(false);
            await w.WriteAsync(r.Revision, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await TextAsync(w, r.JobId, ct).ConfigureAwait(false);
            await TextAsync(w, r.ThreadId, ct).ConfigureAwait(false);
        }, ct);

    public static Task RawRecordsAsync(NpgsqlConnection connection, string table, IReadOnlyList<RawRecordRow> rows, CancellationToken ct) =>
        CopyAsync(connection, table, PostgresSql.RawRecordColumns, rows, static async (w, r, ct) =>
        {
            await TextAsync(w, r.TenantId, ct).ConfigureAwait(false);
            await TextAsync(w, r.Source, ct).ConfigureAwait(false);
            await TextAsync(w, r.RecordKey, ct).ConfigureAwait(false);
            await JsonAsync(w, r.Payload, ct).ConfigureAwait(false);
            await TextAsync(w, r.JobId, ct).ConfigureAwait(false);
            await TimestampAsync(w, r.ExtractedAt, ct).ConfigureAwait(false);
        }, ct);

    public static Task QuarantineAsync(NpgsqlConnection connection, string table, IReadOnlyList<QuarantineRow> rows, CancellationToken ct) =>
        CopyAsync(connection, table, PostgresSql.QuarantineColumns, rows, static async (w, r, ct) =>
        {
            await TextAsync(w, r.JobId, ct).ConfigureAwait(false);
            await w.WriteAsync(r.RecordOffset, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await TextAsync(w, r.ErrorCode, ct).ConfigureAwait(false);
            await TextAsync(w, r.Message, ct).ConfigureAwait(false);
            await TextAsync(w, r.Payload, ct).ConfigureAwait(false);
        }, ct);

    private static async Task CopyAsync<T>(
        NpgsqlConnection connection,
        string table,
        string columns,
        IReadOnlyList<T> rows,
        Func<NpgsqlBinaryImporter, T, CancellationToken, Task> writeRow,
        CancellationToken ct)
    {
        if (rows.Count == 0)
            return;
        var importer = await connection.BeginBinaryImportAsync($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            foreach (var row in rows)
            {
                await importer.StartRowAsync(ct).ConfigureAwait(false);
                await writeRow(importer, row, ct).ConfigureAwait(false);
            }
            await importer.CompleteAsync(ct).ConfigureAwait(false);
        }
    }

    private static Task TextAsync(NpgsqlBinaryImporter w, string? value, CancellationToken ct) =>
        value is null ? w.WriteNullAsync(ct) : w.WriteAsync(SinkText.Clean(value), NpgsqlDbType.Text, ct);

    // NUL can only appear escaped in JSON text, so the payload goes as extracted, byte for byte.
    private static Task JsonAsync(NpgsqlBinaryImporter w, string? value, CancellationToken ct) =>
        value is null ? w.WriteNullAsync(ct) : w.WriteAsync(value, NpgsqlDbType.Json, ct);

    // Npgsql writes timestamptz only from UTC values.
    private static Task TimestampAsync(NpgsqlBinaryImporter w, DateTimeOffset? value, CancellationToken ct) =>
        value is { } v ? w.WriteAsync(v.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct) : w.WriteNullAsync(ct);
}
