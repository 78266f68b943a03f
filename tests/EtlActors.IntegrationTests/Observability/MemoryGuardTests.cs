using System.Globalization;
using EtlActors.Contracts.Jobs;
using EtlActors.IntegrationTests.Cluster;
using EtlActors.IntegrationTests.CrashSafety;
using EtlActors.Testing;
using EtlActors.Testing.Processes;
using Xunit.Abstractions;

namespace EtlActors.IntegrationTests.Observability;

/// <summary>
/// The memory guard on a real node given a limit its large job would pass at full speed: it throttles (the log and
/// <c>etl_memory_throttling</c> say so), the process's peak resident memory stays under the limit, and every row loads.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MemoryGuardTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private const int LimitMiB = 290;
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(5);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task A_node_near_its_memory_limit_throttles_intake_stays_under_the_limit_and_loads_every_row()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("memory_guard_journal");
        var sink = await fixture.Server.CreateDatabaseAsync("memory_guard_sink");
        await using var cluster = await LocalCluster.StartAsync(1, journal.Url, new LocalClusterOptions
        {
            Settings = new Dictionary<string, string> { ["Etl__MemoryLimitMiB"] = LimitMiB.ToString(CultureInfo.InvariantCulture) },
        });
        var node = cluster.Seed;
        await using var client = cluster.Client();
        var id = new JobId("memory-guard");

        await client.SubmitAsync(id, new JobSpec("skype", fixture.Export, sink.Url, "acme"));
        var throttlingSeen = false;
        var samples = new List<string>();
        var done = await Eventually.UntilAsync(async () =>
            {
                var metrics = await Http.GetStringAsync(new Uri(node.HttpUrl, "/metrics"));
                var throttling = metrics.Split('\n').Any(l => l.StartsWith("etl_memory_throttling", StringComparison.Ordinal) && l.Split(' ')[^1] == "1");
                throttlingSeen |= throttling;
                var status = await client.GetAsync(id);
                samples.Add($"{status.Checkpoint,8} {Rss(node.Process.Pid, "VmRSS:") / (1024 * 1024),5} MiB {(throttling ? "throttling" : "")}");
                return status;
            },
            s => s.State is JobState.Completed or JobState.Failed, Within, "the job done", every: TimeSpan.FromMilliseconds(200));
        var peak = Rss(node.Process.Pid, "VmHWM:");
        output.WriteLine(string.Join('\n', samples));
        output.WriteLine($"peak {peak / (1024 * 1024)} MiB of {LimitMiB} MiB");
        output.WriteLine(string.Join('\n', node.Process.Output().Split('\n').Where(l => l.Contains("memory guard", StringComparison.Ordinal))));

        Assert.Equal(JobState.Completed, done.State);
        Assert.True(throttlingSeen, "etl_memory_throttling was never 1");
        Assert.NotNull(node.Process.LastLine(l => l.Contains("memory guard:", StringComparison.Ordinal) && l.Contains($"of the {LimitMiB} MiB limit (over 85%)", StringComparison.Ordinal)));
        Assert.True(peak < LimitMiB * 1024L * 1024, $"peak resident memory {peak / (1024 * 1024)} MiB, limit {LimitMiB} MiB");
        Assert.Equal(fixture.Baseline, await TableFingerprint.ReadAsync(sink.ConnectionString));
    }

    /// <summary>A /proc/&lt;pid&gt;/status field in bytes: VmRSS now, VmHWM the peak.</summary>
    private static long Rss(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
