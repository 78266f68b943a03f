using System.Diagnostics;
using System.Globalization;
using EtlActors.Client;
using EtlActors.Contracts.Jobs;
using EtlActors.Testing;
using EtlActors.Testing.Processes;

namespace EtlActors.Benchmarks;

/// <summary>
/// How long a job stays down when the node running it is SIGKILLed (a fresh 3-node cluster and
/// journal per round, the seed and a non-seed node alternately), then one job's throughput on a
/// 1-node and on a 3-node cluster.
/// </summary>
internal sealed class FailoverRun(BenchOptions options)
{
    private const double TargetSeconds = 8;
    private const int ClusterSize = 3;
    // Jobs land where shard allocation puts them; a few more submissions usually reach the other kind of node.
    private const int MaxPlacementAttempts = 5;
    private const string Tenant = "bench";
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan FailoverTimeout = TimeSpan.FromMinutes(3);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string _nodeDll = "";
    private string _export = "";
    private string _folder = "";

    public async Task<int> ExecuteAsync()
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        Console.SetOut(new QuietDisassociations(Console.Out));
        _folder = Directory.CreateTempSubdirectory("etl-bench-failover-").FullName;
        try
        {
            var memory = ProcFs.MemoryTotalBytes() is { } bytes ? $"{bytes / (1024.0 * 1024 * 1024):0.0} GB" : "unknown";
            Console.WriteLine("EtlActors failover benchmark: SIGKILL the node running a job, time until it runs on another node");
            Console.WriteLine($"  machine        {Environment.ProcessorCount} cores, {memory} memory, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
            _nodeDll = await BenchBinaries.NodeDllAsync();
            Console.WriteLine($"  etl-node       dotnet {_nodeDll} ({BenchBinaries.Form}; default settings; journal and sink in a throwaway PostgreSQL)");
            _export = Path.Combine(_folder, "skype.tar");
            var info = SyntheticSkypeExport.Write(_export, new SyntheticExportOptions(options.Messages, options.Conversations, Seed: 42, AsTar: true));
            Console.WriteLine($"  export         {info.Messages:N0} messages in {info.Conversations} conversations, {info.Bytes / 1048576.0:0} MB (.tar, seed 42)");

            Console.WriteLine("Starting PostgreSQL…");
            await using var server = await PostgresServer.StartAsync();

            var rounds = new List<FailoverRound>();
            for (var round = 1; round <= options.Rounds; round++)
            {
                var wantSeed = round % 2 == 1;
                Console.WriteLine();
                Console.WriteLine($"== Failover round {round}/{options.Rounds}: kill {(wantSeed ? "the seed (oldest node, shard coordinator)" : "a non-seed node")}");
                rounds.Add(await FailoverRoundAsync(server, round, wantSeed));
            }

            var throughput = new List<ThroughputResult>();
            foreach (var nodes in (int[])[1, ClusterSize])
            {
                Console.WriteLine();
                Console.WriteLine($"== Throughput on {nodes} node{(nodes == 1 ? "" : "s")}");
                throughput.Add(await ThroughputAsync(server, nodes));
            }

            var met = Report(rounds, throughput);
            return options.Check && !met ? 3 : 0;
        }
        finally
        {
            if (options.Keep)
                Console.WriteLine($"Kept the export and the nodes' logs (node-<round or throughput>-<port>.log, lines prefixed with the harness clock in seconds) in {_folder}");
            else
                Directory.Delete(_folder, recursive: true);
        }
    }

