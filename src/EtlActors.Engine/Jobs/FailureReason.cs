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
            SourceFormatException or ErrorBudgetSpentException or SourceUnreadableException => ex.Message,
            FileNotFoundException e => $"{e.FileName}: file not found",
            PostgresException e => $"PostgreSQL: {e.MessageText} ({e.SqlState})",
            NpgsqlException e => $"PostgreSQL: {e.Message}",
            SqliteException e => $"SQLite: {e.Message}",
            AskTimeoutException => "a pipeline stage did not answer in time (see the node's log)",
            _ => ex.Message,
        };
    }

    /// <summary>
    /// Whether restarting the run could help. Bad input and bad configuration fail at once; anything
    /// else (a lost connection, an I/O error, a timeout, a stage that threw) is retried with backoff.
    /// </summary>
    public static bool IsPermanent(Exception failure) => Unwrap(failure) switch
    {
        SourceFormatException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException => true,
        ErrorBudgetSpentException or SourceUnreadableException or FormatException or ArgumentException => true,
        PostgresException e => e.SqlState.StartsWith("28", StringComparison.Ordinal) // authentication
            || e.SqlState.StartsWith("42", StringComparison.Ordinal)                 // syntax, permissions, missing objects
            || e.SqlState == "3D000",                                                 // no such database
        _ => false,
    };

    /// <summary>Whether the failure came from the sink (a load error) rather than from reading the source (an extract error).</summary>
    public static bool IsLoadFailure(Exception failure) => Unwrap(failure) is System.Data.Common.DbException;

    /// <summary>Whether the failure came from reading the source: its format, its file, or its server.</summary>
    public static bool IsExtractFailure(Exception failure) =>
        Unwrap(failure) is SourceFormatException or SourceUnreadableException or IOException or UnauthorizedAccessException or HttpRequestException
            or EtlActors.Pipeline.Connectors.Http.Extract.HttpSourceException;

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

/// <summary>A job quarantined more records than its error budget allows.</summary>
internal sealed class ErrorBudgetSpentException(string message) : Exception(message);

/// <summary>The node running a job cannot see its source file, or may not read it (outside its sources root).</summary>
internal sealed class SourceUnreadableException(string message) : Exception(message);
