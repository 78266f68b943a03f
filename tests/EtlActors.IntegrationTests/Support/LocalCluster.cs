using System.Net;
using System.Net.Sockets;
using EtlActors.Client;
using EtlActors.Contracts.Jobs;
using EtlActors.Testing;

namespace EtlActors.IntegrationTests.Support;

/// <summary>
/// Real `etl-node` processes on loopback forming one cluster, their journal in a fresh PostgreSQL
/// database: the topology of cluster/local.sh and docker-compose.yml.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(90);
    private readonly List<ClusterNode> _nodes = [];
    private readonly TempFolder _dir = new();
    private readonly Dictionary<string, string> _environment;

    private LocalCluster(Dictionary<string, string> environment, IReadOnlyList<int> ports)
    {
        _environment = environment;
        Ports = ports;
    }

    public static readonly string NodeDll = FindNodeDll();

    public IReadOnlyList<int> Ports { get; }
    public IReadOnlyList<ClusterNode> Nodes => _nodes;
    public string[] Contacts => Ports.Select(p => $"127.0.0.1:{p}").ToArray();

    /// <summary>The <c>--cluster</c> options for every node, for `etl` commands.</summary>
    public string[] ClusterArgs => Contacts.SelectMany(c => new[] { "--cluster", c }).ToArray();

    public static async Task<LocalCluster> StartAsync(int nodes, TestDatabase journal, IReadOnlyDictionary<string, string>? settings = null)
    {
        var ports = Enumerable.Range(0, nodes).Select(_ => FreePort()).ToList();
        var environment = new Dictionary<string, string>
        {
            ["Etl__Hostname"] = "127.0.0.1",
            ["Etl__SeedNodes__0"] = $"akka.tcp://etl@127.0.0.1:{ports[0]}",
            ["Etl__Journal"] = journal.Url,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            environment[key] = value;
        var cluster = new LocalCluster(environment, ports);
        try
        {
            // The seed first: the others join through it.
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

    public ClusterNode NodeAt(string hostPort) =>
        _nodes.Single(n => n.Address == hostPort);

    public EtlClient Client(TimeSpan? timeout = null) =>
        EtlClient.Connect(new EtlClientOptions { Contacts = [.. Contacts], Timeout = timeout ?? TimeSpan.FromSeconds(30) });

    /// <summary>Asks for the job until <paramref name="until"/> holds; a node that does not answer meanwhile (failover) is asked again.</summary>
    public async Task<JobStatus> WaitForJobAsync(EtlClient client, JobId id, Func<JobStatus, bool> until, TimeSpan within, string what)
    {
        using var deadline = new CancellationTokenSource(within);
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
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
        while (await ticks.WaitForNextTickAsync(deadline.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully));
        throw new TimeoutException($"job {id}: not {what} within {within}; last status {last}; last error {lastError?.Message}\n{Logs()}");
    }

    /// <summary>Every node's output, for a failing assertion.</summary>
    public string Logs() => string.Join("\n", _nodes.Select(n => $"===== node {n.Address}\n{Tail(n.Process.Output())}"));

    private async Task StartNodeAsync(int index)
    {
        var environment = new Dictionary<string, string>(_environment) { ["Etl__Port"] = Ports[index].ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var process = EtlRun.StartDll(NodeDll, _dir.Path, environment);
        var node = new ClusterNode(index, $"127.0.0.1:{Ports[index]}", process);
        lock (_nodes)
            _nodes.Add(node);
        await process.WaitForLineAsync(l => l.Contains("cluster member up", StringComparison.Ordinal), JoinTimeout);
    }

    private static string Tail(string text, int lines = 60) => string.Join('\n', text.Split('\n').TakeLast(lines));

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindNodeDll()
    {
        // Built by the solution in the same configuration as these tests.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // …/bin/<Configuration>/net10.0/
        var dll = Path.Combine(RepoPaths.Root, "src", "EtlActors.Node", "bin", configuration, "net10.0", "etl-node.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"etl-node is not built: {dll}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.Where(n => !n.Process.HasExited))
            node.Process.Kill();
        foreach (var node in _nodes)
        {
            try
            {
                await node.Process.WaitForExitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                // Dispose below kills the whole tree.
            }
            node.Process.Dispose();
        }
        _dir.Dispose();
    }
}

/// <summary>One node of a <see cref="LocalCluster"/>: its address as jobs report it, and its process.</summary>
public sealed record ClusterNode(int Index, string Address, EtlRun Process);