    private async Task<FailoverRound> FailoverRoundAsync(PostgresServer server, int round, bool wantSeed)
    {
        var journal = await server.CreateDatabaseAsync("failover_journal");
        Console.WriteLine("   starting 3 nodes…");
        await using var cluster = await StartClusterAsync($"round{round}", ClusterSize, journal.Url);
        try
        {
            await using var client = LocalCluster.Client(cluster.Nodes, TimeSpan.FromSeconds(30));
            JobId id = null!;
            JobStatus running = null!;
            var attempt = 0;
            var placements = new List<string>();
            while (true)
            {
                attempt++;
                id = new JobId($"failover-{round}-{attempt}");
                var sink = await server.CreateDatabaseAsync("failover_sink");
                await client.SubmitAsync(id, new JobSpec("skype", _export, sink.Url, Tenant));
                running = await cluster.WaitForJobAsync(client, id, s => s.State == JobState.Running && s.Checkpoint > 0, StartTimeout, "running with a checkpoint", PollEvery);
                var node = cluster.NodeAt(running.Node);
                placements.Add(node.Kind);
                Console.WriteLine($"   job {id} runs on {node.Address} ({node.Kind}), checkpoint {running.Checkpoint:N0}");
                if (node.IsSeed == wantSeed || attempt == MaxPlacementAttempts)
                    break;
                // Out of the way, so only one job loads while the next one is timed.
                await client.PauseAsync(id);
                await cluster.WaitForJobAsync(client, id, s => s.State == JobState.Paused, StartTimeout, "paused", PollEvery);
                Console.WriteLine($"   paused it; submitting another job to get one on a {(wantSeed ? "seed" : "non-seed")} node");
            }

            var victim = cluster.NodeAt(running.Node);
            var survivors = cluster.Nodes.Where(n => n != victim).ToList();
            // A ClusterClient whose receptionist was on the killed node notices only after its own heartbeat
            // timeout; asking through the survivors measures the cluster, not that client-side detail.
            await using var watcher = LocalCluster.Client(survivors, TimeSpan.FromSeconds(5));
            // What a service sees whose EtlClient happened to be connected to the lost node: its only contact is the victim.
            await using var stranded = LocalCluster.Client([victim], TimeSpan.FromSeconds(5));
            await stranded.GetAsync(id);
            var before = await watcher.GetAsync(id);
            var killedAt = victim.Process.Kill();
            Console.WriteLine($"   SIGKILL {victim.Address} ({victim.Kind}) at checkpoint {before.Checkpoint:N0} ({before.Processed:N0} records processed), harness clock {killedAt.TotalSeconds:0.000} s");

            var strandedPoll = PollUntilMovedAsync(stranded, id, victim.Address);
            var (moved, seenAt, failedAsks) = await PollUntilMovedAsync(watcher, id, victim.Address);
            var successor = cluster.NodeAt(moved.Node);
            var byStatus = (seenAt - killedAt).TotalSeconds;
            Console.WriteLine($"   {byStatus,6:0.00} s  GetAsync reports {moved.State} on {successor.Address} ({successor.Kind}); {failedAsks} asks went unanswered meanwhile");
            var (_, strandedSeenAt, _) = await strandedPoll;
            var byStrandedClient = (strandedSeenAt - killedAt).TotalSeconds;
            Console.WriteLine($"   {byStrandedClient,6:0.00} s  the same through a client whose only contact was the killed node");

            var (lineAt, line, _) = await successor.Process.WaitForLineAtAsync(
                l => l.Contains($"job {id} resuming at record ", StringComparison.Ordinal) || l.Contains($"job {id} starting at record ", StringComparison.Ordinal),
                FailoverTimeout, after: killedAt);
            var byLog = (lineAt - killedAt).TotalSeconds;
            var resumedAt = long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            Console.WriteLine($"   {byLog,6:0.00} s  successor logged: {line.Trim()}");

            var milestones = Milestones(survivors, victim, killedAt);
            Console.WriteLine($"   survivors' logs, seconds after the kill: {milestones}");

            var done = await cluster.WaitForJobAsync(watcher, id, s => s.State == JobState.Completed, options.Timeout, "completed", PollEvery);
            var completedAfter = (_clock.Elapsed - killedAt).TotalSeconds;
            var messages = done.Totals?.Messages ?? -1;
            Console.WriteLine($"   {completedAfter,6:0.00} s  completed on {done.Node}: {messages:N0} messages, {done.Processed:N0} records{(messages == options.Messages ? " (exact)" : $" (EXPECTED {options.Messages:N0})")}");
            return new FailoverRound(round, victim.Kind, wantSeed == victim.IsSeed, placements, before.Checkpoint, resumedAt, line.Contains(" resuming ", StringComparison.Ordinal),
                byStatus, byLog, byStrandedClient, failedAsks, successor.Kind, completedAfter, messages, milestones);
        }
        catch (Exception ex) when (ex is BenchFailedException or TimeoutException or InvalidOperationException)
        {
            throw new BenchFailedException($"{ex.Message}\n{cluster.Logs()}");
        }
    }

