using System.Globalization;
using System.Text.RegularExpressions;
using EtlActors.Contracts.Jobs;
using EtlActors.Testing;
using EtlActors.Testing.Http;
using EtlActors.Testing.Processes;
using Microsoft.Playwright;
using Npgsql;
using static EtlActors.Dashboard.Tests.PageChecks;
using static Microsoft.Playwright.Assertions;

namespace EtlActors.Dashboard.Tests;

/// <summary>
/// The dashboard as its users see it in Chromium: what the pages show, checked against the cluster's answers and the
/// rows in the sink. Pages are never reloaded where the point is that they update themselves: each such page carries a
/// marker in its window object, which a reload would wipe.
/// </summary>
public sealed partial class DashboardTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task An_operator_sees_both_members_and_a_submitted_job_appear_progress_pause_resume_and_complete_without_a_reload()
    {
        var node = fixture.Cluster.Nodes[1]; // not the seed, which holds the registry: the page is fed across the cluster
        var page = await fixture.OpenAsync(node, DashboardFixture.Operator);
        foreach (var member in fixture.Cluster.Nodes)
            await Expect(page.Locator($"#members tr[data-member='{member.Address}']")).ToContainTextAsync("Up");

        await page.GetByRole(AriaRole.Link, new() { Name = "Jobs", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Jobs", Exact = true })).ToBeVisibleAsync();
        await MarkAsync(page);
        var id = new JobId("dash-live");
        var config = fixture.File("items.yaml");
        await File.WriteAllTextAsync(config, StubApiConfigs.Items(40));
        await fixture.Client.SubmitAsync(id, new JobSpec("http", config, fixture.Sink.Url, "acme", StubApiConfigs.Items(40)));

        var row = page.Locator("#jobs tr[data-job='dash-live']");
        await Expect(row).ToContainTextAsync("acme");
        await Expect(row.Locator("[data-col=processed]")).Not.ToHaveTextAsync(new Regex("^(0|–)$"));
        await AssertNotReloadedAsync(page);
        await ScreenshotAsync(page, "dashboard-jobs.png");

        await row.GetByRole(AriaRole.Link, new() { Name = "dash-live" }).ClickAsync();
        await Expect(page.Locator("#job-state")).ToHaveTextAsync("Running");
        await MarkAsync(page);
        var processed = page.Locator("#job-processed");
        await Expect(processed).Not.ToHaveTextAsync(new Regex("^(0|–)$"));
        var first = Number(await processed.TextContentAsync());
        await Expect(processed).Not.ToHaveTextAsync(first.ToString("N0", CultureInfo.InvariantCulture));
        var second = Number(await processed.TextContentAsync());
        Assert.True(second > first, $"progress went from {first} to {second}");
        await ScreenshotAsync(page, "dashboard-job.png");

        await page.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(page.Locator("#job-state")).ToHaveTextAsync("Paused");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToBeVisibleAsync();
        Assert.Equal(JobState.Paused, (await fixture.Client.GetAsync(id)).State);
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Expect(page.Locator("#job-state")).ToHaveTextAsync(new Regex("^(Pending|Running|Completed)$"));
        await Expect(page.Locator("#job-state")).ToHaveTextAsync("Completed", new() { Timeout = (float)Within.TotalMilliseconds });

        var all = DashboardFixture.ApiRecords.ToString("N0", CultureInfo.InvariantCulture);
        await Expect(page.Locator("#job-loaded")).ToHaveTextAsync(all);
        await Expect(page.Locator("#totals-messages")).ToHaveTextAsync(all);
        await Expect(page.Locator("#checkpoints tbody tr").First).ToContainTextAsync(all);
        await AssertNotReloadedAsync(page);
        Assert.Equal((DashboardFixture.ApiRecords, DashboardFixture.ApiRecords), await MessagesAsync(fixture.Sink, "dash-live"));

        // The overview after the run: its chart has the run's rate in it.
        await page.GetByRole(AriaRole.Link, new() { Name = "Overview", Exact = true }).ClickAsync();
        await Expect(page.Locator("#states")).ToContainTextAsync("Completed");
        await ScreenshotAsync(page, "dashboard-overview.png");
        // Each page left its event stream behind (three so far); the node ends them without an error.
        Assert.Null(node.Process.LastLine(l => l.Contains("NotSupportedException", StringComparison.Ordinal)));
        Assert.Null(node.Process.LastLine(l => l.Contains("An unhandled exception was thrown by the application", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_viewer_sees_its_tenants_jobs_without_actions_a_forged_action_is_403_and_a_stranger_sees_no_job_or_tenant()
    {
        var ndjson = await WriteTicketsAsync("viewer.ndjson");
        await fixture.Client.SubmitAsync(new JobId("dash-viewer"), new JobSpec("files", ndjson, fixture.Sink.Url, "acme", TicketsMapping));
        await fixture.Client.SubmitAsync(new JobId("dash-globex"), new JobSpec("files", ndjson, fixture.Sink.Url, "globex", TicketsMapping));
        foreach (var id in new[] { "dash-viewer", "dash-globex" })
            await fixture.Cluster.WaitForJobAsync(fixture.Client, new JobId(id), s => s.State == JobState.Completed, Within, "completed");
        var node = fixture.Cluster.Seed;

        var viewer = await fixture.OpenAsync(node, DashboardFixture.Viewer, width: 390, height: 844); // a phone
        await viewer.GotoAsync(new Uri(node.HttpUrl, "/jobs").ToString());
        await Expect(viewer.Locator("#jobs tr[data-job='dash-viewer']")).ToContainTextAsync("Completed");
        await Expect(viewer.Locator("#jobs tr[data-job='dash-globex']")).ToHaveCountAsync(0);
        await Expect(viewer.GetByText("Submit a job")).ToHaveCountAsync(0);
        await viewer.GotoAsync(new Uri(node.HttpUrl, "/jobs/dash-viewer").ToString());
        await Expect(viewer.Locator("#job-state")).ToHaveTextAsync("Completed");
        await Expect(viewer.Locator("#job-actions button")).ToHaveCountAsync(0);
        await ScreenshotAsync(viewer, "dashboard-job-phone.png");
        // What the Pause button would send, sent by hand with the viewer's cookie: the job gate refuses it.
        var forged = await viewer.APIRequest.PostAsync(new Uri(node.HttpUrl, "/api/jobs/dash-viewer/pause").ToString(),
            new() { Headers = new Dictionary<string, string> { ["X-Etl-Dashboard"] = "1" } });
        Assert.Equal(403, forged.Status);
        Assert.Contains("viewer", await forged.TextAsync(), StringComparison.Ordinal);
        var submit = await viewer.APIRequest.PostAsync(new Uri(node.HttpUrl, "/api/jobs").ToString(), new()
        {
            Headers = new Dictionary<string, string> { ["X-Etl-Dashboard"] = "1" },
            DataObject = new { id = "dash-forged", kind = "files", path = ndjson, tenant = "acme", mapping = TicketsMapping },
        });
        Assert.Equal(403, submit.Status);
        Assert.False((await fixture.Client.GetAsync(new JobId("dash-forged"))).Exists);
        var other = await viewer.APIRequest.GetAsync(new Uri(node.HttpUrl, "/api/jobs/dash-globex").ToString());
        Assert.Equal(403, other.Status);

        var stranger = await fixture.OpenAsync(node, null);
        await stranger.GotoAsync(new Uri(node.HttpUrl, "/jobs/dash-viewer").ToString());
        await Expect(stranger.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        var html = await stranger.ContentAsync();
        Assert.DoesNotContain("dash-viewer", html, StringComparison.Ordinal);
        Assert.DoesNotContain("acme", html, StringComparison.Ordinal);
        var api = await stranger.APIRequest.GetAsync(new Uri(node.HttpUrl, "/api/jobs").ToString());
        Assert.Equal(401, api.Status);
        Assert.DoesNotContain("acme", await api.TextAsync(), StringComparison.Ordinal);
        await stranger.GetByLabel("API key").FillAsync("not-a-key-this-cluster-knows");
        await stranger.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(stranger.GetByRole(AriaRole.Alert)).ToContainTextAsync("not one this cluster knows");
    }

    [Fact]
    public async Task A_job_submitted_from_the_form_shows_its_bad_records_in_the_quarantine_browser_with_code_offset_and_payload()
    {
        var ndjson = await WriteTicketsAsync("quarantine.ndjson");
        var node = fixture.Cluster.Nodes[1];
        var page = await fixture.OpenAsync(node, DashboardFixture.Operator);
        await page.GotoAsync(new Uri(node.HttpUrl, "/jobs").ToString());
        await page.GetByText("Submit a job").ClickAsync();
        await page.GetByLabel("Job id", new() { Exact = true }).FillAsync("dash-quarantine");
        await page.GetByLabel("Source kind").SelectOptionAsync("files");
        await page.GetByLabel("Source path", new() { Exact = true }).FillAsync(ndjson);
        await page.GetByLabel("Tenant", new() { Exact = true }).FillAsync("acme");
        await page.GetByLabel("Sink", new() { Exact = true }).FillAsync(fixture.Sink.Url);
        await page.GetByLabel("Mapping or config").FillAsync(TicketsMapping);
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit", Exact = true }).ClickAsync();

        await Expect(page.Locator("#job-id")).ToHaveTextAsync("dash-quarantine");
        await Expect(page.Locator("#job-state")).ToHaveTextAsync("Completed");
        await Expect(page.Locator("#job-quarantined")).ToHaveTextAsync("2");

        await page.GetByText("Quarantined records").ClickAsync();

        var rows = page.Locator("#quarantine tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        var quarantined = await QuarantineAsync("dash-quarantine");
        Assert.Equal(["invalid_json", "invalid_value"], quarantined.Select(q => q.Code).Order());
        for (var i = 0; i < quarantined.Count; i++)
        {
            var (offset, code, payload) = quarantined[i];
            var cells = rows.Nth(i).Locator("td");
            await Expect(cells.Nth(0)).ToHaveTextAsync(offset.ToString(CultureInfo.InvariantCulture));
            await Expect(cells.Nth(1)).ToHaveTextAsync(code);
            await Expect(cells.Nth(3)).ToHaveTextAsync(payload);
        }
        await Expect(rows.Filter(new() { HasText = "invalid_value" })).ToContainTextAsync("not a time");
    }

    [Fact]
    public async Task A_job_page_whose_refresh_goes_unanswered_says_so_above_the_page_and_keeps_following_the_job_to_completion()
    {
        // What a failover does to a page (a CI run saw it): a refresh of the job's details gets "the cluster did not
        // answer in time". The browser's own network stands in for the slow cluster here: the node, the job and the
        // live events are real, and only that request is answered with the node's 504.
        var node = fixture.Cluster.Nodes[1];
        var id = new JobId("dash-unanswered");
        var config = fixture.File("unanswered.yaml");
        await File.WriteAllTextAsync(config, StubApiConfigs.Items(40));
        await fixture.Client.SubmitAsync(id, new JobSpec("http", config, fixture.Sink.Url, "acme", StubApiConfigs.Items(40)));
        var page = await fixture.OpenAsync(node, DashboardFixture.Viewer);
        await page.GotoAsync(new Uri(node.HttpUrl, "/jobs/dash-unanswered").ToString());
        await Expect(page.Locator("#job-state")).ToHaveTextAsync("Running", new() { Timeout = (float)Within.TotalMilliseconds });
        await MarkAsync(page);

        const string details = "**/api/jobs/dash-unanswered";
        await page.RouteAsync(details, route => route.FulfillAsync(new()
        {
            Status = 504,
            ContentType = "application/json",
            Body = """{"error":"the cluster did not answer in time"}""",
        }));
        // A new checkpoint makes the page ask for the details again, and that ask fails.
        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToHaveTextAsync("the cluster did not answer in time", new() { Timeout = (float)Within.TotalMilliseconds });
        await Expect(page.Locator("#job-state")).ToHaveTextAsync("Running");
        var processed = Number(await page.Locator("#job-processed").TextContentAsync());
        await Expect(page.Locator("#job-processed")).Not.ToHaveTextAsync(processed.ToString("N0", CultureInfo.InvariantCulture)); // still pushed

        await page.UnrouteAsync(details);
        await Expect(page.Locator("#job-state")).ToHaveTextAsync("Completed", new() { Timeout = (float)Within.TotalMilliseconds });
        await Expect(alert).ToBeHiddenAsync(); // the next ask was answered
        var all = DashboardFixture.ApiRecords.ToString("N0", CultureInfo.InvariantCulture);
        await Expect(page.Locator("#checkpoints tbody tr").First).ToContainTextAsync(all);
        await AssertNotReloadedAsync(page);
    }

    [Fact]
    public async Task A_job_page_whose_first_load_goes_unanswered_says_so_and_fills_in_when_asked_again()
    {
        // A page opened during a failover on a job that has ended: its first ask for the details gets the node's 504,
        // and no live event will come to fill it. Only the first ask is answered so; the page must ask again.
        await CompletedTicketsJobAsync("dash-first-load");
        var node = fixture.Cluster.Nodes[1];
        var page = await fixture.OpenAsync(node, DashboardFixture.Viewer);
        await AnswerFirstWithTimeoutAsync(page, new Regex("/api/jobs/dash-first-load$"));

        await page.GotoAsync(new Uri(node.HttpUrl, "/jobs/dash-first-load").ToString());
        var alert = page.GetByRole(AriaRole.Alert);
        await Expect(alert).ToHaveTextAsync(NotInTime);
        await MarkAsync(page);
        await Expect(page.Locator("#job-state")).ToHaveTextAsync("Completed", new() { Timeout = (float)Within.TotalMilliseconds });
        await Expect(alert).ToBeHiddenAsync();
        await Expect(page.Locator("#job-quarantined")).ToHaveTextAsync("2");
        await AssertNotReloadedAsync(page);
    }

    [Fact]
    public async Task The_overview_and_the_jobs_list_whose_first_load_goes_unanswered_say_so_and_fill_in_when_asked_again()
    {
        // As the job page above, during a failover: no live event refills the members of a cluster that is not changing,
        // nor the row of a job that has ended, so each page must ask again by itself.
        await CompletedTicketsJobAsync("dash-first-list");
        var node = fixture.Cluster.Nodes[1];
        var page = await fixture.OpenAsync(node, DashboardFixture.Viewer);
        await AnswerFirstWithTimeoutAsync(page, new Regex("/api/overview$"));
        await AnswerFirstWithTimeoutAsync(page, new Regex(@"/api/jobs\?"));
        var alert = page.GetByRole(AriaRole.Alert);

        await page.GotoAsync(node.HttpUrl.ToString());
        await Expect(alert).ToHaveTextAsync(NotInTime);
        await MarkAsync(page);
        foreach (var member in fixture.Cluster.Nodes)
            await Expect(page.Locator($"#members tr[data-member='{member.Address}']")).ToContainTextAsync("Up");
        await Expect(alert).ToBeHiddenAsync();
        await AssertNotReloadedAsync(page);

        await page.GotoAsync(new Uri(node.HttpUrl, "/jobs").ToString());
        await Expect(alert).ToHaveTextAsync(NotInTime);
        await MarkAsync(page);
        await Expect(page.Locator("#jobs tr[data-job='dash-first-list'] [data-col=state]")).ToHaveTextAsync("Completed");
        await Expect(alert).ToBeHiddenAsync();
        await AssertNotReloadedAsync(page);
    }

    private const string NotInTime = "the cluster did not answer in time";

    /// <summary>The first request to <paramref name="url"/> gets the node's answer when the cluster does not answer in time; the rest go through.</summary>
    private static Task AnswerFirstWithTimeoutAsync(IPage page, Regex url)
    {
        var asked = 0;
        return page.RouteAsync(url, route => Interlocked.Increment(ref asked) == 1
            ? route.FulfillAsync(new() { Status = 504, ContentType = "application/json", Body = $$"""{"error":"{{NotInTime}}"}""" })
            : route.ContinueAsync());
    }

    private const string TicketsMapping = """
        into: messages
        source: helpdesk
        columns:
          conversation_id: ticket
          message_id: id
          sender_id: author.id
          sent_at: { from: at, type: timestamp }
          content_text: text
        """;

    /// <summary>A tickets job (<see cref="WriteTicketsAsync"/>) of tenant acme, run to completion.</summary>
    private async Task CompletedTicketsJobAsync(string id)
    {
        var ndjson = await WriteTicketsAsync($"{id}.ndjson");
        await fixture.Client.SubmitAsync(new JobId(id), new JobSpec("files", ndjson, fixture.Sink.Url, "acme", TicketsMapping));
        await fixture.Cluster.WaitForJobAsync(fixture.Client, new JobId(id), s => s.State == JobState.Completed, Within, "completed");
    }

    /// <summary>Four lines: two good, one with a bad time (invalid_value), one cut short (invalid_json).</summary>
    private async Task<string> WriteTicketsAsync(string name)
    {
        var path = fixture.File(name);
        await File.WriteAllTextAsync(path, string.Join("\n",
            """{"id": "m1", "ticket": "T-1", "author": {"id": "u1"}, "at": "2026-01-05T09:00:00Z", "text": "Printer jams"}""",
            """{"id": "m2", "ticket": "T-1", "author": {"id": "u2"}, "at": "not a time", "text": "lost"}""",
            """{"id": "m3", "ticket": "T-2", "author": {"id": "u1"}, "at": "2026-01-06T10:00:00Z", "text": "VPN down"}""",
            """{"id": "m4", "ticket": """) + "\n");
        return path;
    }

    private static long Number(string? text) => long.Parse(text ?? "", NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    private async Task<List<(long Offset, string Code, string Payload)>> QuarantineAsync(string jobId)
    {
        await using var connection = new NpgsqlConnection(fixture.Sink.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT record_offset, error_code, payload FROM etl.quarantine WHERE job_id = @job ORDER BY record_offset", connection);
        command.Parameters.AddWithValue("job", jobId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(long, string, string)>();
        while (await reader.ReadAsync())
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        return rows;
    }

    /// <summary>Saves the page for the README (docs/images/), at the size a laptop shows it.</summary>
    private static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Binaries.RepoRoot, "docs", "images", name), FullPage = false });
}
