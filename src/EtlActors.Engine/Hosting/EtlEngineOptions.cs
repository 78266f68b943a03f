namespace EtlActors.Engine;

/// <summary>
/// The engine's settings, bound from the "Etl" section of appsettings (and environment variables
/// such as <c>Etl__BatchSize</c>). Defaults suit one machine; each says why it is what it is.
/// </summary>
public sealed partial class EtlEngineOptions
{
    /// <summary>Address this node binds to for Akka.Remote.</summary>
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>Port for Akka.Remote; 0 picks a free one (fine for a cluster of one).</summary>
    public int Port { get; set; }

    /// <summary>Address other nodes use to reach this one, when it differs from <see cref="Hostname"/>.</summary>
    public string? PublicHostname { get; set; }

    /// <summary>
    /// Seed nodes (akka.ssl.tcp://etl@host:port; akka.tcp://… is read as the same node, its protocol following
    /// <see cref="Tls"/>). Empty: the node forms a cluster of its own. (<c>etl run</c> forms none: see <see cref="EngineTopology"/>.)
    /// </summary>
    public List<string> SeedNodes { get; set; } = [];

    /// <summary>Mutual TLS between nodes and clients (<c>Etl:Tls:*</c>): on by default, so a node needs its certificate and the CA's.</summary>
    public EtlTlsOptions Tls { get; set; } = new();

    /// <summary>
    /// The version this node announces to the cluster (Akka's app-version, which <c>etl cluster show</c> lists per
    /// member). Null (the default): this build's version, <see cref="EtlVersion.Current"/>. Set it only to tell apart
    /// builds that share a version, e.g. a patched image (<c>0.1.0-hotfix.1</c>); it is compared as Akka compares
    /// versions (numeric parts, then a qualifier after <c>-</c>).
    /// </summary>
    public string? AppVersion { get; set; }

    /// <summary>
    /// What this node announces as its version: <see cref="AppVersion"/> when set, else <see cref="EtlVersion.Current"/>,
    /// in the form Akka compares (<see cref="EtlVersion.ForCluster"/>).
    /// </summary>
    public string AnnouncedVersion => EtlVersion.ForCluster(string.IsNullOrWhiteSpace(AppVersion) ? EtlVersion.Current : AppVersion);

