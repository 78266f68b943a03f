using System.Diagnostics;
using System.Globalization;
using EtlActors.Client;
using EtlActors.Contracts;
using EtlActors.Contracts.Jobs;
using EtlActors.Testing.Security;

namespace EtlActors.Testing.Processes;

/// <summary>How to start a <see cref="LocalCluster"/>; every setting has a default.</summary>
public sealed record LocalClusterOptions
{
    /// <summary>The etl-node to run; default <see cref="Binaries.NodeDll"/> in the running code's configuration.</summary>
    public string? NodeDll { get; init; }

    /// <summary>Extra node settings as environment variables (<c>Etl__MaxConcurrentJobsPerTenant</c>…), for every node.</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; init; }

    /// <summary>Settings for one node only, by start order (0 is the seed), over <see cref="Settings"/>: e.g. a node announcing another version.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>>? NodeSettings { get; init; }

    /// <summary>The nodes' working folder; default a fresh temporary one, removed with the cluster.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>When set, each node's output also goes to <c>node-&lt;label&gt;-&lt;port&gt;.log</c> in the working folder, each line with its time on <see cref="Clock"/>.</summary>
    public string? LogLabel { get; init; }

    /// <summary>The clock every node's lines are timed by; default a new one.</summary>
    public Stopwatch? Clock { get; init; }

    /// <summary>
    /// The CA whose certificates the nodes and <see cref="LocalCluster.Client(TimeSpan?)"/> present (mutual TLS, as in
    /// production); default <see cref="DevCertificates.Shared"/>. Ignored with <see cref="InsecurePlaintext"/>.
    /// </summary>
    public DevCertificates? Certificates { get; init; }

    /// <summary>Keys the nodes accept besides <see cref="TestKeys.Admin"/> (always key 0).</summary>
    public IReadOnlyList<TestKey> ApiKeys { get; init; } = [];

    /// <summary>Nodes and clients without TLS (<c>Etl:Tls:InsecurePlaintext</c>), for what TLS is compared against.</summary>
    public bool InsecurePlaintext { get; init; }

    /// <summary>
    /// When true (the default), nodes tolerate Akka's own failure-detection timing (3 s heartbeat pause,
    /// 5 s before downing) instead of the engine's faster defaults (README, "Failover"): test runs put up
    /// to four nodes, a PostgreSQL server and builds on two cores, where a starved node can be silent for
    /// seconds and would be downed mid-test. The failover benchmark sets it false to measure the defaults.
    /// </summary>
    public bool TolerateStarvedNodes { get; init; } = true;

    /// <summary>How long each node may take to log "cluster member up".</summary>
    public TimeSpan JoinTimeout { get; init; } = TimeSpan.FromSeconds(120);
}

