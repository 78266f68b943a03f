using Akka.Actor;
using EtlActors.Contracts;
using EtlActors.Contracts.Cluster;
using EtlActors.Contracts.Jobs;
using EtlActors.Contracts.Security;
using EtlActors.Engine.Tests.Support;
using EtlActors.Testing;
using static EtlActors.Contracts.Jobs.JobProtocol;

namespace EtlActors.Engine.Tests.Security;

/// <summary>
/// The two doors clients reach (<c>/user/jobs</c> and <c>/user/cluster-admin</c>) on a real engine, asked as the
/// ClusterClientReceptionist would pass a client's message on: who may do what, and where a job may load.
/// </summary>
public sealed class GateTests : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);
    private const string AdminKey = "admin-key-0";
    private const string AcmeOperatorKey = "acme-operator-key";
    private const string GlobexViewerKey = "globex-viewer-key";

    private readonly string _dir = Directory.CreateTempSubdirectory("etl-gates-").FullName;
    private EngineHost _engine = null!;
    private string _export = "";

    public async Task InitializeAsync()
    {
        _export = Path.Combine(_dir, "export.tar");
        SyntheticSkypeExport.Write(_export, new SyntheticExportOptions(Messages: 400, Conversations: 4, Seed: 5));
        _engine = await EngineHost.StartAsync(new EtlEngineOptions
        {
            Journal = $"sqlite:{Path.Combine(_dir, "journal.db")}",
            Sinks = new() { ["local"] = $"sqlite:{Path.Combine(_dir, "etl.db")}" },
            Security = new EtlSecurityOptions
            {
                ApiKeys =
                [
                    new ApiKeyOptions { Principal = "root", KeySha256 = ApiKeyHash.Of(AdminKey), Role = "admin" },
                    new ApiKeyOptions { Principal = "ops", KeySha256 = ApiKeyHash.Of(AcmeOperatorKey), Role = "operator", Tenants = ["acme"] },
                    new ApiKeyOptions { Principal = "eve", KeySha256 = ApiKeyHash.Of(GlobexViewerKey), Role = "viewer", Tenants = ["globex"] },
                ],
            },
        });
    }

    private Task<object> AskJobs(string? key, object command) =>
        _engine.System.ActorSelection(EtlActorSystem.JobsPath).Ask<object>(key is null ? command : new SecurityProtocol.Authenticated(key, command), Within);

    private Task<object> AskAdmin(string? key, object command) =>
        _engine.System.ActorSelection(EtlActorSystem.ClusterAdminPath).Ask<object>(key is null ? command : new SecurityProtocol.Authenticated(key, command), Within);

    private static string Refusal(object answer) => Assert.IsType<SecurityProtocol.NotAllowed>(answer).Reason;

    private JobSpec Spec(string tenant, string sink = "local") => new("skype", _export, sink, tenant);

    [Fact]
    public async Task Each_principal_drives_only_what_its_role_and_tenants_allow_and_jobs_load_only_into_allowed_sinks()
    {
        var acmeJob = new JobId("gate-acme");
        Assert.IsType<JobAccepted>(await AskJobs(AcmeOperatorKey, new StartJob(acmeJob, Spec("acme"))));
        Assert.Equal(JobState.Completed, (await _engine.WaitUntilFinishedAsync(acmeJob, Within)).State);

        // The operator sees its job; the viewer of another tenant neither sees nor lists it, nor drives anything.
        Assert.Equal(acmeJob, Assert.IsType<JobStatus>(await AskJobs(AcmeOperatorKey, new GetJob(acmeJob))).JobId);
        Assert.Equal("not allowed: job 'gate-acme' is not in the tenants of principal 'eve' (viewer of globex)", Refusal(await AskJobs(GlobexViewerKey, new GetJob(acmeJob))));
        Assert.Empty(Assert.IsType<JobList>(await AskJobs(GlobexViewerKey, new ListJobs())).Jobs);
        Assert.StartsWith("not allowed: tenant 'acme' is not one of", Refusal(await AskJobs(GlobexViewerKey, new ListJobs(TenantId: "acme"))));
        Assert.StartsWith("not allowed: principal 'eve' (viewer of globex) may not submit a job", Refusal(await AskJobs(GlobexViewerKey, new StartJob(new JobId("gate-globex"), Spec("globex")))));
        Assert.Equal([acmeJob], Assert.IsType<JobList>(await AskJobs(AcmeOperatorKey, new ListJobs())).Jobs.Select(j => j.JobId));
        Assert.Equal([acmeJob], Assert.IsType<JobList>(await AskJobs(AdminKey, new ListJobs())).Jobs.Select(j => j.JobId));

        // An operator may not take over another tenant's job id, nor submit for another tenant.
        Assert.StartsWith("not allowed: tenant 'globex' is not one of", Refusal(await AskJobs(AcmeOperatorKey, new StartJob(new JobId("gate-new"), Spec("globex")))));
        Assert.IsType<JobRejected>(await AskJobs(AcmeOperatorKey, new CancelJob(acmeJob))); // allowed: it has completed, so the job says no

        // Sinks: a name the configuration defines, else refused before anything connects.
        Assert.StartsWith("not allowed: a SQLite sink is a file on the node", Refusal(await AskJobs(AdminKey, new StartJob(new JobId("gate-file"), Spec("acme", $"sqlite:{Path.Combine(_dir, "x.db")}")))));
        Assert.StartsWith("not allowed: no sink named 'lake'", Refusal(await AskJobs(AdminKey, new StartJob(new JobId("gate-lake"), Spec("acme", "lake")))));
        Assert.False(File.Exists(Path.Combine(_dir, "x.db")));

        // Without a key, or with an unknown one, nothing is allowed at either door.
        Assert.StartsWith("not allowed: no API key given", Refusal(await AskJobs(null, new ListJobs())));
        Assert.StartsWith("not allowed: the API key is not one this cluster knows", Refusal(await AskJobs("guess", new GetJob(acmeJob))));
        Assert.StartsWith("not allowed: no API key given", Refusal(await AskAdmin(null, new ClusterProtocol.GetClusterState())));
    }

    [Fact]
    public async Task Cluster_commands_need_an_admin_but_any_principal_sees_the_members()
    {
        var self = Akka.Cluster.Cluster.Get(_engine.System).SelfAddress.ToString();
        // The node joins itself as the host starts: wait for that, as a viewer.
        await Eventually.UntilAsync(async () => Assert.IsType<ClusterProtocol.ClusterStateView>(await AskAdmin(GlobexViewerKey, new ClusterProtocol.GetClusterState())),
            view => view.Members.Count == 1, Within, "the node a member");
        Assert.Equal("not allowed: principal 'ops' (operator of acme) may not mark a node down; that needs the admin role",
            Refusal(await AskAdmin(AcmeOperatorKey, new ClusterProtocol.DownMember(self))));
        Assert.StartsWith("not allowed: principal 'ops' (operator of acme) may not see the cluster's shards", Refusal(await AskAdmin(AcmeOperatorKey, new ClusterProtocol.GetShards())));
        Assert.NotEmpty(Assert.IsType<ClusterProtocol.ShardsView>(await AskAdmin(AdminKey, new ClusterProtocol.GetShards())).Regions);
        Assert.IsType<ClusterProtocol.ClusterCommandRejected>(await AskAdmin(AdminKey, new ClusterProtocol.LeaveMember("10.9.9.9:1")));
    }

    public async Task DisposeAsync()
    {
        await _engine.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
