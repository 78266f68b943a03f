using System.Globalization;
using EtlActors.Contracts.Jobs;
using EtlActors.Testing;
using EtlActors.Testing.Http;
using EtlActors.Testing.Processes;
using static EtlActors.Dashboard.Tests.PageChecks;
using static Microsoft.Playwright.Assertions;

namespace EtlActors.Dashboard.Tests;

/// <summary>
/// The job page through a failover. It starts a cluster of its own (a kill must leave a majority), so it needs only the
/// browser and the slow API of <see cref="DashboardBrowserFixture"/>: as a class of its own it runs beside
/// <see cref="DashboardTests"/> instead of after them (the project took 3.1 min with it last, in a CI run).
/// </summary>
public sealed class DashboardFailoverTests(DashboardBrowserFixture fixture) : IClassFixture<DashboardBrowserFixture>
{
    [Fact]
    public async Task The_job_page_on_a_surviving_node_follows_a_job_whose_node_is_killed_to_completion_keeping_its_checkpoints()
    {
        var server = await PostgresServer.SharedAsync();
        var journal = await server.CreateDatabaseAsync("dashboard_failover_journal");
        var sink = await server.CreateDatabaseAsync("dashboard_failover_sink");
        // Three nodes: the two that survive a kill are a majority, so the split-brain resolver keeps them up.
        await using var cluster = await LocalCluster.StartAsync(3, journal.Url, fixture.ClusterOptions);
        await using var client = cluster.Client();
        var id = new JobId("dash-failover");
        var config = fixture.File("failover.yaml");
        await File.WriteAllTextAsync(config, StubApiConfigs.Items(40));
        await client.SubmitAsync(id, new JobSpec("http", config, sink.Url, "acme", StubApiConfigs.Items(40)));
        var running = await cluster.WaitForJobAsync(client, id, s => s.State == JobState.Running && s.Checkpoint >= 400, Within, "two checkpoints in");
        var victim = cluster.NodeAt(running.Node);
        var survivor = cluster.Nodes.First(n => n != victim);

        var page = await fixture.OpenAsync(survivor, DashboardBrowserFixture.Viewer);
        await page.GotoAsync(new Uri(survivor.HttpUrl, "/jobs/dash-failover").ToString());
        await Expect(page.Locator("#job-node")).ToHaveTextAsync(victim.Address);
        await MarkAsync(page);
        var checkpoints = page.Locator("#checkpoints tbody tr td:first-child");
        await Expect(checkpoints.Nth(1)).ToBeVisibleAsync();
        var before = await checkpoints.AllTextContentsAsync();
        victim.Process.Kill();

        await ExplainedAsync(cluster, client, id, async () =>
        {
            await Expect(page.Locator("#job-node")).Not.ToHaveTextAsync(victim.Address, new() { Timeout = (float)Within.TotalMilliseconds });
            await Expect(page.Locator("#job-state")).ToHaveTextAsync("Completed", new() { Timeout = (float)Within.TotalMilliseconds });
        });
        var all = DashboardBrowserFixture.ApiRecords.ToString("N0", CultureInfo.InvariantCulture);
        await Expect(page.Locator("#job-loaded")).ToHaveTextAsync(all);
        await Expect(checkpoints.First).ToHaveTextAsync(all);
        var after = await checkpoints.AllTextContentsAsync();
        Assert.All(before, offset => Assert.Contains(offset, after)); // the history from before the kill is still there
        Assert.Contains(await page.Locator("#job-node").TextContentAsync(), cluster.Nodes.Where(n => n != victim).Select(n => n.Address));
        await AssertNotReloadedAsync(page);
        Assert.Equal((DashboardBrowserFixture.ApiRecords, DashboardBrowserFixture.ApiRecords), await MessagesAsync(sink, "dash-failover"));
    }
}