    /// <summary>Where the time goes: the first survivor to see each step of removing the victim (Akka's own log lines).</summary>
    private static string Milestones(List<ClusterNode> survivors, ClusterNode victim, TimeSpan killedAt)
    {
        var port = $":{victim.Port}";
        (string Label, Func<string, bool> Match)[] steps =
        [
            ("unreachable", l => l.Contains("Marking node(s) as UNREACHABLE", StringComparison.Ordinal) && l.Contains(port, StringComparison.Ordinal)),
            ("downed by SBR", l => l.Contains("SBR is downing", StringComparison.Ordinal) && l.Contains(port, StringComparison.Ordinal)),
            ("removed", l => l.Contains("Member removed", StringComparison.Ordinal) && l.Contains(port, StringComparison.Ordinal)),
        ];
        return string.Join(", ", steps.Select(step =>
        {
            var first = survivors.Select(n => n.Process.FirstLineAt(step.Match, killedAt)).Where(t => t is not null).Min();
            return $"{step.Label} {(first is { } at ? $"{(at - killedAt).TotalSeconds:0.0}" : "?")}";
        }));
    }

    /// <summary>
    /// Asks every 100 ms without waiting for the previous answer (an ask sent to a node that is gone only
    /// ends at the client's timeout), until an answer says the job runs on a node other than the victim.
    /// </summary>
    private async Task<(JobStatus Status, TimeSpan At, int FailedAsks)> PollUntilMovedAsync(EtlClient client, JobId id, string victim)
    {
        var found = new TaskCompletionSource<(JobStatus, TimeSpan)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource(FailoverTimeout);
        var failed = 0;
        var asks = new List<Task>();
        async Task AskAsync()
        {
            try
            {
                var status = await client.GetAsync(id, stop.Token);
                if (status.Node != victim && status.State is JobState.Running or JobState.Completed)
                    found.TrySetResult((status, _clock.Elapsed));
                else if (status.State is JobState.Failed or JobState.Cancelled)
                    found.TrySetException(new BenchFailedException($"job {id} is {status.State} after the kill: {status.Error}"));
            }
            catch (EtlClientException)
            {
                Interlocked.Increment(ref failed);
            }
            catch (OperationCanceledException)
            {
                // Stopped: found, or out of time.
            }
        }
        while (!found.Task.IsCompleted && !stop.IsCancellationRequested)
        {
            asks.Add(AskAsync());
            await Task.WhenAny(found.Task, Task.Delay(PollEvery));
        }
        await stop.CancelAsync();
        await Task.WhenAll(asks);
        if (!found.Task.IsCompleted)
            throw new BenchFailedException($"job {id} did not run on another node within {FailoverTimeout.TotalSeconds:0} s of the kill");
        var (result, at) = await found.Task;
        return (result, at, failed);
    }

    private async Task<ThroughputResult> ThroughputAsync(PostgresServer server, int nodes)
    {
        var journal = await server.CreateDatabaseAsync("throughput_journal");
        var sink = await server.CreateDatabaseAsync("throughput_sink");
        Console.WriteLine($"   starting {nodes} node{(nodes == 1 ? "" : "s")}…");
        await using var cluster = await StartClusterAsync($"throughput{nodes}", nodes, journal.Url);
        try
        {
            await using var client = LocalCluster.Client(cluster.Nodes, TimeSpan.FromSeconds(30));
            var id = new JobId($"throughput-{nodes}");
            var started = _clock.Elapsed;
            await client.SubmitAsync(id, new JobSpec("skype", _export, sink.Url, Tenant));
            var done = await cluster.WaitForJobAsync(client, id, s => s.State == JobState.Completed, options.Timeout, "completed", PollEvery);
            var seconds = (_clock.Elapsed - started).TotalSeconds;
            var messages = done.Totals?.Messages ?? -1;
            var result = new ThroughputResult(nodes, seconds, done.Processed, messages, cluster.NodeAt(done.Node).Kind);
            Console.WriteLine($"   {seconds:0.00} s from submit to Completed, {result.RecordsPerSecond:N0} records/s ({done.Processed:N0} records, {messages:N0} messages{(messages == options.Messages ? ", exact" : $", EXPECTED {options.Messages:N0}")}) on {done.Node}");
            return result;
        }
        catch (Exception ex) when (ex is BenchFailedException or TimeoutException or InvalidOperationException)
        {
            throw new BenchFailedException($"{ex.Message}\n{cluster.Logs()}");
        }
    }

    /// <summary>A fresh cluster of <paramref name="count"/> nodes in the run's folder, each node's log named by <paramref name="label"/> and timed by the run's clock.</summary>
    private Task<LocalCluster> StartClusterAsync(string label, int count, string journalUrl) =>
        LocalCluster.StartAsync(count, journalUrl, new LocalClusterOptions { NodeDll = _nodeDll, WorkDirectory = _folder, LogLabel = label, Clock = _clock, TolerateStarvedNodes = false });