/// <summary>
/// Real `etl-node` processes on loopback forming one cluster, the seed first (so it is the oldest member),
/// their journal in one database: the topology of cluster/local.sh and docker-compose.yml.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly List<ClusterNode> _nodes = [];
    private readonly Dictionary<string, string> _environment;
    private readonly LocalClusterOptions _options;
    private readonly string _nodeDll;
    private readonly string _workDirectory;
    private readonly bool _ownsWorkDirectory;
    private readonly Stopwatch _clock;

    private LocalCluster(Dictionary<string, string> environment, IReadOnlyList<int> ports, IReadOnlyList<int> httpPorts, LocalClusterOptions options)
    {
        _environment = environment;
        _options = options;
        Ports = ports;
        HttpPorts = httpPorts;
        _nodeDll = options.NodeDll ?? Binaries.NodeDll();
        _ownsWorkDirectory = options.WorkDirectory is null;
        _workDirectory = options.WorkDirectory ?? Directory.CreateTempSubdirectory("etl-cluster-").FullName;
        _clock = options.Clock ?? Stopwatch.StartNew();
    }

    public IReadOnlyList<int> Ports { get; }

    /// <summary>Each node's HTTP port (<c>Etl:Http:Port</c>: /metrics, /health/*), in the order of <see cref="Ports"/>.</summary>
    public IReadOnlyList<int> HttpPorts { get; }

    /// <summary>In start order: the seed first.</summary>
    public IReadOnlyList<ClusterNode> Nodes
    {
        get
        {
            lock (_nodes)
                return [.. _nodes];
        }
    }

    public ClusterNode Seed => Nodes[0];

    /// <summary>The CA of the nodes' and clients' certificates; null when the cluster is plaintext.</summary>
    public DevCertificates? Certificates => _options.InsecurePlaintext ? null : _options.Certificates ?? DevCertificates.Shared;

    /// <summary>What an `etl` command needs in its environment to reach this cluster: its TLS client settings, or the insecure flag.</summary>
    public IReadOnlyDictionary<string, string> ClientEnvironment => Certificates?.ClientEnvironment
        ?? new Dictionary<string, string> { ["ETL_INSECURE_PLAINTEXT"] = "1", ["ETL_API_KEY"] = TestKeys.Admin.Key };
    public string[] Contacts => [.. Ports.Select(p => $"127.0.0.1:{p}")];

    /// <summary>The <c>--cluster</c> options for every node, for `etl` commands.</summary>
    public string[] ClusterArgs => [.. Contacts.SelectMany(c => new[] { "--cluster", c })];

    /// <summary>Starts <paramref name="nodes"/> nodes journalling into <paramref name="journal"/>, with extra node <paramref name="settings"/>.</summary>
    public static Task<LocalCluster> StartAsync(int nodes, TestDatabase journal, IReadOnlyDictionary<string, string>? settings = null) =>
        StartAsync(nodes, journal.Url, new LocalClusterOptions { Settings = settings });

    /// <summary>Starts <paramref name="nodes"/> nodes journalling into <paramref name="journalUrl"/>; returns once every one has joined.</summary>
    public static async Task<LocalCluster> StartAsync(int nodes, string journalUrl, LocalClusterOptions? options = null)
    {
        options ??= new LocalClusterOptions();
        // Akka.Remote's ports, then the HTTP ports: chosen together, so no port is handed out twice.
        var free = FreePorts.Distinct(nodes * 2);
        var ports = free.Take(nodes).ToList();
        var certificates = options.InsecurePlaintext ? null : options.Certificates ?? DevCertificates.Shared;
        var environment = new Dictionary<string, string>
        {
            ["Etl__Hostname"] = "127.0.0.1",
            ["Etl__SeedNodes__0"] = $"{EtlActorSystem.Protocol(certificates is not null)}://etl@127.0.0.1:{ports[0]}",
            ["Etl__Journal"] = journalUrl,
        };
        // Clients' PostgreSQL sinks (TestDatabase) are on loopback: the allow-list a cluster needs to load there.
        environment["Etl__SinkHosts__0"] = "127.0.0.1";
        environment["Etl__SinkHosts__1"] = "localhost";
        if (certificates is null)
        {
            environment["Etl__Tls__InsecurePlaintext"] = "true";
            foreach (var (key, value) in TestKeys.Admin.NodeSettings(0))
                environment[key] = value;
        }
        else
            foreach (var (key, value) in certificates.NodeEnvironment)
                environment[key] = value;
        // More keys after the admin's, for tests of who may do what.
        for (var i = 0; i < options.ApiKeys.Count; i++)
            foreach (var (key, value) in options.ApiKeys[i].NodeSettings(i + 1))
                environment[key] = value;

        if (options.TolerateStarvedNodes)
            foreach (var (key, value) in StarvedNodeTiming)
                environment[key] = value;
        foreach (var (key, value) in options.Settings ?? new Dictionary<string, string>())
            environment[key] = value;
        var cluster = new LocalCluster(environment, ports, [.. free.Skip(nodes)], options);
        try
        {
            // The seed alone first: the others join through it, and it stays the oldest member.
            await cluster.StartNodeAsync(0);
            await Task.WhenAll(Enumerable.Range(1, nodes - 1).Select(cluster.StartNodeAsync));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>
    /// Failure-detector timing for nodes that share two busy cores with PostgreSQL, builds and other tests, where a
    /// starved node can be silent for seconds: Akka's own heartbeat and pause, and a longer stable-after than the
    /// engine's defaults, which are tuned for failover on machines of their own (docs/cluster.md).
    /// </summary>
    public static IReadOnlyDictionary<string, string> StarvedNodeTiming { get; } = new Dictionary<string, string>
    {
        ["Etl__HeartbeatPause"] = "00:00:03",
        ["Etl__HeartbeatInterval"] = "00:00:01",
        ["Etl__SplitBrainStableAfter"] = "00:00:05",
    };

    /// <summary>The node at host:port, as jobs report it.</summary>
    public ClusterNode NodeAt(string? hostPort) =>
        Nodes.SingleOrDefault(n => n.Address == hostPort)
        ?? throw new InvalidOperationException($"no node '{hostPort}' in this cluster: it has {string.Join(", ", Nodes.Select(n => n.Address))}");

    /// <summary>
    /// A client with every node as a contact and this cluster's client certificate. Its commands wait 60 s, not the
    /// client's default 30: on CI's 2 cores, while another job COPYs into the PostgreSQL server that also holds the
    /// journal, a new job's first command (a shard allocated, an entity remembered and recovered: each a journal
    /// round trip) has taken over 30 s. Tests assert what jobs do, not that latency, which is noted as a problem.
    /// </summary>
    public EtlClient Client(TimeSpan? timeout = null) => Certificates is null
        ? EtlClient.Connect(new EtlClientOptions { Contacts = [.. Contacts], Timeout = timeout ?? CommandTimeout, InsecurePlaintext = true, ApiKey = TestKeys.Admin.Key })
        : Client(Nodes, timeout ?? CommandTimeout, Certificates);

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A client with only <paramref name="contacts"/> as contacts (e.g. the survivors of a kill), presenting the client
    /// certificate of <paramref name="certificates"/> (default <see cref="DevCertificates.Shared"/>'s).
    /// </summary>
    public static EtlClient Client(IEnumerable<ClusterNode> contacts, TimeSpan timeout, DevCertificates? certificates = null) =>
        EtlClient.Connect((certificates ?? DevCertificates.Shared).ForClient(new EtlClientOptions { Contacts = [.. contacts.Select(n => n.Address)], Timeout = timeout }));

    /// <summary>
    /// Asks for the job every <paramref name="every"/> (default 200 ms) until <paramref name="until"/> holds; an ask
    /// a node does not answer meanwhile (failover) is asked again. Fails at once when the job fails or is cancelled.
    /// </summary>
    public async Task<JobStatus> WaitForJobAsync(EtlClient client, JobId id, Func<JobStatus, bool> until, TimeSpan within, string what, TimeSpan? every = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var deadline = new CancellationTokenSource(within);
        using var ticks = new PeriodicTimer(every ?? TimeSpan.FromMilliseconds(200));
        JobStatus? last = null;
        Exception? lastError = null;
        do
        {
            try
            {
                last = await client.GetAsync(id, deadline.Token);
                lastError = null;
                if (until(last))
                    return last;
                if (last.State is JobState.Failed or JobState.Cancelled)
                    break;
            }
            catch (EtlClientException ex)
            {
                lastError = ex;
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        while (await ticks.WaitForNextTickAsync(deadline.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default));
        throw new TimeoutException($"job {id}: not {what} within {within}; last status {last}; last error {lastError?.Message}\n{Logs()}");
    }

    /// <summary>Every node's last lines, for a failure message.</summary>
    public string Logs() => string.Join('\n', Nodes.Select(n => $"===== node {n.Address} ({n.Kind}{(n.Process.HasExited ? ", exited" : "")})\n{n.Process.Tail()}"));

    private async Task StartNodeAsync(int index)
    {
        var environment = new Dictionary<string, string>(_environment)
        {
            ["Etl__Port"] = Ports[index].ToString(CultureInfo.InvariantCulture),
            ["Etl__Http__Port"] = HttpPorts[index].ToString(CultureInfo.InvariantCulture),
        };
        if (_options.NodeSettings is { } perNode && index < perNode.Count)
            foreach (var (key, value) in perNode[index])
                environment[key] = value;
        var log = _options.LogLabel is { } label ? Path.Combine(_workDirectory, $"node-{label}-{Ports[index]}.log") : null;
        var process = RunningProcess.Start("dotnet", [_nodeDll], _workDirectory, environment, _clock, log);
        var node = new ClusterNode(index, Ports[index], HttpPorts[index], process);
        lock (_nodes)
        {
            _nodes.Add(node);
            _nodes.Sort((a, b) => a.Index.CompareTo(b.Index));
        }
        // Akka's hosted service starts before Kestrel's, so "member up" can come before the HTTP port listens.
        await Task.WhenAll(
            process.WaitForLineAsync(l => l.Contains("cluster member up", StringComparison.Ordinal), _options.JoinTimeout),
            process.WaitForLineAsync(l => l.Contains("metrics and health on", StringComparison.Ordinal), _options.JoinTimeout));
    }

    /// <summary>SIGKILLs every node still running, waits for each to go, and removes the working folder if it made it.</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Nodes.Select(n => n.Process.DisposeAsync().AsTask()));
        if (_ownsWorkDirectory)
        {
            try
            {
                Directory.Delete(_workDirectory, recursive: true);
            }
            catch (IOException)
            {
                // a file still held open by a dying process; the OS temp cleaner gets it
            }
        }
    }
}

/// <summary>
/// One node of a <see cref="LocalCluster"/>: its place in start order (0, the seed, is the oldest member), its Akka.Remote
/// port, its HTTP port and its process.
/// </summary>
public sealed record ClusterNode(int Index, int Port, int HttpPort, RunningProcess Process)
{
    /// <summary>As jobs report their node: host:port.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>The node's HTTP port as a base URL (plain HTTP): <c>/metrics</c>, <c>/health/live</c>, <c>/health/ready</c> are under it.</summary>
    public Uri HttpUrl => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>The seed starts first and so is the oldest member: it hosts the cluster singletons.</summary>
    public bool IsSeed => Index == 0;

    public string Kind => IsSeed ? "seed (oldest)" : "non-seed";
}
