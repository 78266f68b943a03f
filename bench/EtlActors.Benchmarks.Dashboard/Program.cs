using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Akka.Actor;
using Akka.Hosting;
using EtlActors.Contracts.Jobs;
using EtlActors.Contracts.Security;
using EtlActors.Dashboard;
using EtlActors.Engine;
using EtlActors.Engine.Jobs;
using EtlActors.Engine.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

// The dashboard's jobs list against a job registry of many jobs (default 10,000): the engine and the dashboard in one
// process, as a node runs them (a one-node cluster, SQLite journal). The registry is filled with the reports
// supervisors send it (a Completed status per job) rather than by running that many jobs, which takes an hour on a
// small machine. Then the first page is timed as JSON (/api/jobs, over HTTP) and in Chromium (from navigation to the
// first row on screen). Target: under 1 s in the browser.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var count = args.Length == 2 && args[0] == "--jobs" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
const double TargetSeconds = 1.0;
var folder = Directory.CreateTempSubdirectory("etl-bench-dashboard-").FullName;
var key = ApiKeyHash.NewKey();
var options = new EtlEngineOptions
{
    Journal = "sqlite:" + Path.Combine(folder, "journal.db"),
    Security = { ApiKeys = [new ApiKeyOptions { Principal = "bench", KeySha256 = ApiKeyHash.Of(key), Role = "admin" }] },
};
options.Tls.InsecurePlaintext = true;
options.Validate();

var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
builder.Services.AddRoutingCore();
builder.Services.AddEtlEngine(options, Akka.Event.LogLevel.WarningLevel);
builder.Services.AddEtlDashboard(options);
await using var app = builder.Build();
app.MapEtlDashboard();
await app.StartAsync();
var url = new Uri(app.Urls.First());
var registry = app.Services.GetRequiredService<ActorRegistry>();
var jobs = registry.Get<JobManager>();

Console.WriteLine($"EtlActors dashboard benchmark: the jobs list with {count:N0} jobs in the registry");
Console.WriteLine($"  machine        {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
// The registry is a cluster singleton: its proxy buffers only so many messages until it has found it.
await jobs.Ask<JobProtocol.JobList>(new JobProtocol.ListJobs(), TimeSpan.FromSeconds(60));
var filling = Stopwatch.StartNew();
var jobRegistry = registry.Get<JobRegistry>();
var epoch = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
for (var i = 0; i < count; i++)
{
    var started = epoch.AddSeconds(i * 10);
    var spec = new JobSpec("skype", $"/data/sources/export-{i:D5}.tar", "warehouse", $"tenant-{i % 20:D2}");
    jobRegistry.Tell(new JobStatus(new JobId($"job-{i:D5}"), JobState.Completed, spec, 1000, 1000, 3, null, started, started.AddSeconds(9),
        new JobTotals(10, 20, 997, 3), "127.0.0.1:4053", null, started.AddSeconds(9)));
}
var listed = 0;
while (listed < count)
{
    await Task.Delay(500);
    listed = (await jobs.Ask<JobProtocol.JobList>(new JobProtocol.ListJobs(), TimeSpan.FromSeconds(30))).Jobs.Count;
}
Console.WriteLine($"  registry       {listed:N0} jobs, recorded in {filling.Elapsed.TotalSeconds:N1} s");

using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
var api = new List<double>();
long bytes = 0;
for (var i = 0; i < 21; i++)
{
    var watch = Stopwatch.StartNew();
    using var response = await http.GetAsync(new Uri(url, "/api/jobs"));
    response.EnsureSuccessStatusCode();
    bytes = (await response.Content.ReadAsByteArrayAsync()).Length;
    if (i > 0) // the first warms the route up
        api.Add(watch.Elapsed.TotalSeconds);
}

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true });
var page = await browser.NewPageAsync();
await page.GotoAsync(url.ToString());
await page.GetByLabel("API key").FillAsync(key);
await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
await page.GetByRole(AriaRole.Heading, new() { Name = "Cluster", Exact = true }).WaitForAsync();
var shown = new List<double>();
var pager = "";
for (var i = 0; i < 11; i++)
{
    var watch = Stopwatch.StartNew();
    await page.GotoAsync(new Uri(url, "/jobs").ToString());
    await page.Locator("#jobs tbody tr[data-job]").First.WaitForAsync();
    if (i > 0)
        shown.Add(watch.Elapsed.TotalSeconds);
    pager = await page.Locator("#pager span").TextContentAsync() ?? "";
}
Console.WriteLine($"  /api/jobs      first page ({bytes / 1024.0:N1} KiB): median {Median(api) * 1000:N0} ms, max {api.Max() * 1000:N0} ms of {api.Count}");
Console.WriteLine($"  browser /jobs  navigation to the first row: median {Median(shown) * 1000:N0} ms, max {shown.Max() * 1000:N0} ms of {shown.Count} ({pager})");
var met = Median(shown) < TargetSeconds;
Console.WriteLine($"target: first page under {TargetSeconds:N0} s in the browser: {(met ? "met" : "NOT met")}");
await app.StopAsync();
Directory.Delete(folder, recursive: true);
return met ? 0 : 1;

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