    /// <summary>Prints the summary; true when every round met the target and every job loaded exactly the export.</summary>
    private bool Report(List<FailoverRound> rounds, List<ThroughputResult> throughput)
    {
        Console.WriteLine();
        Console.WriteLine("== Failover report ===================================================");
        Console.WriteLine($"  {options.Messages:N0} messages, fresh {ClusterSize}-node cluster and journal per round, node SIGKILLed once the job has a checkpoint");
        Console.WriteLine("  status = SIGKILL until GetAsync (asked every 100 ms through the survivors) reports Running on another node");
        Console.WriteLine("  log    = SIGKILL until the successor's stdout line `job <id> resuming at record <n>` was read");
        Console.WriteLine();
        Console.WriteLine($"  {"round",-6}{"killed",-15}{"successor",-15}{"checkpoint",12}{"resumed at",12}{"status",9}{"log",9}  {$"<= {TargetSeconds:0} s",-9}{"completed",11}  messages");
        var allMet = true;
        foreach (var r in rounds)
        {
            var met = r.ByStatusSeconds <= TargetSeconds && r.ByLogSeconds <= TargetSeconds;
            var exact = r.Messages == options.Messages;
            allMet &= met && exact && r.Resumed;
            Console.WriteLine($"  {r.Round,-6}{r.Killed,-15}{r.Successor,-15}{r.CheckpointAtKill,12:N0}{r.ResumedAt,12:N0}{r.ByStatusSeconds,7:0.00} s{r.ByLogSeconds,7:0.00} s  {(met ? "met" : "NOT met"),-9}{r.CompletedSeconds,9:0.0} s  {r.Messages:N0} {(exact ? "exact" : "WRONG")}");
        }
        foreach (var r in rounds)
            Console.WriteLine($"  round {r.Round} from the survivors' logs (s after the kill): {r.Milestones}, resumed {r.ByLogSeconds:0.0}; a client connected to the killed node saw it at {r.ByStrandedClientSeconds:0.0}");
        foreach (var r in rounds.Where(r => !r.KindAsWanted))
            Console.WriteLine($"  round {r.Round}: the job landed on a {r.Killed} node in all {r.Placements.Count} submissions ({string.Join(", ", r.Placements)}), so that kind was killed");
        foreach (var r in rounds.Where(r => !r.Resumed))
            Console.WriteLine($"  round {r.Round}: the successor started the job at record 0 instead of resuming from its checkpoint");
        var status = rounds.Select(r => r.ByStatusSeconds).ToList();
        var log = rounds.Select(r => r.ByLogSeconds).ToList();
        Console.WriteLine($"  status: min {status.Min():0.00} s, max {status.Max():0.00} s; log: min {log.Min():0.00} s, max {log.Max():0.00} s; target <= {TargetSeconds:0} s {(allMet ? "met in every round" : "NOT met in every round")}");
        Console.WriteLine("  completed = seconds from the SIGKILL until the job was Completed; messages = Totals.Messages against the export's");
        Console.WriteLine();
        Console.WriteLine("== Throughput: one job, 1 node vs 3 nodes ============================");
        foreach (var t in throughput)
        {
            var exact = t.Messages == options.Messages;
            allMet &= exact;
            Console.WriteLine($"  {t.Nodes} node{(t.Nodes == 1 ? " " : "s")}   {t.Seconds,7:0.00} s submit to Completed   {t.RecordsPerSecond,8:N0} records/s   ({t.Records:N0} records, {t.Messages:N0} messages {(exact ? "exact" : "WRONG")}; supervisor on the {t.NodeKind} node)");
        }
        Console.WriteLine($"  This machine has {Environment.ProcessorCount} cores, so the {ClusterSize} nodes share them: the figures show the overhead of distribution, not scale-out.");
        return allMet;
    }
}

/// <summary>One kill: what was killed, the two times to resumption, and how the job ended.</summary>
internal sealed record FailoverRound(
    int Round,
    string Killed,
    bool KindAsWanted,
    List<string> Placements,
    long CheckpointAtKill,
    long ResumedAt,
    bool Resumed,
    double ByStatusSeconds,
    double ByLogSeconds,
    double ByStrandedClientSeconds,
    int FailedAsks,
    string Successor,
    double CompletedSeconds,
    long Messages,
    string Milestones);

/// <summary>One job from submit to Completed on a cluster of <see cref="Nodes"/>.</summary>
internal sealed record ThroughputResult(int Nodes, double Seconds, long Records, long Messages, string NodeKind)
{
    public double RecordsPerSecond => Records / Seconds;
}