    /// <summary>Cluster roles of this node (informational for now: every node runs jobs and transformers).</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>
    /// How long the split-brain resolver waits for the membership to stop changing before it downs
    /// unreachable nodes (keep-majority). Shorter fails jobs over sooner; too short downs a node that
    /// was only paused (a long GC, a network blip) and restarts its jobs elsewhere needlessly. With
    /// <see cref="HeartbeatPause"/> a node must be silent for about 4 s before it is downed (README, "Failover").
    /// </summary>
    public TimeSpan SplitBrainStableAfter { get; set; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>
    /// How long sharding waits, after a node is removed, before starting its shards (and jobs) elsewhere,
    /// so that in a partition the other side has stopped them first. Akka's default is
    /// <see cref="SplitBrainStableAfter"/>; shorter is safe enough here because two copies of a job
    /// cannot both write its journal (the journal's sequence numbers are unique) and loading is idempotent.
    /// </summary>
    public TimeSpan DownRemovalMargin { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Heartbeats a node may miss for this long before it is marked unreachable, about
    /// <see cref="HeartbeatInterval"/> + this after its last heartbeat (Akka's default is 3 s).
    /// </summary>
    public TimeSpan HeartbeatPause { get; set; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>How often a node sends heartbeats to the nodes that watch it (Akka's default is 1 s).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Largest message between nodes: a batch of up to <see cref="MaxBatchBytes"/> and its transformed rows must fit.</summary>
    public long MaxFrameSize { get; set; } = 64 * 1024 * 1024;

    /// <summary>A job supervisor with no run leaves memory after this long; a later message recovers it from the journal.</summary>
    public TimeSpan IdleJobPassivation { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Where job state is persisted: <c>sqlite:&lt;file&gt;</c> or a PostgreSQL URL.</summary>
    public string Journal { get; set; } = "sqlite:etl-journal.db";

    /// <summary>
    /// Sink of a job submitted without one (no password: PostgreSQL's comes from PGPASSWORD). Null: the
    /// journal's database, which suits a cluster whose nodes share one PostgreSQL.
    /// </summary>
    public string? DefaultSink { get; set; }

    /// <summary>
    /// Sinks a client names instead of giving a URL (<c>etl submit --sink warehouse</c>), each a URL that may hold the
    /// password (<c>Etl:Sinks:warehouse</c>): it stays in the nodes' configuration, and a job keeps only the name.
    /// Every node should define the same ones.
    /// </summary>
    public Dictionary<string, string> Sinks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Hosts a client's PostgreSQL sink URL may name (<c>Etl:SinkHosts:0</c>); a URL to any other host is refused, so a
    /// node never connects to a database a client invents. Empty: only the default sink and <see cref="Sinks"/>.
    /// </summary>
    public List<string> SinkHosts { get; set; } = [];

    /// <summary>
    /// The memory this node may use, in MiB (reported as <c>etl.memory.limit</c>): above 85% of it the memory guard slows
    /// every job's intake until it falls below 70%. Null: its container's limit when it has one, else 1024.
    /// </summary>
    public int? MemoryLimitMiB { get; set; }

    /// <summary>Who may drive the cluster: API keys and their principals (<c>Etl:Security:*</c>).</summary>
    public EtlSecurityOptions Security { get; set; } = new();

    /// <summary>
    /// The directory this node reads jobs' sources from (the shared volume, <c>/data/sources</c> in the compose
    /// files); relative to the working directory when relative. A source outside it, by an absolute path, a
    /// <c>..</c> or a symbolic link leading out, is refused when the job is submitted or resumed. It must exist at
    /// start-up. Null: any path this process can read, which suits one machine, not a shared network. An embedded
    /// <c>etl run</c> ignores it: its user may read what they can anyway.
    /// </summary>
    public string? SourcesRoot { get; set; }

    /// <summary>
    /// Jobs one tenant may run at once across the cluster; more wait as Pending, in submission order,
    /// until one of its running jobs ends or is paused. 0: no limit. Every node should have the same value
    /// (the registry singleton applies its node's).
    /// </summary>
    public int MaxConcurrentJobsPerTenant { get; set; } = 4;

    /// <summary>
    /// How often the job registry asks the jobs it believes running or waiting for their status, so a
    /// report lost while the registry moved between nodes cannot hold a tenant's slot for ever.
    /// </summary>
    public TimeSpan RegistryReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A permit to start an HTTP request, not released within this long, is taken back by the request-budget
    /// coordinator: its node most likely died holding it. A response slower than this lets one more request to its
    /// host start than the host's concurrency allows, so keep it above the slowest response the HTTP client waits for.
    /// </summary>
    public TimeSpan RequestLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long an HTTP reader waits for its permit before asking the request-budget coordinator again: the
    /// coordinator may have moved to another node and lost its line. It forgets a waiting request not asked for
    /// again within five of these (the reader's node is gone).
    /// </summary>
    public TimeSpan RequestRetryInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Added to every HTTP host's 1 s rate window: a grant reaches the server after a hop to the reader's node and a
    /// thread hop there, and without a margin two grants 1 s apart can land in one of the server's windows as one
    /// request too many. Raise it on nodes whose CPU is often saturated (each 100 ms costs about a tenth of the rate).
    /// </summary>
    public TimeSpan RequestBudgetMargin { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Source records per batch: one sink transaction each.</summary>
    public int BatchSize { get; set; } = 2000;

    /// <summary>
    /// Payload bytes per batch at most: with the transformed rows, a batch takes several times this in memory.
    /// Binds for sources of large records (a Slack message is about 1.4 KB of JSON, a Skype one 0.5 KB).
    /// </summary>
    public long MaxBatchBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Records loaded between persisted checkpoints: how much a crash may make the job redo.</summary>
    public int CheckpointInterval { get; set; } = 10_000;

    /// <summary>
    /// Batches being transformed at once (the loader takes them in order). Each holds its records and rows, so more
    /// costs memory: on two cores 4 instead of 2 bought no speed (Slack, 100k messages: peak RSS 299 → 258 MB with
    /// this and the 4 MB batches, at the same time). A node's appsettings raise it: its transformers are spread over the cluster.
    /// </summary>
    public int TransformParallelism { get; set; } = 2;

    /// <summary>
    /// Batches being written at once, each by its own loader and connection. Safe because every
    /// upsert is order-independent (highest revision and latest name win, keys locked in order);
    /// batches still complete in source order, so checkpoints stay contiguous.
    /// </summary>
    public int LoadParallelism { get; set; } = 2;

    /// <summary>How long a stage may take to answer for one batch before the run fails.</summary>
    public TimeSpan AskTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>First pause before a failed run is restarted from its checkpoint; doubles on each consecutive failure up to <see cref="RetryMaxBackoff"/>.</summary>
    public TimeSpan RetryMinBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest pause between restarts of a failed run.</summary>
    public TimeSpan RetryMaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Random share added to each pause, so jobs failing together do not retry together.</summary>
    public double RetryRandomFactor { get; set; } = 0.2;

    /// <summary>Restarts allowed without progress in between; one more failure fails the job. The default rides out a database away for about five minutes.</summary>
    public int MaxRetries { get; set; } = 12;

    /// <summary>Quarantined records a job may have before it fails (its error budget by count).</summary>
    public long MaxQuarantined { get; set; } = 10_000;

    /// <summary>Share of processed records a job may quarantine before it fails, checked once 1,000 records are processed.</summary>
    public double MaxQuarantineRatio { get; set; } = 0.1;

    /// <summary>
    /// Pause before sharding starts again a job supervisor that stopped on its own (a persistent actor
    /// stops when its journal fails); it then recovers from the journal and resumes its job.
    /// </summary>
    public TimeSpan SupervisorRestartBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A transformer entity idle this long is passivated, so memory does not grow with the number of conversations.</summary>
    public TimeSpan TransformerIdleTimeout { get; set; } = TimeSpan.FromMinutes(1);
}
