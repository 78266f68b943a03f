using System.Globalization;
using System.Text.RegularExpressions;
using EtlActors.IntegrationTests.Support;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Corpus;

/// <summary>
/// Runs one corpus case through the real `etl run` (SQLite sink in a fresh folder) and checks
/// what a user sees: the exit code, the one error line, no stack trace, the peak memory, and for
/// a case that loads, the rows and quarantined records in the database.
/// </summary>
internal static partial class CorpusRunner
{
    public const int PeakMemoryLimitMb = 300;
    private const int ShownChars = 40;

    public static async Task RunAsync(CorpusCase corpusCase, ITestOutputHelper output)
    {
        using var folder = new TempFolder();
        var file = folder.File(corpusCase.FileName);
        await corpusCase.Write(file);
        var database = folder.File("etl.db");

        var result = await EtlProcess.RunAsync(folder.Path, "run", file, "--sink", $"sqlite:{database}", "--job-id", corpusCase.JobId);

        var context = $"case {corpusCase}\n{result}";
        output.WriteLine(context);
        Assert.True(result.ExitCode is 0 or 1, context);
        Assert.DoesNotContain("Unhandled exception", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.False(result.Stderr.Split('\n').Any(l => l.StartsWith("   at ", StringComparison.Ordinal)), "a stack trace on stderr: " + context);
        Assert.InRange(PeakMemoryMb(result, context), 1, PeakMemoryLimitMb);

        var errors = result.Stderr.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        switch (corpusCase.Expected)
        {
            case Fails fails:
                Assert.True(result.ExitCode == 1, context);
                Assert.Contains($"Job {corpusCase.JobId} failed after ", result.Stdout);
                var reason = fails.NamesFile ? $"{file}: {fails.Reason}" : fails.Reason;
                Assert.Equal([$"error: job {corpusCase.JobId} failed: {reason}"], errors);
                break;
            case Loads loads:
                Assert.True(result.ExitCode == 0, context);
                Assert.Empty(errors);
                await AssertLoadedAsync(loads, folder.Path, database, corpusCase.JobId, result);
                break;
        }
    }

    /// <summary>Long texts compared by their start and length, so a failure prints a readable line.</summary>
    public static string Shorten(string? text) =>
        text is null ? "∅" : text.Length <= 2 * ShownChars ? text : $"{text[..ShownChars]}…({text.Length} chars)";

    private static async Task AssertLoadedAsync(Loads expected, string folder, string database, string jobId, ProcessResult result)
    {
        var quarantined = await RowsAsync(database,
            $"SELECT record_offset, error_code, message FROM quarantine WHERE job_id = '{jobId}' ORDER BY record_offset",
            r => $"{r.GetInt64(0)} {r.GetString(1)}: {r.GetString(2)}");
        Assert.Equal(expected.Quarantined, quarantined);
        Assert.Contains($"  quarantined    {quarantined.Count:N0}\n", result.Stdout);

        var messages = await RowsAsync(database,
            "SELECT conversation_id, message_id, content_text FROM messages ORDER BY conversation_id, message_id",
            r => $"{r.GetString(0)}/{r.GetString(1)}: {Shorten(r.IsDBNull(2) ? null : r.GetString(2))}");
        Assert.Equal(expected.Messages, messages);

        var conversations = await RowsAsync(database, "SELECT count(*) FROM conversations", r => r.GetInt64(0));
        Assert.Equal(expected.Conversations, conversations.Single());

        if (expected.Also is { } also)
        {
            await using var tables = Tables.Sqlite(database);
            await also(folder, tables);
        }
    }

    private static async Task<List<T>> RowsAsync<T>(string database, string sql, Func<SqliteDataReader, T> read)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static int PeakMemoryMb(ProcessResult result, string context)
    {
        var match = PeakMemoryPattern().Match(result.Stdout);
        Assert.True(match.Success, "no peak memory on stdout: " + context);
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"peak memory\s+(\d+) MB")]
    private static partial Regex PeakMemoryPattern();
}
