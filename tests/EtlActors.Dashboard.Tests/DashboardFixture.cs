using EtlActors.Client;
using EtlActors.Testing.Http;
using EtlActors.Testing;
using EtlActors.Testing.Processes;
using EtlActors.Testing.Security;
using Microsoft.Playwright;

namespace EtlActors.Dashboard.Tests;

/// <summary>
/// What every dashboard test needs: a slow paged HTTP API for a job that runs long enough to be watched, the settings of
/// a cluster whose nodes read it (an operator's and a viewer's key of tenant acme beside the admin's), and Debian's
/// Chromium driven by Playwright. A test that kills a node starts its cluster from <see cref="ClusterOptions"/>.
/// </summary>
public class DashboardBrowserFixture : IAsyncLifetime
{
    /// <summary>The slow API's records: 150 pages of 40, each served after 150 ms, so its job runs for 22 s or more.</summary>
    public const int ApiRecords = 6_000;

    public static readonly TestKey Operator = new("ops-acme", "operator", "acme");
    public static readonly TestKey Viewer = new("viewer-acme", "viewer", "acme");

    private readonly string _dir = Directory.CreateTempSubdirectory("etl-dashboard-").FullName;
    private IPlaywright? _playwright;

    public StubApi Api { get; private set; } = null!;

    /// <summary>How a cluster for these tests is started.</summary>
    public LocalClusterOptions ClusterOptions { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>A folder the nodes read sources from (they run on this machine).</summary>
    public string File(string name) => Path.Combine(_dir, name);

    public virtual async Task InitializeAsync()
    {
        Api = await StubApi.StartAsync(new StubApiOptions { Records = ApiRecords, PageSize = 40, Conversations = 4, Seed = 16 });
        Api.Faults.Add(StubFault.Slow(TimeSpan.FromMilliseconds(150)) with { Times = int.MaxValue });
        ClusterOptions = new LocalClusterOptions
        {
            InsecurePlaintext = true, // the keys are what is tested here; TLS between nodes has its own tests
            ApiKeys = [Operator, Viewer],
            Settings = new Dictionary<string, string>
            {
                ["API_URL"] = Api.BaseUrl,
                // Small batches and frequent checkpoints: progress and the checkpoint history move every page or two.
                ["Etl__BatchSize"] = "40",
                ["Etl__CheckpointInterval"] = "200",
            },
        };
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true });
        // A page's live update comes within a report or two (every 2 s); a failover or a slow CI machine takes longer.
        Assertions.SetDefaultExpectTimeout(60_000);
    }

    /// <summary>A new browser (its own cookies) at a laptop's size, signed in with <paramref name="key"/> on <paramref name="node"/> unless null.</summary>
    public async Task<IPage> OpenAsync(ClusterNode node, TestKey? key, int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(node.HttpUrl.ToString());
        if (key is not null)
        {
            await page.GetByLabel("API key").FillAsync(key.Key);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Cluster", Exact = true })).ToBeVisibleAsync();
        }
        return page;
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.CloseAsync();
        _playwright?.Dispose();
        if (Api is not null)
            await Api.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

/// <summary>
/// One real cluster for the dashboard's tests: two etl-node processes journalling into PostgreSQL and loading into a
/// PostgreSQL sink, with <see cref="DashboardBrowserFixture"/>'s API, keys and browser.
/// </summary>
public sealed class DashboardFixture : DashboardBrowserFixture
{
    public LocalCluster Cluster { get; private set; } = null!;
    public EtlClient Client { get; private set; } = null!;
    public TestDatabase Sink { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var server = await PostgresServer.SharedAsync();
        var journal = await server.CreateDatabaseAsync("dashboard_journal");
        Sink = await server.CreateDatabaseAsync("dashboard_sink");
        Cluster = await LocalCluster.StartAsync(2, journal.Url, ClusterOptions);
        Client = Cluster.Client();
    }

    public override async Task DisposeAsync()
    {
        if (Client is not null)
            await Client.DisposeAsync();
        if (Cluster is not null)
            await Cluster.DisposeAsync();
        await base.DisposeAsync();
    }
}
