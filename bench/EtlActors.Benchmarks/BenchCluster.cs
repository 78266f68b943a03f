using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EtlActors.Client;

namespace EtlActors.Benchmarks;

/// <summary>
/// Real `etl-node` processes on loopback forming one cluster, the seed first (so it is the oldest
/// member), their journal in one database: the topology of cluster/local.sh.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(120);
    private readonly List<NodeProcess> _nodes = [];

    private BenchCluster()
    {
    }

    public IReadOnlyList<NodeProcess> Nodes => _nodes;
    public NodeProcess Seed => _nodes[0];

    public static async Task<BenchCluster> StartAsync(string nodeDll, string label, int count, string journalUrl, string workDirectory, Stopwatch clock)
    {
        var ports = Enumerable.Range(0, count).Select(_ => FreePort()).ToList();
        var cluster = new BenchCluster();
        try
        {
            // The seed alone first: the others join through it, and it stays the oldest member.
            await cluster.StartNodeAsync(nodeDll, label, 0, ports, journalUrl, workDirectory, clock);
            await Task.WhenAll(Enumerable.Range(1, count - 1).Select(i => cluster.StartNodeAsync(nodeDll, label, i, ports, journalUrl, workDirectory, clock)));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    public NodeProcess NodeAt(string? address) =>
        _nodes.SingleOrDefault(n => n.Address == address) ?? throw new BenchFailedException($"the job reports node '{address}', which is none of {string.Join(", ", _nodes.Select(n => n.Address))}");

    public static EtlClient Client(IEnumerable<NodeProcess> contacts, TimeSpan timeout) =>
        EtlClient.Connect(new EtlClientOptions { Contacts = [.. contacts.Select(n => n.Address)], Timeout = timeout });

    public string Logs() => string.Join('\n', _nodes.Select(n => $"===== node {n.Address} ({n.Kind}{(n.HasExited ? ", exited" : "")})\n{n.Tail()}"));

    private async Task StartNodeAsync(string dll, string label, int index, List<int> ports, string journalUrl, string workDirectory, Stopwatch clock)
    {
        var node = NodeProcess.Start(dll, workDirectory, label, index, ports[index], ports[0], journalUrl, clock);
        lock (_nodes)
        {
            _nodes.Add(node);
            _nodes.Sort((a, b) => a.Index.CompareTo(b.Index));
        }
        await node.WaitForLineAsync(l => l.Contains("cluster member up", StringComparison.Ordinal), JoinTimeout);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
    }
}

/// <summary>Builds etl-node in Release in this repository and says where its dll is.</summary>
internal static class NodeBuild
{
    public static async Task<string> EnsureAsync()
    {
        var root = RepoRoot();
        var project = Path.Combine(root, "src", "EtlActors.Node", "EtlActors.Node.csproj");
        var dll = Path.Combine(root, "src", "EtlActors.Node", "bin", "Release", "net10.0", "etl-node.dll");
        // Not a project reference: its appsettings.json would land beside etl.dll and become the CLI's settings too.
        Console.WriteLine("Building etl-node (Release)…");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        foreach (var arg in (string[])["build", project, "-c", "Release", "--nologo", "-v", "q"])
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new BenchFailedException("could not start dotnet build");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 || !File.Exists(dll))
            throw new BenchFailedException($"dotnet build of {project} failed ({process.ExitCode}):\n{await stdout}{await stderr}");
        return dll;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EtlActors.sln")))
                return dir.FullName;
        }
        throw new BenchFailedException($"no EtlActors.sln above {AppContext.BaseDirectory}: run the harness from its build folder in the repository");
    }
}
