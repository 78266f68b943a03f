using EtlActors.Contracts.Jobs;
using EtlActors.Testing;
using EtlActors.Testing.Processes;
using Microsoft.Playwright;
using Npgsql;

namespace EtlActors.Dashboard.Tests;

/// <summary>What the dashboard's test classes check pages and the sink with.</summary>
internal static class PageChecks
{
    /// <summary>How long a page or the cluster may take to show an outcome: a failover on a busy CI machine included.</summary>
    public static readonly TimeSpan Within = TimeSpan.FromMinutes(2);

    public static Task MarkAsync(IPage page) => page.EvaluateAsync("() => { window.etlNotReloaded = true; }");

    public static async Task AssertNotReloadedAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => window.etlNotReloaded === true"), "the page was reloaded");

    /// <summary>The job's message rows in the sink: all of them, and distinct keys (equal when nothing is doubled).</summary>
    public static async Task<(long Rows, long Distinct)> MessagesAsync(TestDatabase sink, string jobId)
    {
        await using var connection = new NpgsqlConnection(sink.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*), count(DISTINCT (conversation_id, message_id)) FROM etl.messages WHERE job_id = @job", connection);
        command.Parameters.AddWithValue("job", jobId);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// Runs page expectations that wait on the cluster; when one fails, its message also says what the cluster reports
    /// of the job and carries the nodes' logs, so a page that stopped following the job is told apart from a job that
    /// stopped (a CI run once saw the page stay at Running with "the cluster did not answer in time").
    /// </summary>
    public static async Task ExplainedAsync(LocalCluster cluster, EtlActors.Client.EtlClient client, JobId id, Func<Task> expectations)
    {
        try
        {
            await expectations();
        }
        catch (PlaywrightException ex)
        {
            string reported;
            try
            {
                reported = (await client.GetAsync(id)).ToString();
            }
            catch (Exception asking)
            {
                reported = $"no answer ({asking.Message})";
            }
            // The cluster's report first: a CI log's tail shows a failure's first lines only.
            throw new Xunit.Sdk.XunitException($"the cluster reports the job as: {reported}\n{ex.Message}\n{cluster.Logs()}");
        }
    }
}
