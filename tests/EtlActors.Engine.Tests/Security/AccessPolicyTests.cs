using Akka.Actor;
using Akka.Configuration;
using EtlActors.Contracts.Cluster;
using EtlActors.Contracts.Jobs;
using EtlActors.Contracts.Security;
using EtlActors.Contracts.Serialization;
using EtlActors.Engine.Security;
using Microsoft.Extensions.Configuration;
using static EtlActors.Contracts.Jobs.JobProtocol;

namespace EtlActors.Engine.Tests.Security;

/// <summary>Who may do what, as a node configured with keys decides it, without an actor system.</summary>
public sealed class AccessPolicyTests
{
    private const string ViewerKey = "viewer-key-of-acme";
    private const string OperatorKey = "operator-key-of-acme-and-globex";
    private const string AdminKey = "admin-key";
    private const string EveryTenantKey = "operator-key-of-every-tenant";

    private static readonly JobId Job = new("nightly");

    private static EtlEngineOptions Options(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Etl:Security:ApiKeys:0:Principal"] = "ann",
            ["Etl:Security:ApiKeys:0:KeySha256"] = ApiKeyHash.Of(ViewerKey),
            ["Etl:Security:ApiKeys:0:Role"] = "viewer",
            ["Etl:Security:ApiKeys:0:Tenants:0"] = "acme",
            ["Etl:Security:ApiKeys:1:Principal"] = "ops",
            ["Etl:Security:ApiKeys:1:KeySha256"] = ApiKeyHash.Of(OperatorKey).ToUpperInvariant(),
            ["Etl:Security:ApiKeys:1:Role"] = "Operator",
            ["Etl:Security:ApiKeys:1:Tenants:0"] = "acme",
            ["Etl:Security:ApiKeys:1:Tenants:1"] = "globex",
            ["Etl:Security:ApiKeys:2:Principal"] = "root",
            ["Etl:Security:ApiKeys:2:KeySha256"] = ApiKeyHash.Of(AdminKey),
            ["Etl:Security:ApiKeys:2:Role"] = "admin",
            ["Etl:Security:ApiKeys:3:Principal"] = "batch",
            ["Etl:Security:ApiKeys:3:KeySha256"] = ApiKeyHash.Of(EveryTenantKey),
            ["Etl:Security:ApiKeys:3:Role"] = "operator",
            ["Etl:Security:ApiKeys:3:Tenants:0"] = "*",
            ["Etl:Journal"] = "postgresql://etl@db.internal:5432/etl",
            ["Etl:Sinks:warehouse"] = "postgresql://loader:s3cret@dw.internal:5432/dw",
            ["Etl:SinkHosts:0"] = "pg.allowed.example",
        };
        foreach (var (key, value) in more)
            settings[key] = value;
        return EtlEngineOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
    }

    private static readonly AccessPolicy Policy = AccessPolicy.From(Options());

    private static Principal Admitted(string key, object command)
    {
        var admission = Policy.Admit(new SecurityProtocol.Authenticated(key, command));
        Assert.Null(admission.Refusal);
        Assert.Same(command, admission.Command);
        return admission.Principal!;
    }

    [Fact]
    public void A_key_is_known_by_its_hash_and_names_its_principal_role_and_tenants()
    {
        Assert.Equal("principal 'ann' (viewer of acme)", Admitted(ViewerKey, new GetJob(Job)).ToString());
        Assert.Equal("principal 'ops' (operator of acme, globex)", Admitted(OperatorKey, new GetJob(Job)).ToString());
        Assert.Equal("principal 'root' (admin of every tenant)", Admitted(AdminKey, new GetJob(Job)).ToString());
        Assert.Equal("principal 'batch' (operator of every tenant)", Admitted(EveryTenantKey, new GetJob(Job)).ToString());
    }

    [Fact]
    public void No_key_or_an_unknown_key_is_refused_and_the_reason_says_what_to_set()
    {
        var bare = Policy.Admit(new PauseJob(Job));
        Assert.Null(bare.Principal);
        Assert.Equal("not allowed: no API key given, and this cluster needs one (set ETL_API_KEY, or EtlClientOptions.ApiKey)", bare.Refusal);

        var unknown = Policy.Admit(new SecurityProtocol.Authenticated("guessed", new PauseJob(Job)));
        Assert.Null(unknown.Principal);
        Assert.Equal("not allowed: the API key is not one this cluster knows (check ETL_API_KEY, or ask an admin for a key)", unknown.Refusal);
    }

    [Fact]
    public void Anonymous_access_is_an_admin_of_every_tenant_only_where_it_is_switched_on_and_a_key_sent_anyway_still_counts()
    {
        var open = AccessPolicy.From(Options(("Etl:Security:InsecureAnonymousAccess", "true")));
        Assert.Same(Principal.Anonymous, open.Admit(new ClusterProtocol.DownMember("a:1")).Principal);
        Assert.Equal("ann", open.Admit(new SecurityProtocol.Authenticated(ViewerKey, new GetJob(Job))).Principal!.Name);
        Assert.NotNull(open.Admit(new SecurityProtocol.Authenticated("guessed", new GetJob(Job))).Refusal);
    }

    [Fact]
    public void Each_role_allows_its_commands_and_names_the_role_a_refused_one_needs()
    {
        var viewer = Admitted(ViewerKey, new GetJob(Job));
        var @operator = Admitted(OperatorKey, new GetJob(Job));
        var admin = Admitted(AdminKey, new GetJob(Job));
        var spec = new JobSpec("skype", "a.tar", "", "acme");

        Assert.All(new object[] { new GetJob(Job), new ListJobs(), new ClusterProtocol.GetClusterState() }, c => Assert.Null(AccessPolicy.RoleRefusal(viewer, c)));
        Assert.Equal("not allowed: principal 'ann' (viewer of acme) may not pause a job; that needs the operator role", AccessPolicy.RoleRefusal(viewer, new PauseJob(Job)));
        Assert.Equal("not allowed: principal 'ann' (viewer of acme) may not submit a job; that needs the operator role", AccessPolicy.RoleRefusal(viewer, new StartJob(Job, spec)));

        Assert.All(new object[] { new StartJob(Job, spec), new PauseJob(Job), new ResumeJob(Job), new CancelJob(Job) }, c => Assert.Null(AccessPolicy.RoleRefusal(@operator, c)));
        Assert.Equal("not allowed: principal 'ops' (operator of acme, globex) may not mark a node down; that needs the admin role",
            AccessPolicy.RoleRefusal(@operator, new ClusterProtocol.DownMember("a:1")));
        Assert.NotNull(AccessPolicy.RoleRefusal(@operator, new ClusterProtocol.LeaveMember("a:1")));
        Assert.NotNull(AccessPolicy.RoleRefusal(@operator, new ClusterProtocol.GetShards()));
        Assert.Equal("not allowed: principal 'ops' (operator of acme, globex) may not change a node's log level; that needs the admin role",
            AccessPolicy.RoleRefusal(@operator, new ClusterProtocol.SetLogLevel(NodeLogLevel.Debug)));

        Assert.All(new object[] { new ClusterProtocol.DownMember("a:1"), new ClusterProtocol.LeaveMember("a:1"), new ClusterProtocol.GetShards(), new ClusterProtocol.SetLogLevel(NodeLogLevel.Debug, "a:1"), new CancelJob(Job) },
            c => Assert.Null(AccessPolicy.RoleRefusal(admin, c)));
        Assert.Equal("not allowed: String is not a command this node takes from clients", AccessPolicy.RoleRefusal(admin, "hello"));
    }

    [Fact]
    public void A_principal_sees_only_its_tenants_jobs_unless_it_has_every_tenant()
    {
        var viewer = Admitted(ViewerKey, new GetJob(Job));
        Assert.Null(AccessPolicy.TenantRefusal(viewer, Job, "acme"));
        Assert.Equal("not allowed: job 'nightly' is not in the tenants of principal 'ann' (viewer of acme)", AccessPolicy.TenantRefusal(viewer, Job, "globex"));
        Assert.Equal("not allowed: tenant 'globex' is not one of principal 'ann' (viewer of acme)'s", AccessPolicy.ListRefusal(viewer, "globex"));
        Assert.Null(AccessPolicy.ListRefusal(viewer, null));
        Assert.Null(AccessPolicy.TenantRefusal(Admitted(EveryTenantKey, new GetJob(Job)), Job, "globex"));
        Assert.Null(AccessPolicy.TenantRefusal(Admitted(AdminKey, new GetJob(Job)), Job, "initech"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("warehouse")]
    [InlineData("postgresql://etl@db.internal:5432/etl")]
    [InlineData("postgresql://someone@pg.allowed.example:6543/other")]
    [InlineData("postgresql://someone@PG.ALLOWED.EXAMPLE/other")]
    public void A_client_may_load_into_the_default_sink_a_named_one_or_a_url_on_an_allowed_host(string sink) =>
        Assert.Null(Policy.SinkRefusal(sink));

    [Theory]
    [InlineData("lake", "not allowed: no sink named 'lake' (this cluster defines warehouse)")]
    [InlineData("postgresql://me@evil.example:5432/loot", "not allowed: sink host 'evil.example' is not on this cluster's allow-list (Etl:SinkHosts: pg.allowed.example); use a named sink (this cluster defines warehouse)")]
    [InlineData("postgresql://etl@db.internal:5432/other", "not allowed: sink host 'db.internal' is not on this cluster's allow-list")]
    [InlineData("sqlite:/var/lib/etl/journal.db", "not allowed: a SQLite sink is a file on the node, which a client may not choose; use a named sink (this cluster defines warehouse)")]
    [InlineData("mysql://x@y/z", "not allowed: sink must be sqlite:<file> or postgresql://user@host:port/database")]
    public void Any_other_sink_is_refused_with_what_the_cluster_allows(string sink, string expected) =>
        Assert.StartsWith(expected, Policy.SinkRefusal(sink));

    [Fact]
    public void A_named_sink_resolves_to_its_configured_url_with_the_password_only_where_the_connection_is_made()
    {
        var options = Options();
        var address = options.ResolveSink("warehouse");
        Assert.Equal("postgresql://loader@dw.internal:5432/dw", address.Description);
        Assert.Contains("s3cret", address.ToConnectionString());
        var missing = Assert.Throws<FormatException>(() => options.ResolveSink("lake"));
        Assert.Equal("sink 'lake' is not defined on this node (Etl:Sinks:lake); every node needs the cluster's named sinks", missing.Message);
    }

    [Theory]
    [InlineData("Etl:Security:ApiKeys:0:KeySha256", "the-key-itself", "Etl:Security:ApiKeys:0:KeySha256 must be the 64 hex digits of the key's SHA-256 (etl keys new prints it), never the key itself")]
    [InlineData("Etl:Security:ApiKeys:0:Role", "superuser", "Etl:Security:ApiKeys:0:Role must be viewer, operator or admin (is 'superuser')")]
    [InlineData("Etl:Security:ApiKeys:0:Principal", "", "Etl:Security:ApiKeys:0:Principal is not set")]
    [InlineData("Etl:Security:ApiKeys:1:KeySha256", "0000000000000000000000000000000000000000000000000000000000000000", "Etl:Security:ApiKeys:1: the same key is configured twice")]
    [InlineData("Etl:Sinks:my sink", "postgresql://a@b/c", "Etl:Sinks:my sink: a sink's name starts with a letter")]
    [InlineData("Etl:Sinks:lake", "http://lake", "Etl:Sinks:lake: sink must be sqlite:<file> or postgresql://")]
    public void A_misconfigured_key_or_sink_stops_the_node_with_the_setting_named(string key, string value, string expected)
    {
        var settings = new List<(string, string)>();
        if (key.Contains(":1:", StringComparison.Ordinal))
            settings.Add(("Etl:Security:ApiKeys:0:KeySha256", value));
        settings.Add((key, value));
        var error = Assert.Throws<ArgumentException>(() => Options([.. settings]));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_viewer_or_operator_without_tenants_is_a_configuration_error()
    {
        var error = Assert.Throws<ArgumentException>(() => new EtlSecurityOptions
        {
            ApiKeys = [new ApiKeyOptions { Principal = "p", KeySha256 = ApiKeyHash.Of("k"), Role = "viewer" }],
        }.Validate());
        Assert.Equal("Etl:Security:ApiKeys:0:Tenants is empty: a viewer needs the tenants it may see ('*' for all)", error.Message);
    }

    [Fact]
    public void An_authenticated_command_round_trips_on_the_wire_and_never_prints_its_key()
    {
        using var system = ActorSystem.Create("security-serializer-spec", ConfigurationFactory.Empty);
        var serializer = new ContractsSerializer((ExtendedActorSystem)system);
        var message = new SecurityProtocol.Authenticated(OperatorKey, new StartJob(Job, new JobSpec("files", "a.ndjson", "warehouse", "acme", "table: t")));

        var manifest = serializer.Manifest(message);
        var copy = Assert.IsType<SecurityProtocol.Authenticated>(serializer.FromBinary(serializer.ToBinary(message), manifest));

        Assert.Equal("security.authenticated.v1", manifest);
        Assert.Equal(OperatorKey, copy.ApiKey);
        Assert.Equal(message.Command, copy.Command);
        Assert.DoesNotContain(OperatorKey, message.ToString());
        Assert.Equal("Authenticated { ApiKey = ***, Command = StartJob { JobId = nightly, Spec = JobSpec { SourceKind = files, SourcePath = a.ndjson, Sink = warehouse, TenantId = acme, Mapping = table: t } } }", message.ToString());

        var refusal = new SecurityProtocol.NotAllowed("not allowed: because");
        Assert.Equal(refusal, serializer.FromBinary(serializer.ToBinary(refusal), serializer.Manifest(refusal)));
        Assert.Throws<ArgumentException>(() => serializer.ToBinary(new SecurityProtocol.Authenticated("k", message)));
    }

    [Fact]
    public void A_new_key_is_random_and_its_hash_is_what_sha256sum_prints()
    {
        Assert.NotEqual(ApiKeyHash.NewKey(), ApiKeyHash.NewKey());
        Assert.Equal(43, ApiKeyHash.NewKey().Length);
        // printf %s abc | sha256sum
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeyHash.Of("abc"));
    }
}
