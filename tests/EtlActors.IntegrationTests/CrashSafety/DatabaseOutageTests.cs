using EtlActors.IntegrationTests.Support;
using EtlActors.Testing;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.CrashSafety;

/// <summary>The database going away mid-job: a job rides out an outage, and fails visibly once its retry budget is spent.</summary>
[Collection(CrashSafetyCollection.Name)]
public sealed class DatabaseOutageTests(CrashSafetyFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(3);
    private readonly TempFolder _dir = new();
    private PostgresServer _server = null!; // its own server: these tests stop it

    private static readonly Dictionary<string, string> FastRetries = new()
    {
        ["Etl__RetryMinBackoff"] = "00:00:00.200",
        ["Etl__RetryMaxBackoff"] = "00:00:01",
        ["Etl__SupervisorRestartBackoff"] = "00:00:01",
    };

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    [Fact]
    public async Task A_job_whose_database_stops_and_comes_back_completes_with_exact_rows()
    {
        var db = await _server.CreateDatabaseAsync("outage");
        var environment = new Dictionary<string, string>(FastRetries) { ["Etl__MaxRetries"] = "50" };
        using var run = RunningProcess.StartEtl(_dir.Path, environment, "run", fixture.Export, "--sink", db.Url, "--tenant", "acme", "--job-id", "outage");

        await TableFingerprint.WaitUntilLoadedAsync(db.ConnectionString, Within, fixture.Records / 3);
        await _server.StopServerAsync();
        // The loader's write fails and the run is restarted from its checkpoint, again and again while the server is away.
        await run.WaitForLineAsync(l => l.Contains("run failed", StringComparison.Ordinal), Within);
        await _server.StartServerAsync();
        var result = await run.WaitForExitAsync(Within);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(fixture.Baseline, await TableFingerprint.ReadAsync(db.ConnectionString));
    }

    [Fact]
    public async Task A_database_that_never_comes_back_fails_the_job_with_its_reason_within_the_retry_budget()
    {
        var db = await _server.CreateDatabaseAsync("gone");
        var environment = new Dictionary<string, string>(FastRetries) { ["Etl__MaxRetries"] = "3" };
        // Job state in a file, so the supervisor can record the failure while the sink's server is down.
        using var run = RunningProcess.StartEtl(_dir.Path, environment, "run", fixture.Export, "--sink", db.Url, "--journal", $"sqlite:{_dir.File("journal.db")}",
            "--tenant", "acme", "--job-id", "gone");

        await TableFingerprint.WaitUntilLoadedAsync(db.ConnectionString, Within, fixture.Records / 5);
        await _server.StopServerAsync();
        var result = await run.WaitForExitAsync(Within);

        Assert.True(result.ExitCode == 1, result.ToString());
        var error = Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.StartsWith("error: job gone failed: PostgreSQL: ", error);
        Assert.EndsWith("(gave up after 3 restarts)", error);
        Assert.Equal(3, result.Stderr.Split('\n').Count(l => l.Contains("run failed", StringComparison.Ordinal)));
        Assert.DoesNotContain("   at ", result.Stderr);
    }


    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }
}
