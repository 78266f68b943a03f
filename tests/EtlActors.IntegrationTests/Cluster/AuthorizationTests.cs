using System.Text.Json;
using EtlActors.Contracts.Jobs;
using EtlActors.IntegrationTests.CrashSafety;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Processes;
using EtlActors.Testing.Security;

namespace EtlActors.IntegrationTests.Cluster;

/// <summary>
/// Who may do what, with real node processes and `etl` as each principal's user types it: every refusal reaches the
/// caller as `not allowed: …` with its reason, is logged by the node with the principal, and changes nothing.
/// </summary>
[Collection(ClusterCommandsCollection.Name)]
public sealed class AuthorizationTests(ClusterFixture fixture) : IDisposable
{
    private static readonly TestKey ViewerOfAcme = new("ann", "viewer", "acme");
    private static readonly TestKey OperatorOfAcme = new("ops-acme", "operator", "acme");
    private static readonly TestKey OperatorOfGlobex = new("ops-globex", "operator", "globex");

    private const string Password = "warehouse-pw-0c1d";

    private readonly TempFolder _dir = new();

    private async Task<ProcessResult> Etl(LocalCluster cluster, TestKey? key, params string[] args) =>
        await EtlProcess.RunAsync(_dir.Path, key?.ClientEnvironment ?? new Dictionary<string, string> { ["ETL_API_KEY"] = "" }, [.. args, .. cluster.ClusterArgs]);

