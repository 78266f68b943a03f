using System.Reflection;
using Akka.Actor;
using EtlActors.Pipeline.Records;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace EtlActors.Engine.Jobs;

/// <summary>
/// Turns a run's failure into the one line a user sees: what went wrong, never a stack trace or a
/// connection string (Npgsql and SQLite messages name neither a password nor a connection string).
/// </summary>
internal static class FailureReason
{
    public static string Describe(Exception failure)
    {
        var ex = Unwrap(failure);
        return ex switch
        {
            SourceFormatException e => e.Message,
            PostgresException e => $"PostgreSQL: {e.MessageText} ({e.SqlState})",
            NpgsqlException e => $"PostgreSQL: {e.Message}",
            SqliteException e => $"SQLite: {e.Message}",
            AskTimeoutException => "a pipeline stage did not answer in time (see the node's log)",
            _ => ex.Message,
        };
    }

    private static Exception Unwrap(Exception ex)
    {
        while (true)
        {
            switch (ex)
            {
                case AggregateException { InnerExceptions.Count: 1 } agg:
                    ex = agg.InnerExceptions[0];
                    continue;
                case Akka.Streams.AbruptStageTerminationException or TargetInvocationException when ex.InnerException is not null:
                    ex = ex.InnerException!;
                    continue;
                default:
                    return ex;
            }
        }
    }
}
