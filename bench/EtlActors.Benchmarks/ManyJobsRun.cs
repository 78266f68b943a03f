using System.Collections.Concurrent;
using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using EtlActors.Client;
using EtlActors.Contracts.Jobs;
using EtlActors.Engine.Jobs;
using EtlActors.Testing;
using EtlActors.Testing.Processes;
using Npgsql;

namespace EtlActors.Benchmarks;

/// <summary>
/// Hundreds of jobs (issue 17): --jobs small jobs from --tenants tenants submitted through one client to a 3-node cluster
/// (per-tenant limit 4), a node SIGKILLed while they run; every job must complete with exactly its export's rows, the
/// registry must list exactly the submitted jobs as Completed, and the lost node's jobs must resume without a storm.
/// </summary>
internal sealed class ManyJobsRun(BenchOptions options)
{
    private const int ClusterSize = 3;
    private const int PerTenantLimit = 4;
    private const int SubmitParallelism = 16;
    private const int MaxSubmitAttempts = 3;
    private const double KillAfterFraction = 1.0 / 3;
    private const int MinRunningOnVictim = 3;
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan KillWindow = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ResumeTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RegistrySettle = TimeSpan.FromSeconds(60);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string _folder = "";
    private TimeSpan _killedAt;
    private int _maxRunningPerTenant;

    /// <summary>The most Running jobs of one tenant in any list seen: the per-tenant limit as the registry saw it.</summary>
    private void Observe(IEnumerable<JobStatus> list)
    {
        var most = list.Where(s => s.State == JobState.Running).GroupBy(s => s.Spec?.TenantId).Select(g => g.Count()).DefaultIfEmpty().Max();
        _maxRunningPerTenant = Math.Max(_maxRunningPerTenant, most);
    }

    public async Task<int> ExecuteAsync()
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        Console.SetOut(new QuietDisassociations(Console.Out));
        _folder = options.WorkDirectory is { } work
            ? Directory.CreateDirectory(Path.Combine(work, $"etl-bench-many-{Environment.ProcessId}")).FullName
            : Directory.CreateTempSubdirectory("etl-bench-many-").FullName;
        try
        {
            var memory = ProcFs.MemoryTotalBytes() is { } bytes ? $"{bytes / (1024.0 * 1024 * 1024):0.0} GB" : "unknown";
            Console.WriteLine($"EtlActors many-jobs benchmark (issue 17): {options.Jobs} jobs of {options.Tenants} tenants on a {ClusterSize}-node cluster, SIGKILL {(options.KillSeed ? "the seed" : "a non-seed node")} while they run");
            Console.WriteLine($"  machine        {Environment.ProcessorCount} cores, {memory} memory, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}; load average at start {ProcFs.LoadAverage()}");
            var nodeDll = await BenchBinaries.NodeDllAsync();
            Console.WriteLine($"  etl-node       dotnet {nodeDll} ({BenchBinaries.Form}; Etl__MaxConcurrentJobsPerTenant={PerTenantLimit}; {(options.FastFailureDetection ? "the engine's failure detection defaults" : "LocalCluster's tolerant failure detection: 1 s heartbeat, 3 s pause, resolver after 5 s")}; journal and sink in a throwaway PostgreSQL)");

            var generated = Stopwatch.StartNew();
            var jobs = GenerateExports();
            Console.WriteLine($"  exports        {jobs.Count} Skype .tar files, {jobs.Sum(j => j.Messages):N0} messages in {jobs.Sum(j => j.Conversations):N0} conversations "
                + $"({options.MessagesPerJob:N0} to {jobs.Max(j => j.Messages):N0} messages and {options.Conversations} conversations a job, ids prefixed per job), generated in {generated.Elapsed.TotalSeconds:0.0} s");

            Console.WriteLine("Starting PostgreSQL…");
            await using var server = await PostgresServer.StartAsync();
            var journal = await server.CreateDatabaseAsync("many_journal");
            var sink = await server.CreateDatabaseAsync("many_sink");
            var result = await RunClusterAsync(nodeDll, journal.Url, sink, jobs);
            ReadNodeLogs(result);
            var exact = await VerifyAsync(sink, jobs, result);
            Report(jobs, result, exact);
            return options.Check && !exact ? 3 : 0;
        }
        finally
        {
            if (options.Keep)
                Console.WriteLine($"Kept the exports and the nodes' logs (node-many-<port>.log, lines prefixed with the harness clock in seconds) in {_folder}");
            else
                Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>One export a job, each a little different in size, every conversation id prefixed with the job's tag so no two jobs of a tenant share a row.</summary>
    private List<ManyJob> GenerateExports()
    {
        var jobs = new ManyJob[options.Jobs];
        Parallel.For(0, options.Jobs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var tag = $"j{i:000}";
            var tenant = $"tenant{i % options.Tenants:00}";
            // 0-49% more than --messages-per-job, so a job's totals differ from its neighbours'.
            var messages = options.MessagesPerJob + (int)((long)i * 7919 % (options.MessagesPerJob / 2 + 1));
            var json = Path.Combine(_folder, $"{tag}.json");
            var tar = Path.Combine(_folder, $"{tag}.tar");
            var info = SyntheticSkypeExport.Write(json, new SyntheticExportOptions(messages, options.Conversations, Seed: 1000 + i, AsTar: false));
            PrefixIds(json, tag);
            using (var archive = File.Create(tar))
            using (var writer = new TarWriter(archive, TarEntryFormat.Ustar, leaveOpen: false))
                writer.WriteEntry(json, "messages.json");
            File.Delete(json);
            jobs[i] = new ManyJob(new JobId($"many-{tag}"), tenant, tar, info.Messages, info.Conversations);
        });
        return [.. jobs];
    }