    private static void Refused(ProcessResult result, string reason)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("error: " + reason, result.Stderr.Trim());
    }

    [Fact]
    public async Task Viewers_operators_and_admins_each_do_only_what_their_role_allows_on_their_own_tenants()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("authz_journal");
        var acmeSink = await fixture.Server.CreateDatabaseAsync("authz_acme");
        var globexSink = await fixture.Server.CreateDatabaseAsync("authz_globex");
        await using var cluster = await LocalCluster.StartAsync(1, journal.Url, new LocalClusterOptions { ApiKeys = [ViewerOfAcme, OperatorOfAcme, OperatorOfGlobex] });
        await using var admin = cluster.Client();

        var acme = await Etl(cluster, OperatorOfAcme, "submit", fixture.SmallExport, "--sink", acmeSink.Url, "--tenant", "acme", "--job-id", "acme-job");
        Assert.True(acme.ExitCode == 0, acme.ToString());
        var globex = await Etl(cluster, OperatorOfGlobex, "submit", fixture.SmallExport, "--sink", globexSink.Url, "--tenant", "globex", "--job-id", "globex-job");
        Assert.True(globex.ExitCode == 0, globex.ToString());

        // A viewer sees its tenant's job but may not drive it.
        var shown = await Etl(cluster, ViewerOfAcme, "jobs", "show", "acme-job", "--json");
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Equal("acme-job", JsonDocument.Parse(shown.Stdout).RootElement.GetProperty("id").GetString());
        Refused(await Etl(cluster, ViewerOfAcme, "jobs", "pause", "acme-job"),
            "not allowed: principal 'ann' (viewer of acme) may not pause a job; that needs the operator role");
        Refused(await Etl(cluster, ViewerOfAcme, "submit", fixture.SmallExport, "--sink", acmeSink.Url, "--tenant", "acme", "--job-id", "viewer-job"),
            "not allowed: principal 'ann' (viewer of acme) may not submit a job; that needs the operator role");

        // An operator of acme can neither see nor drive globex's job, nor submit for globex.
        const string notItsJob = "not allowed: job 'globex-job' is not in the tenants of principal 'ops-acme' (operator of acme)";
        Refused(await Etl(cluster, OperatorOfAcme, "jobs", "show", "globex-job"), notItsJob);
        Refused(await Etl(cluster, OperatorOfAcme, "jobs", "pause", "globex-job"), notItsJob);
        Refused(await Etl(cluster, OperatorOfAcme, "jobs", "cancel", "globex-job"), notItsJob);
        Refused(await Etl(cluster, OperatorOfAcme, "jobs", "list", "--tenant", "globex"),
            "not allowed: tenant 'globex' is not one of principal 'ops-acme' (operator of acme)'s");
        Refused(await Etl(cluster, OperatorOfAcme, "submit", fixture.SmallExport, "--sink", globexSink.Url, "--tenant", "globex", "--job-id", "acme-for-globex"),
            "not allowed: tenant 'globex' is not one of principal 'ops-acme' (operator of acme)'s");
        var listed = await Etl(cluster, OperatorOfAcme, "jobs", "list", "--json");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Equal(["acme-job"], JsonDocument.Parse(listed.Stdout).RootElement.EnumerateArray().Select(j => j.GetProperty("id").GetString()));

        // Cluster commands are an admin's.
        var node = cluster.Contacts[0];
        Refused(await Etl(cluster, OperatorOfAcme, "cluster", "down", node),
            "not allowed: principal 'ops-acme' (operator of acme) may not mark a node down; that needs the admin role");
        Refused(await Etl(cluster, OperatorOfAcme, "cluster", "leave", node),
            "not allowed: principal 'ops-acme' (operator of acme) may not make a node leave the cluster; that needs the admin role");
        Refused(await Etl(cluster, null, "jobs", "list"),
            "not allowed: no API key given, and this cluster needs one (set ETL_API_KEY, or EtlClientOptions.ApiKey)");
        Refused(await Etl(cluster, new TestKey("nobody", "admin"), "cluster", "down", node),
            "not allowed: the API key is not one this cluster knows (check ETL_API_KEY, or ask an admin for a key)");

        // Nothing refused happened: both jobs ran to the end, and the refused submits made no job.
        foreach (var id in new[] { "acme-job", "globex-job" })
            await cluster.WaitForJobAsync(admin, new JobId(id), s => s.State == JobState.Completed, TimeSpan.FromMinutes(3), "completed");
        Assert.Equal(["acme-job", "globex-job"], (await admin.ListAsync()).Select(j => j.JobId.Value).Order());
        Assert.Equal(fixture.SmallBaseline, await TableFingerprint.ReadAsync(globexSink.ConnectionString));

        // Each refusal is in the node's log with its principal; a job command taken is there with its principal too.
        var seed = cluster.Seed.Process;
        Assert.NotNull(seed.LastLine(l => l.Contains("job gate: refused PauseJob of job acme-job from principal 'ann' (viewer of acme): not allowed:", StringComparison.Ordinal)));
        Assert.NotNull(seed.LastLine(l => l.Contains("job gate: refused CancelJob of job globex-job from principal 'ops-acme' (operator of acme)", StringComparison.Ordinal)));
        Assert.NotNull(seed.LastLine(l => l.Contains("cluster admin: refused DownMember from principal 'ops-acme' (operator of acme)", StringComparison.Ordinal)));
        Assert.NotNull(seed.LastLine(l => l.Contains("cluster admin: refused DownMember from a caller without a valid key", StringComparison.Ordinal)));
        Assert.NotNull(seed.LastLine(l => l.Contains("job gate: StartJob of job globex-job by principal 'ops-globex' (operator of globex)", StringComparison.Ordinal)));

        // And an admin may: the node leaves.
        var left = await Etl(cluster, TestKeys.Admin, "cluster", "leave", node);
        Assert.True(left.ExitCode == 0, left.ToString());
        await cluster.Seed.Process.WaitForExitAsync(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_client_loads_only_into_a_sink_the_cluster_names_or_allows_and_a_named_sinks_password_stays_on_the_nodes()
    {
        var journal = await fixture.Server.CreateDatabaseAsync("authz_sinks_journal");
        var warehouse = await fixture.Server.CreateDatabaseAsync("authz_warehouse");
        await using var cluster = await LocalCluster.StartAsync(1, journal.Url, new LocalClusterOptions
        {
            ApiKeys = [OperatorOfAcme],
            // The server trusts loopback, so the password is not checked; it is here to be kept secret.
            Settings = new Dictionary<string, string> { ["Etl__Sinks__warehouse"] = warehouse.Url.Replace("@", ":" + Password + "@", StringComparison.Ordinal) },
        });
        await using var admin = cluster.Client();
        string[] Submit(string sink, string id) => ["submit", fixture.SmallExport, "--sink", sink, "--tenant", "acme", "--job-id", id];

        Refused(await Etl(cluster, OperatorOfAcme, Submit("lake", "to-lake")),
            "not allowed: no sink named 'lake' (this cluster defines warehouse)");
        // 10.255.255.1 never answers: a node that tried to connect would hang there, not refuse at once.
        Refused(await Etl(cluster, OperatorOfAcme, Submit("postgresql://me@10.255.255.1:5432/loot", "to-elsewhere")),
            "not allowed: sink host '10.255.255.1' is not on this cluster's allow-list (Etl:SinkHosts: 127.0.0.1, localhost); use a named sink (this cluster defines warehouse)");
        Refused(await Etl(cluster, OperatorOfAcme, Submit("sqlite:" + Path.Combine(_dir.Path, "mine.db"), "to-file")),
            "not allowed: a SQLite sink is a file on the node, which a client may not choose; use a named sink (this cluster defines warehouse)");
        Assert.Empty(await admin.ListAsync());
        Assert.False(File.Exists(Path.Combine(_dir.Path, "mine.db")));

        var named = await Etl(cluster, OperatorOfAcme, Submit("warehouse", "to-warehouse"));
        Assert.True(named.ExitCode == 0, named.ToString());
        var done = await cluster.WaitForJobAsync(admin, new JobId("to-warehouse"), s => s.State == JobState.Completed, TimeSpan.FromMinutes(3), "completed");
        Assert.Equal("warehouse", done.Spec!.Sink);
        var shown = await Etl(cluster, OperatorOfAcme, "jobs", "show", "to-warehouse", "--json");
        Assert.Contains("\"sink\": \"warehouse\"", shown.Stdout);
        Assert.DoesNotContain(Password, shown.Stdout + shown.Stderr + named.Stdout + named.Stderr + cluster.Seed.Process.Output());
        Assert.Equal(fixture.SmallBaseline, await TableFingerprint.ReadAsync(warehouse.ConnectionString));
    }

    public void Dispose() => _dir.Dispose();
}
