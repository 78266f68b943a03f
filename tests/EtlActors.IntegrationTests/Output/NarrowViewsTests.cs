using System.Text.RegularExpressions;
using EtlActors.Cli.Output;
using EtlActors.Contracts.Cluster;
using EtlActors.Contracts.Jobs;
using Spectre.Console;

namespace EtlActors.IntegrationTests.Output;

/// <summary>
/// `etl jobs list`, `etl cluster show` and `etl jobs watch` on an 80-column terminal: every line
/// fits (Spectre would otherwise wrap cells and stack rows), and what tells rows apart is still there.
/// </summary>
public sealed partial class NarrowViewsTests
{
    private static readonly string[] Nodes = ["akka.ssl.tcp://etl@10.0.0.17:4053", "akka.ssl.tcp://etl@10.0.0.18:4053", "akka.ssl.tcp://etl@10.0.0.19:4053"];

    private static (IAnsiConsole Console, StringWriter Output) Terminal(int width) => TestTerminal.Create(width);

    // What a person sees: the text without the escape codes for bold and cursor moves.
    private static string[] Lines(StringWriter output) =>
        Escapes().Replace(output.ToString(), "").Replace("\r\n", "\n").Split('\n', '\r');

    [GeneratedRegex(@"\u001b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex Escapes();

    private static JobView Job(string id, JobState state, long processed, long quarantined, double? rate, string? error = null, double? read = null) =>
        JobView.Of(new JobStatus(new JobId(id), state, null, processed, processed, quarantined, error, DateTimeOffset.Parse("2026-11-29T20:14:07Z"), null, null, "akka.ssl.tcp://etl@10.0.0.18:4053", RecordsPerSecond: rate) { ReadFraction = read })
        with { Tenant = "acme-corporation", Source = $"/srv/exports/customers/acme-corporation/2026-11/{id}.tar" };

    private static readonly JobView[] Jobs =
    [
        Job("skype-8bd1e3ebbfd9", JobState.Running, 1_234_567, 42, 12_345.6, read: 0.375),
        Job("skype-0c7f4a9de211", JobState.Completed, 98_765, 0, null),
        Job("teams-5e2b61c0a7f3", JobState.Failed, 7_001, 3, null, "PostgreSQL: 57P01 terminating connection due to administrator command while loading messages"),
    ];

    private static ClusterProtocol.ClusterStateView Cluster(params string[] versions) => new(Nodes[0],
        [.. Nodes.Select((a, i) => new ClusterProtocol.MemberView(a, i == 2 ? "Joining" : "Up", ["etl", "worker"], Reachable: i != 1, versions[i % versions.Length]))]);

    [Fact]
    public void The_jobs_list_fits_80_columns_with_ids_states_and_separated_counts()
    {
        var (console, output) = Terminal(80);

        JobTables.Write(Jobs, console);

        var lines = Lines(output);
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        Assert.Equal(Jobs.Length + 4, lines.Count(l => l.Length > 0)); // top, header, rule, a row each, bottom: no row wrapped
        foreach (var id in new[] { "skype-8bd1e3ebbfd9", "skype-0c7f4a9de211", "teams-5e2b61c0a7f3" })
            Assert.Contains(lines, l => l.Contains(id, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Running 37%", StringComparison.Ordinal) && l.Contains("1,234,525", StringComparison.Ordinal) && l.Contains("12,346", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Failed", StringComparison.Ordinal) && l.Contains("PostgreSQL", StringComparison.Ordinal) && l.Contains('…', StringComparison.Ordinal));
    }

    [Fact]
    public void A_wide_jobs_list_shows_every_column_and_sources_cut_from_the_left()
    {
        var (console, output) = Terminal(240); // what `etl` gives a table when output is redirected

        JobTables.Write(Jobs, console);

        var lines = Lines(output);
        Assert.All(lines, l => Assert.True(l.Length <= 240, l));
        foreach (var header in new[] { "TENANT", "NODE", "QUARANTINED", "RECORDS/S", "STARTED", "SOURCE", "ERROR" })
            Assert.Contains(header, lines[1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("…/2026-11/skype-8bd1e3ebbfd9.tar", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("2026-11-29 20:14:07Z", StringComparison.Ordinal));
    }

    [Fact]
    public void Cluster_show_fits_80_columns_with_whole_addresses_and_names_the_leader_and_version()
    {
        var (console, output) = Terminal(80);

        ClusterViews.MembersTable(Cluster("1.4.0+8bd1e3eb"), console);

        var lines = Lines(output);
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        Assert.All(Nodes, a => Assert.Contains(lines, l => l.Contains(a, StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains("Joining", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("NO", StringComparison.Ordinal));
        Assert.Contains($"3 member(s); leader: {Nodes[0]}", lines);
        Assert.Contains("all on version 1.4.0+8bd1e3eb", lines);
    }

    [Fact]
    public void Cluster_show_at_80_columns_lists_versions_while_members_differ()
    {
        var (console, output) = Terminal(80);

        ClusterViews.MembersTable(Cluster("1.4.0", "1.5.0-rc.1"), console);

        var lines = Lines(output);
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        Assert.Contains("VERSION", lines[1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains(Nodes[1], StringComparison.Ordinal) && l.Contains("1.5.0", StringComparison.Ordinal));
    }

    [Fact]
    public void Cluster_shards_fits_80_columns_in_the_same_table_style_with_nodes_as_host_and_port()
    {
        var (console, output) = Terminal(80);
        var jobs = Enumerable.Range(0, 40).Select(i => $"skype-{i:x12}").ToList();
        var view = new ClusterProtocol.ShardsView(
        [
            new("jobs", [new(Nodes[0], [new("17", 40, jobs)], []), new(Nodes[1], [], ["42"])]),
            new("transformers", [], "the region did not answer within 5 s"),
        ]);

        ClusterViews.ShardsTable(view, console);

        var lines = Lines(output);
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        Assert.StartsWith("╭", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^│ REGION +│ NODE", lines[1]);
        Assert.Contains(lines, l => l.Contains("│ jobs ", StringComparison.Ordinal) && l.Contains("│ 10.0.0.17:4053 ", StringComparison.Ordinal)
            && l.Contains("│ 17 ", StringComparison.Ordinal) && l.Contains(" 40 │", StringComparison.Ordinal) && l.Contains("skype-000000000000, ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("10.0.0.18:4053", StringComparison.Ordinal) && l.Contains("did not report in time", StringComparison.Ordinal));
        Assert.Contains("transformers: error: the region did not answer within 5 s", lines);
        Assert.Contains("jobs: 1 shard(s), 40 entities on 2 node(s)", lines);
    }

    [Fact]
    public void The_live_line_at_80_columns_names_the_job_state_count_and_rate()
    {
        var progress = JobProgress.Of(new JobStatus(new JobId("skype-8bd1e3ebbfd9"), JobState.Running, null, 1_200_000, 1_234_567, 42, null, null, null, null, Nodes[1], RecordsPerSecond: 12_345.6));

        Assert.Equal("skype-8bd1e3ebbfd9 Running 1,234,567 records 12,346/s", JobWatch.Brief(progress));
    }

    [Fact]
    public async Task With_the_sources_size_known_jobs_watch_shows_the_percent_and_time_left_within_80_columns()
    {
        var (console, output) = Terminal(80);
        var job = new JobId("skype-8bd1e3ebbfd9");
        // 1,234,567 records at 12,345.6/s with a quarter read: about 3.7 million more, 5 min.
        var running = new JobStatus(job, JobState.Running, null, 1_200_000, 1_234_567, 42, null, null, null, null, Nodes[1], RecordsPerSecond: 12_345.6) { ReadFraction = 0.25 };

        Assert.Equal("skype-8bd1e3ebbfd9 Running 1,234,567 12,346/s 25% 5:00 left", JobWatch.Brief(JobProgress.Of(running)));
        Assert.EndsWith("12,346 records/s, 25%, 5 min 00 s left, checkpoint 1,200,000", JobWatch.Describe(JobProgress.Of(running)), StringComparison.Ordinal);
        await JobWatch.FollowAsync(Progress(running, running with { State = JobState.Paused, ReadFraction = null, RecordsPerSecond = null }), job, json: false, console);

        var lines = Lines(output);
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        Assert.Contains("skype-8bd1e3ebbfd9: Paused, 1,234,567 records (42 quarantined)", lines);
    }

    [Fact]
    public void Jobs_list_and_cluster_show_share_one_table_style()
    {
        var (jobsConsole, jobs) = Terminal(80);
        var (clusterConsole, cluster) = Terminal(80);

        JobTables.Write(Jobs, jobsConsole);
        ClusterViews.MembersTable(Cluster("1.4.0"), clusterConsole);

        // The rounded border's corners, and headers in capitals.
        foreach (var lines in new[] { Lines(jobs), Lines(cluster) })
        {
            Assert.StartsWith("╭", lines[0], StringComparison.Ordinal);
            Assert.Matches(@"^│ [A-Z]", lines[1]);
            Assert.StartsWith("├", lines[2], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Jobs_watch_fits_80_columns_and_ends_with_the_final_state_over_lines_that_fit()
    {
        var (console, output) = Terminal(80);
        var job = new JobId("skype-8bd1e3ebbfd9");

        await JobWatch.FollowAsync(Progress(
            new JobStatus(job, JobState.Running, null, 1_200_000, 1_234_567, 42, null, null, null, null, Nodes[1], RecordsPerSecond: 12_345.6),
            new JobStatus(job, JobState.Completed, null, 2_469_134, 2_469_134, 42, null, null, null, null, Nodes[1])), job, json: false, console);

        var lines = Lines(output);
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        // The display's last frame (earlier ones depend on its refresh timer).
        Assert.Contains(lines, l => l.Contains("skype-8bd1e3ebbfd9 Completed 2,469,134 records ━", StringComparison.Ordinal));
        Assert.Contains("skype-8bd1e3ebbfd9: Completed, 2,469,134 records (42 quarantined)", lines);
        Assert.Contains($"  checkpoint 2,469,134, on {Nodes[1]}", lines);
    }

    private static async IAsyncEnumerable<JobProgress> Progress(params JobStatus[] statuses)
    {
        foreach (var status in statuses)
        {
            await Task.Yield();
            yield return JobProgress.Of(status);
        }
    }
}