    /// <summary>"8:live:friend3" becomes "8:j017-live:friend3": the kind prefix stays, the id is the job's own (senders that are the conversation too).</summary>
    private static void PrefixIds(string json, string tag)
    {
        JsonNode root;
        using (var read = File.OpenRead(json))
            root = JsonNode.Parse(read)!;
        string Prefixed(string id) => id.IndexOf(':', StringComparison.Ordinal) is var colon and > 0
            ? $"{id[..(colon + 1)]}{tag}-{id[(colon + 1)..]}"
            : $"{tag}-{id}";
        foreach (var conversation in root["conversations"]!.AsArray())
        {
            var old = conversation!["id"]!.GetValue<string>();
            var id = Prefixed(old);
            conversation["id"] = id;
            foreach (var message in conversation["MessageList"]!.AsArray())
            {
                message!["conversationid"] = id;
                if (message["from"]?.GetValue<string>() == old)
                    message["from"] = id;
            }
        }
        using var write = File.Create(json);
        using var writer = new Utf8JsonWriter(write, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        root.WriteTo(writer);
    }

    private async Task<ManyResult> RunClusterAsync(string nodeDll, string journalUrl, TestDatabase sink, List<ManyJob> jobs)
    {
        Console.WriteLine($"Starting {ClusterSize} nodes…");
        var started = _clock.Elapsed;
        var result = new ManyResult();
        var cluster = await LocalCluster.StartAsync(ClusterSize, journalUrl, new LocalClusterOptions
        {
            NodeDll = nodeDll,
            WorkDirectory = _folder,
            LogLabel = "many",
            Clock = _clock,
            TolerateStarvedNodes = !options.FastFailureDetection,
            Settings = new Dictionary<string, string> { ["Etl__MaxConcurrentJobsPerTenant"] = PerTenantLimit.ToString(CultureInfo.InvariantCulture) },
        });
        result.Ports = [.. cluster.Nodes.Select(n => n.Port)];
        try
        {
            Console.WriteLine($"  cluster up in {(_clock.Elapsed - started).TotalSeconds:0.0} s: {string.Join(", ", cluster.Nodes.Select(n => $"{n.Address} ({n.Kind})"))}");
            await using var client = cluster.Client();

            // Submit: every job through the one client, a few in flight at a time.
            Console.WriteLine($"Submitting {jobs.Count} jobs through one EtlClient ({SubmitParallelism} in flight)…");
            var submitStart = _clock.Elapsed;
            result.SubmitStarted = submitStart;
            var accepted = new ConcurrentDictionary<JobId, JobProtocol.JobAccepted>();
            var latencies = new ConcurrentBag<double>();
            var retried = new ConcurrentBag<string>();
            // Tenant by tenant, so a tenant's jobs arrive together and all but its limit wait as Pending (interleaved, a
            // tenant's next job would arrive after its last had finished, and nothing would ever queue).
            var submitted = Parallel.ForEachAsync(jobs.OrderBy(j => j.Tenant, StringComparer.Ordinal).ThenBy(j => j.Id.Value, StringComparer.Ordinal), new ParallelOptions { MaxDegreeOfParallelism = SubmitParallelism }, async (job, token) =>
            {
                // A StartJob the cluster does not answer within the client's timeout is sent again, as a client would:
                // the same job id resumes the job rather than starting another. Each such retry is counted and reported.
                var at = Stopwatch.StartNew();
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        var reply = await client.SubmitAsync(job.Id, new JobSpec("skype", job.Export, sink.Url, job.Tenant), token);
                        latencies.Add(at.Elapsed.TotalSeconds);
                        accepted[job.Id] = reply;
                        return;
                    }
                    catch (EtlClientException ex) when (attempt < MaxSubmitAttempts)
                    {
                        retried.Add($"{job.Id} (attempt {attempt} at {(_clock.Elapsed - submitStart).TotalSeconds:0.0} s: {ex.Message})");
                        Console.WriteLine($"   StartJob of {job.Id} unanswered (attempt {attempt}): {ex.Message}; sending it again");
                    }
                }
            });
            // The victim: a node running some jobs while others still wait.
            // Small jobs finish about as fast as one client submits them, so the kill comes while submissions still arrive:
            // as soon as a third are accepted and a node of the wanted kind runs some jobs while others wait.
            var (victim, runningOnVictim, snapshot) = await ChooseVictimAsync(cluster, client, jobs, () => accepted.Count >= jobs.Count * KillAfterFraction || submitted.IsCompleted);
            result.AcceptedAtKill = accepted.Count;
            var survivors = cluster.Nodes.Where(n => n != victim).ToList();
            await using var watcher = LocalCluster.Client(survivors, TimeSpan.FromSeconds(10));
            var killedAt = victim.Process.Kill();
            result.KilledAt = killedAt;
            _killedAt = killedAt;
            result.Victim = $"{victim.Address} ({victim.Kind})";
            result.VictimPort = victim.Port;
            result.RunningOnVictim = [.. runningOnVictim.Select(s => s.JobId)];
            result.StatesAtKill = snapshot.GroupBy(s => s.State).ToDictionary(g => g.Key, g => g.Count());
            result.OnVictimAtKill = snapshot.Where(s => s.Node == victim.Address).Select(s => s.JobId).ToList();
            Console.WriteLine($"  SIGKILL {victim.Address} ({victim.Kind}) at {(killedAt - submitStart).TotalSeconds:0.0} s after the first submit: it ran {runningOnVictim.Count} jobs "
                + $"({string.Join(", ", runningOnVictim.Select(s => s.JobId.Value).Take(8))}{(runningOnVictim.Count > 8 ? ", …" : "")}); cluster-wide {Describe(result.StatesAtKill)}");

            // Kill to all resumed: each job the victim ran is Running on a survivor, or has finished.
            var resumed = await WaitAllResumedAsync(watcher, runningOnVictim.Select(s => s.JobId).ToList(), victim.Address);
            result.AllResumedSeconds = (resumed.At - killedAt).TotalSeconds;
            result.ResumedEach = resumed.Each;
            Console.WriteLine($"  {result.AllResumedSeconds,7:0.00} s  kill to all {runningOnVictim.Count} resumed (Running on a survivor or Completed; first {resumed.Each.Values.DefaultIfEmpty().Min():0.00} s, median {Percentile([.. resumed.Each.Values.Order()], 0.5):0.00} s)");

            await submitted;
            result.SubmitSeconds = (_clock.Elapsed - submitStart).TotalSeconds;
            result.SubmitLatencies = [.. latencies.Order()];
            result.SubmitRetries = [.. retried];
            result.AcceptedRunning = accepted.Values.Count(a => a.State == JobState.Running);
            result.AcceptedPending = accepted.Values.Count(a => a.State == JobState.Pending);
            Console.WriteLine($"  {result.SubmitSeconds:0.00} s to submit {jobs.Count} jobs ({jobs.Count / result.SubmitSeconds:0.0} a second; each StartJob answered in median {Percentile(result.SubmitLatencies, 0.5):0.00} s, max {result.SubmitLatencies.Max():0.00} s): "
                + $"{result.AcceptedRunning} accepted Running, {result.AcceptedPending} Pending");
            Console.WriteLine($"  (the kill came after {result.AcceptedAtKill} of {jobs.Count} submissions were accepted; the rest were submitted across the failover)");

            // Kill to all completed, by the registry's list (asked through the survivors).
            var (completedAt, lastList) = await WaitAllCompletedAsync(watcher, jobs);
            result.AllCompletedAfterKillSeconds = (completedAt - killedAt).TotalSeconds;
            result.TotalSeconds = (completedAt - submitStart).TotalSeconds;
            Console.WriteLine($"  {result.AllCompletedAfterKillSeconds,7:0.00} s  kill to all {jobs.Count} Completed ({result.TotalSeconds:0.0} s from the first submit)");

            // Each job's own status, from its supervisor.
            var statuses = new ConcurrentDictionary<JobId, JobStatus>();
            await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = SubmitParallelism }, async (job, token) =>
                statuses[job.Id] = await cluster.WaitForJobAsync(watcher, job.Id, s => s.State == JobState.Completed, TimeSpan.FromMinutes(2), "completed", PollEvery));
            result.Statuses = new Dictionary<JobId, JobStatus>(statuses);

            // The registry's list through the client that submitted (its receptionist may have been the victim).
            result.List = await ListSettledAsync(client, jobs);
            result.MaxRunningPerTenant = _maxRunningPerTenant;
            result.ListSource = "the submitting client";
        }
        catch (Exception ex)
        {
            // Whatever went wrong, the nodes go with the run (they would otherwise outlive it and load the machine).
            var logs = cluster.Logs();
            await cluster.DisposeAsync();
            if (ex is TimeoutException or InvalidOperationException or EtlClientException)
                throw new BenchFailedException($"{ex.GetType().Name}: {ex.Message}\n{logs}");
            Console.WriteLine(logs);
            throw;
        }
        await cluster.DisposeAsync(); // flushes the nodes' logs, read next
        return result;
    }

    private async Task<(ClusterNode Victim, List<JobStatus> Running, IReadOnlyList<JobStatus> Snapshot)> ChooseVictimAsync(LocalCluster cluster, EtlClient client, List<ManyJob> jobs, Func<bool> ready)
    {
        var until = _clock.Elapsed + KillWindow;
        var ids = jobs.Select(j => j.Id).ToHashSet();
        while (true)
        {
            IReadOnlyList<JobStatus> list;
            try
            {
                list = (await client.ListAsync()).Where(s => ids.Contains(s.JobId)).ToList();
                Observe(list);
            }
            catch (EtlClientException)
            {
                await Task.Delay(PollEvery);
                continue;
            }
            var pending = list.Count(s => s.State == JobState.Pending);
            // The registry's node for a running job may be a few seconds old: ask the supervisors themselves.
            var running = await Task.WhenAll(list.Where(s => s.State == JobState.Running).Select(s => client.GetAsync(s.JobId)));
            var candidates = cluster.Nodes.Where(n => n.IsSeed == options.KillSeed)
                .Select(n => (Node: n, Jobs: running.Where(s => s.State == JobState.Running && s.Node == n.Address).ToList()))
                .OrderByDescending(c => c.Jobs.Count)
                .ToList();
            var best = candidates[0];
            var late = _clock.Elapsed > until;
            if ((ready() && best.Jobs.Count >= MinRunningOnVictim && pending > 0) || (late && best.Jobs.Count > 0))
            {
                if (pending == 0)
                    Console.WriteLine("  (no job was Pending any more when the kill came)");
                var snapshot = list.Select(s => running.FirstOrDefault(r => r.JobId == s.JobId) ?? s).ToList();
                return (best.Node, best.Jobs, snapshot);
            }
            if (late || list.Count(s => s.State == JobState.Completed) == jobs.Count)
                throw new BenchFailedException($"no moment with >= {MinRunningOnVictim} jobs running on a {(options.KillSeed ? "seed" : "non-seed")} node and some pending within {KillWindow.TotalMinutes:0} min: {Describe(list.GroupBy(s => s.State).ToDictionary(g => g.Key, g => g.Count()))}");
            await Task.Delay(PollEvery);
        }
    }

    /// <summary>Asks each job every 250 ms (not waiting for an unanswered ask) until it runs on another node than the victim or has completed.</summary>
    private async Task<(TimeSpan At, Dictionary<JobId, double> Each)> WaitAllResumedAsync(EtlClient client, List<JobId> ids, string victim)
    {
        var killedAt = _clock.Elapsed;
        var each = new ConcurrentDictionary<JobId, double>();
        using var stop = new CancellationTokenSource(ResumeTimeout);
        var asks = new List<Task>();
        var inFlight = new ConcurrentDictionary<JobId, byte>();
        async Task AskAsync(JobId id)
        {
            try
            {
                var status = await client.GetAsync(id, stop.Token);
                if (status.State == JobState.Completed || (status.State == JobState.Running && status.Node != victim))
                    each.TryAdd(id, (_clock.Elapsed - killedAt).TotalSeconds);
                else if (status.State is JobState.Failed or JobState.Cancelled)
                    throw new BenchFailedException($"job {id} is {status.State} after the kill: {status.Error}");
            }
            catch (EtlClientException)
            {
                // unanswered while the cluster fails over: asked again
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                inFlight.TryRemove(id, out _);
            }
        }
        while (each.Count < ids.Count && !stop.IsCancellationRequested)
        {
            foreach (var id in ids.Where(i => !each.ContainsKey(i) && inFlight.TryAdd(i, 0)))
                asks.Add(AskAsync(id));
            var failed = asks.FirstOrDefault(t => t.IsFaulted);
            if (failed is not null)
                await failed;
            await Task.Delay(PollEvery);
        }
        var at = _clock.Elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(asks);
        if (each.Count < ids.Count)
            throw new BenchFailedException($"not resumed within {ResumeTimeout.TotalMinutes:0} min of the kill: {string.Join(", ", ids.Where(i => !each.ContainsKey(i)))}");
        // The last one's own time, not when the loop noticed.
        return (killedAt + TimeSpan.FromSeconds(each.Values.Max()), new Dictionary<JobId, double>(each));
    }

    private async Task<(TimeSpan At, IReadOnlyList<JobStatus> List)> WaitAllCompletedAsync(EtlClient client, List<ManyJob> jobs)
    {
        var deadline = _clock.Elapsed + options.Timeout;
        var ids = jobs.Select(j => j.Id).ToHashSet();
        var lastReport = _clock.Elapsed;
        IReadOnlyList<JobStatus> list = [];
        while (_clock.Elapsed < deadline)
        {
            try
            {
                list = (await client.ListAsync()).Where(s => ids.Contains(s.JobId)).ToList();
                Observe(list);
            }
            catch (EtlClientException)
            {
                await Task.Delay(PollEvery);
                continue;
            }
            if (list.Count(s => s.State == JobState.Completed) == jobs.Count)
                return (_clock.Elapsed, list);
            var failed = list.FirstOrDefault(s => s.State is JobState.Failed or JobState.Cancelled);
            if (failed is not null)
                throw new BenchFailedException($"job {failed.JobId} (tenant {failed.Spec?.TenantId}) is {failed.State}: {failed.Error}");
            if (_clock.Elapsed - lastReport > TimeSpan.FromSeconds(15))
            {
                lastReport = _clock.Elapsed;
                Console.WriteLine($"   … {(_clock.Elapsed - _killedAt).TotalSeconds:0} s after the kill: {Describe(list.GroupBy(s => s.State).ToDictionary(g => g.Key, g => g.Count()))}");
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        var stuck = list.Where(s => s.State != JobState.Completed).Take(10).Select(s => $"{s.JobId} {s.State} on {s.Node} at {s.Checkpoint}");
        throw new BenchFailedException($"not all {jobs.Count} jobs Completed within {options.Timeout}: {Describe(list.GroupBy(s => s.State).ToDictionary(g => g.Key, g => g.Count()))}; e.g. {string.Join("; ", stuck)}");
    }

    /// <summary>The registry's list once it has heard of every completion (it hears after each job), or the last one after a minute.</summary>
    private async Task<IReadOnlyList<JobStatus>> ListSettledAsync(EtlClient client, List<ManyJob> jobs)
    {
        var until = _clock.Elapsed + RegistrySettle;
        IReadOnlyList<JobStatus> list = [];
        while (true)
        {
            try
            {
                list = await client.ListAsync();
                if (list.Count == jobs.Count && list.All(s => s.State == JobState.Completed))
                    return list;
            }
            catch (EtlClientException ex)
            {
                Console.WriteLine($"   list through the submitting client: {ex.Message}");
            }
            if (_clock.Elapsed > until)
                return list;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The survivors' "job X starting/resuming at record N" lines after the kill: when each resumed run began, and per shard.</summary>
    private void ReadNodeLogs(ManyResult result)
    {
        var extractor = new JobMessageExtractor();
        foreach (var port in result.Ports.Where(p => p != result.VictimPort))
        {
            var file = Path.Combine(_folder, $"node-many-{port}.log");
            if (!File.Exists(file))
                continue;
            foreach (var line in File.ReadLines(file))
            {
                var text = line.TrimStart();
                var space = text.IndexOf(' ', StringComparison.Ordinal);
                if (space < 0 || !double.TryParse(text[..space], NumberStyles.Float, CultureInfo.InvariantCulture, out var at))
                    continue;
                var after = at - result.KilledAt.TotalSeconds;
                if (after < 0)
                    continue;
                var marker = text.IndexOf("job many-", StringComparison.Ordinal);
                if (marker < 0)
                    continue;
                var rest = text[(marker + 4)..];
                var parts = rest.Split(' ');
                if (rest.Contains(": run failed (", StringComparison.Ordinal))
                {
                    var reason = rest[(rest.IndexOf(": run failed (", StringComparison.Ordinal) + 14)..];
                    result.FailedRunsAfterKill.Add((new JobId(parts[0].TrimEnd(':')), after, port, reason));
                    continue;
                }
                if (parts.Length >= 4 && parts[1] is "starting" or "resuming" && parts[2] == "at" && parts[3] == "record")
                {
                    var id = new JobId(parts[0]);
                    var shard = extractor.ShardId(id.Value, null) ?? "?";
                    result.RunsAfterKill.Add(new RunStart(id, after, parts[1] == "resuming", port, shard));
                }
            }
        }
        result.RunsAfterKill.Sort((a, b) => a.After.CompareTo(b.After));
    }

    private async Task<bool> VerifyAsync(TestDatabase sink, List<ManyJob> jobs, ManyResult result)
    {
        Console.WriteLine("Verifying…");
        var problems = result.Problems;
        foreach (var job in jobs)
        {
            if (!result.Statuses.TryGetValue(job.Id, out var s))
            {
                problems.Add($"{job.Id}: no status");
                continue;
            }
            if (s.State != JobState.Completed)
                problems.Add($"{job.Id}: {s.State}");
            else if (s.Totals is not { } t || t.Messages != job.Messages || t.Conversations != job.Conversations || t.Quarantined != 0)
                problems.Add($"{job.Id}: totals {s.Totals} against {job.Messages} messages in {job.Conversations} conversations");
        }
        result.JobsExact = jobs.Count - problems.Count;

        await using var connection = new NpgsqlConnection(sink.ConnectionString);
        await connection.OpenAsync();
        var messages = await CountsAsync(connection, "SELECT tenant_id, count(*) FROM etl.messages GROUP BY tenant_id");
        var conversations = await CountsAsync(connection, "SELECT tenant_id, count(*) FROM etl.conversations GROUP BY tenant_id");
        var byJob = await CountsAsync(connection, "SELECT job_id, count(*) FROM etl.messages GROUP BY job_id");
        var perConversation = await CountsAsync(connection, "SELECT 'x', count(*) FROM etl.conversations c WHERE c.message_count <> (SELECT count(*) FROM etl.messages m WHERE m.tenant_id = c.tenant_id AND m.source = c.source AND m.conversation_id = c.conversation_id)");
        result.SinkMessages = messages.Values.Sum();
        result.SinkConversations = conversations.Values.Sum();
        var tenantsExact = 0;
        foreach (var tenant in jobs.GroupBy(j => j.Tenant))
        {
            var wantMessages = tenant.Sum(j => (long)j.Messages);
            var wantConversations = tenant.Sum(j => (long)j.Conversations);
            var gotMessages = messages.GetValueOrDefault(tenant.Key);
            var gotConversations = conversations.GetValueOrDefault(tenant.Key);
            if (gotMessages == wantMessages && gotConversations == wantConversations)
                tenantsExact++;
            else
                problems.Add($"tenant {tenant.Key}: sink has {gotMessages} messages in {gotConversations} conversations, its exports {wantMessages} in {wantConversations}");
        }
        result.TenantsExact = tenantsExact;
        foreach (var job in jobs.Where(j => byJob.GetValueOrDefault(j.Id.Value) != j.Messages))
            problems.Add($"{job.Id}: sink has {byJob.GetValueOrDefault(job.Id.Value)} messages with its job_id, its export {job.Messages}");
        if (perConversation.GetValueOrDefault("x") is var off and > 0)
            problems.Add($"{off} conversations whose message_count differs from their rows in etl.messages");

        var listed = result.List;
        var wanted = jobs.Select(j => j.Id).ToHashSet();
        var listedIds = listed.Select(s => s.JobId).ToList();
        result.ListedCount = listed.Count;
        result.ListedCompleted = listed.Count(s => s.State == JobState.Completed);
        var missing = wanted.Except(listedIds).ToList();
        var extra = listedIds.Where(id => !wanted.Contains(id)).ToList();
        var doubled = listedIds.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        result.ListExact = missing.Count == 0 && extra.Count == 0 && doubled.Count == 0 && result.ListedCompleted == jobs.Count;
        if (!result.ListExact)
            problems.Add($"registry list: {listed.Count} entries, {result.ListedCompleted} Completed; missing {missing.Count} ({string.Join(", ", missing.Take(5))}), extra {extra.Count}, listed twice {doubled.Count}; "
                + $"not Completed: {string.Join(", ", listed.Where(s => s.State != JobState.Completed).Take(5).Select(s => $"{s.JobId} {s.State}"))}");
        return problems.Count == 0;
    }

    private static async Task<Dictionary<string, long>> CountsAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new Dictionary<string, long>();
        while (await reader.ReadAsync())
            counts[reader.GetString(0)] = reader.GetInt64(1);
        return counts;
    }

    private void Report(List<ManyJob> jobs, ManyResult r, bool exact)
    {
        Console.WriteLine();
        Console.WriteLine("== Many jobs report (issue 17) =======================================");
        Console.WriteLine($"  {jobs.Count} jobs, {options.Tenants} tenants ({jobs.Count / options.Tenants} each), {jobs.Sum(j => j.Messages):N0} messages; {ClusterSize} nodes, at most {PerTenantLimit} running jobs a tenant; one sink database");
        Console.WriteLine($"  killed         {r.Victim}, running {r.RunningOnVictim.Count} jobs (its supervisors' own answer) and hosting {r.OnVictimAtKill.Count} of the listed jobs; cluster-wide at the kill {Describe(r.StatesAtKill)}");
        Console.WriteLine();
        Console.WriteLine($"  {"submissions accepted when the node was killed",-46}{r.AcceptedAtKill,8}");
        Console.WriteLine($"  {"submit (300 StartJob through one client)",-46}{r.SubmitSeconds,8:0.00} s   ({r.AcceptedRunning} Running, {r.AcceptedPending} Pending on acceptance; StartJob median {Percentile(r.SubmitLatencies, 0.5):0.00} s, p95 {Percentile(r.SubmitLatencies, 0.95):0.00} s, max {r.SubmitLatencies.Max():0.00} s)".Replace("300", jobs.Count.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        if (r.SubmitRetries.Count > 0)
            Console.WriteLine($"  {"StartJob sent again after the client's 60 s",-46}{r.SubmitRetries.Count,8}   ({string.Join("; ", r.SubmitRetries.Take(3))}{(r.SubmitRetries.Count > 3 ? "; …" : "")})");
        Console.WriteLine($"  {"kill -> all resumed",-46}{r.AllResumedSeconds,8:0.00} s   ({r.RunningOnVictim.Count} jobs the victim ran: Running on a survivor or Completed, GetAsync every 250 ms)");
        Console.WriteLine($"  {"kill -> all Completed",-46}{r.AllCompletedAfterKillSeconds,8:0.00} s");
        Console.WriteLine($"  {"first submit -> all Completed",-46}{r.TotalSeconds,8:0.00} s   ({jobs.Sum(j => (long)j.Messages) / r.TotalSeconds:N0} messages/s overall)");
        Console.WriteLine($"  {"jobs Completed with exact totals",-46}{r.JobsExact,8} / {jobs.Count}");
        Console.WriteLine($"  {"tenants with exact sink rows",-46}{r.TenantsExact,8} / {options.Tenants}   (etl.messages {r.SinkMessages:N0} of {jobs.Sum(j => (long)j.Messages):N0}, etl.conversations {r.SinkConversations:N0} of {jobs.Sum(j => (long)j.Conversations):N0})");
        Console.WriteLine($"  {"most Running jobs of one tenant in a list",-46}{r.MaxRunningPerTenant,8}   (limit {PerTenantLimit})");
        Console.WriteLine($"  {"registry list",-46}{r.ListedCount,8} listed, {r.ListedCompleted} Completed: {(r.ListExact ? "exactly the submitted ids" : "WRONG")} (asked through {r.ListSource})");
        Console.WriteLine();
        var runs = r.RunsAfterKill;
        if (runs.Count > 0)
        {
            Console.WriteLine($"  Runs started on the survivors after the kill (their `job <id> starting|resuming at record <n>` lines): {runs.Count}, {runs.Count(x => x.Resuming)} resuming from a checkpoint");
            var victimJobs = r.RunningOnVictim.ToHashSet();
            var fromVictim = runs.Where(x => victimJobs.Contains(x.Id)).ToList();
            Console.WriteLine($"    of the victim's running jobs: {fromVictim.Count}, between {fromVictim.Select(x => x.After).DefaultIfEmpty().Min():0.00} s and {fromVictim.Select(x => x.After).DefaultIfEmpty().Max():0.00} s after the kill");
            var window = runs.Where(x => x.After <= r.AllResumedSeconds + 5).ToList();
            var perSecond = window.GroupBy(x => (int)Math.Floor(x.After)).OrderBy(g => g.Key).Select(g => $"{g.Key}s:{g.Count()}");
            Console.WriteLine($"    run starts per second until 5 s after all resumed: {string.Join(" ", perSecond)}");
            var perShard = fromVictim.GroupBy(x => x.Shard).Select(g => g.Count()).ToList();
            if (perShard.Count > 0)
                Console.WriteLine($"    the victim's running jobs came from {perShard.Count} shards, {perShard.Max()} at most from one shard");
        }
        foreach (var f in r.FailedRunsAfterKill)
        {
            Console.WriteLine($"  RETRIED: job {f.Id} on :{f.Port}, {f.After:0.0} s after the kill: run failed ({f.Reason}");
        }
        var onVictim = r.OnVictimAtKill.GroupBy(id => new JobMessageExtractor().ShardId(id.Value, null)).Select(g => g.Count()).ToList();
        if (onVictim.Count > 0)
            Console.WriteLine($"  Listed jobs on the victim at the kill: {r.OnVictimAtKill.Count} in {onVictim.Count} shards ({onVictim.Min()}-{onVictim.Max()} a shard): the remembered entities its shards restart elsewhere");
        Console.WriteLine($"  load average at the end {ProcFs.LoadAverage()} (the {Environment.ProcessorCount} cores are shared with other work)");
        if (exact)
            Console.WriteLine("  EXACT: every job Completed with its export's rows, every tenant's rows are the sum of its exports, and the registry lists exactly the submitted jobs as Completed");
        else
        {
            Console.WriteLine($"  NOT EXACT: {r.Problems.Count} problems");
            foreach (var p in r.Problems.Take(30))
                Console.WriteLine($"    {p}");
        }
    }

    private static string Describe(IReadOnlyDictionary<JobState, int> states) =>
        string.Join(", ", states.OrderBy(p => p.Key).Select(p => $"{p.Value} {p.Key}"));

    private static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1 < 0 ? 0 : (int)Math.Ceiling(p * sorted.Count) - 1)];
}

/// <summary>One job of the run: its id, tenant, export and what the export holds.</summary>
internal sealed record ManyJob(JobId Id, string Tenant, string Export, int Messages, int Conversations);

/// <summary>A survivor's log line saying a job's run began, seconds after the kill, and the job's shard.</summary>
internal sealed record RunStart(JobId Id, double After, bool Resuming, int Port, string Shard);

/// <summary>Everything measured in a many-jobs run.</summary>
internal sealed class ManyResult
{
    public List<int> Ports { get; set; } = [];
    public TimeSpan SubmitStarted { get; set; }
    public double SubmitSeconds { get; set; }
    public List<double> SubmitLatencies { get; set; } = [];
    public List<string> SubmitRetries { get; set; } = [];
    public int AcceptedAtKill { get; set; }
    public int AcceptedRunning { get; set; }
    public int AcceptedPending { get; set; }
    public TimeSpan KilledAt { get; set; }
    public string Victim { get; set; } = "";
    public int VictimPort { get; set; }
    public List<JobId> RunningOnVictim { get; set; } = [];
    public List<JobId> OnVictimAtKill { get; set; } = [];
    public Dictionary<JobState, int> StatesAtKill { get; set; } = [];
    public double AllResumedSeconds { get; set; }
    public Dictionary<JobId, double> ResumedEach { get; set; } = [];
    public double AllCompletedAfterKillSeconds { get; set; }
    public double TotalSeconds { get; set; }
    public Dictionary<JobId, JobStatus> Statuses { get; set; } = [];
    public IReadOnlyList<JobStatus> List { get; set; } = [];
    public string ListSource { get; set; } = "";
    public List<RunStart> RunsAfterKill { get; } = [];
    public List<string> Problems { get; } = [];
    public int JobsExact { get; set; }
    public int TenantsExact { get; set; }
    public long SinkMessages { get; set; }
    public long SinkConversations { get; set; }
    public int ListedCount { get; set; }
    public int ListedCompleted { get; set; }
    public bool ListExact { get; set; }
    public int MaxRunningPerTenant { get; set; }
    public List<(JobId Id, double After, int Port, string Reason)> FailedRunsAfterKill { get; } = [];
}
