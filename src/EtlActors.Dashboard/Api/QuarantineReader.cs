using System.Data.Common;
using EtlActors.Engine;
using EtlActors.Pipeline.Load;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EtlActors.Dashboard.Api;

/// <summary>
/// Reads a job's quarantined records from its sink, a page at a time in offset order (keyset paging on the table's
/// key, so page 500 costs what page 1 does). Only after the job desk has shown the user may see the job.
/// </summary>
internal sealed class QuarantineReader(EtlEngineOptions options)
{
    public const int MaxPage = 100;

    /// <summary>Up to <paramref name="limit"/> records of <paramref name="jobId"/> after <paramref name="after"/>, and whether more follow.</summary>
    /// <exception cref="FormatException">The job's sink is not one this node can resolve.</exception>
    public async Task<QuarantinePage> ReadAsync(string sink, string jobId, long after, int limit, CancellationToken cancellationToken)
    {
        var address = options.ResolveSink(sink);
        limit = Math.Clamp(limit, 1, MaxPage);
        await using var connection = Open(address);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var table = address.Kind == DatabaseKind.PostgreSql ? $"\"{address.Schema.Replace("\"", "\"\"", StringComparison.Ordinal)}\".quarantine" : "quarantine";
        command.CommandText = $"""
            SELECT record_offset, error_code, message, payload FROM {table}
            WHERE job_id = @job AND record_offset > @after ORDER BY record_offset LIMIT @limit
            """;
        Add(command, "job", jobId);
        Add(command, "after", after);
        Add(command, "limit", limit + 1);
        var records = new List<QuarantinedRecord>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                records.Add(new QuarantinedRecord(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }
        catch (DbException) when (connection.State == System.Data.ConnectionState.Open)
        {
            // Nothing loaded there yet (the sink's tables come with the first batch) is no error; anything else is.
            if (await QuarantineExistsAsync(connection, address, cancellationToken))
                throw;
            return new QuarantinePage([], false);
        }
        var more = records.Count > limit;
        return new QuarantinePage(more ? records[..limit] : records, more);
    }

    private static DbConnection Open(DatabaseAddress address) => address.Kind == DatabaseKind.PostgreSql
        ? new NpgsqlConnection(address.ToConnectionString())
        : new SqliteConnection(new SqliteConnectionStringBuilder(address.ToConnectionString()) { Mode = SqliteOpenMode.ReadOnly }.ToString());

    private static async Task<bool> QuarantineExistsAsync(DbConnection connection, DatabaseAddress address, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = address.Kind == DatabaseKind.PostgreSql
            ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = @schema AND table_name = 'quarantine'"
            : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'quarantine'";
        Add(command, "schema", address.Schema);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>A page of quarantined records; <paramref name="More"/> when a next page exists (ask with the last offset).</summary>
internal sealed record QuarantinePage(IReadOnlyList<QuarantinedRecord> Records, bool More);

/// <summary>A record that could not be loaded: its offset (the line or ordinal in the source), error code, message and payload as extracted.</summary>
internal sealed record QuarantinedRecord(long Offset, string Code, string Message, string? Payload);
