using Microsoft.Data.Sqlite;

namespace EtlActors.Pipeline.Load;

/// <summary>
/// One prepared INSERT … ON CONFLICT, run once per row with fresh parameter values; the batch's job
/// goes in <see cref="SqliteSql.JobParameter"/> when the statement has it.
/// </summary>
internal sealed class SqliteUpsert<T> : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly object?[] _values;
    private readonly Action<T, object?[]> _bind;
    private readonly SqliteParameter? _job;

    public SqliteUpsert(SqliteConnection connection, string sql, Action<T, object?[]> bind)
    {
        _command = connection.CreateCommand();
        _command.CommandText = sql;
        _values = new object?[sql.Split("$p").Length - 1];
        for (var i = 0; i < _values.Length; i++)
            _command.Parameters.Add(new SqliteParameter("$p" + i, null));
        if (sql.Contains(SqliteSql.JobParameter, StringComparison.Ordinal))
            _job = _command.Parameters.Add(new SqliteParameter(SqliteSql.JobParameter, null));
        _bind = bind;
    }

    public void Run(SqliteTransaction transaction, IReadOnlyList<T> rows, string jobId)
    {
        if (rows.Count == 0)
            return;
        _command.Transaction = transaction;
        if (_job is not null)
            _job.Value = SinkText.Clean(jobId);
        foreach (var row in rows)
        {
            _bind(row, _values);
            for (var i = 0; i < _values.Length; i++)
                _command.Parameters[i].Value = _values[i] ?? DBNull.Value;
            _command.ExecuteNonQuery();
        }
    }

    public void Dispose() => _command.Dispose();
}
