using System.Globalization;

namespace EtlActors.Benchmarks;

/// <summary>The command line. Defaults are the acceptance run: 100k then 1M messages.</summary>
internal sealed record BenchOptions(
    int Messages,
    int Small,
    int Conversations,
    string? WorkDirectory,
    bool Keep,
    int? BatchSize,
    TimeSpan Timeout,
    bool Check,
    bool ShowHelp,
    bool Checkpoints = false,
    bool Failover = false,
    bool Tls = false,
    int Rounds = 3,
    BenchSource Source = BenchSource.Skype,
    bool ManyJobs = false,
    int Jobs = 300,
    int Tenants = 30,
    int MessagesPerJob = 1000,
    bool KillSeed = false,
    bool FastFailureDetection = false,
    bool ReadyToRun = false,
    bool Startup = false,
    bool Transform = false)
{
    public const string Usage = """
        usage: dotnet run -c Release --project bench/EtlActors.Benchmarks -- [options]
          --messages N        messages in the large export (default 1000000)
          --small N           messages in the small export, run first (default 100000)
          --conversations N   conversations in each export, the same at both sizes (default 200)
          --work DIR          where exports and COPY files go (default: the temp folder)
          --keep              keep the exports and COPY files
          --batch-size N      passed to `etl run --batch-size` (default: etl's own)
          --timeout SECONDS   stop etl and fail when one run takes longer (default 1800)
          --check             exit 3 when a target is not reached
          --checkpoints       instead: throughput with a checkpoint every 10,000 records against checkpoints
                              effectively off, on one export of --messages (suggested 300000), runs alternated
          --failover          instead: a 3-node cluster of etl-node processes; SIGKILL the node running a job and time
                              until the job runs again on another node, --rounds times (the seed and a non-seed node
                              alternately), then throughput of one job on 1 node and on 3 nodes; --messages defaults to 300000
          --tls               instead: one job on a 2-node cluster with mutual TLS against plaintext, --rounds rounds
                              of each, alternated; --messages defaults to 300000
          --startup           instead: `etl run` of samples/skype-export.tar into a fresh SQLite file, one warm-up run then
                              --rounds runs (default 5); their median against issue 17's 1 s
          --transform         instead: the connector's normaliser alone, in this process (no actors, no database): the
                              export of --messages (default 300000) read into memory, then normalised in batches of 250
                              on one thread, one warm-up round then --rounds rounds (default 5); CPU and bytes allocated
                              per record; with --slack, the Slack normaliser
          --rounds N          failover, TLS, start-up or transform rounds (default 3)
          --many-jobs         instead: --jobs small jobs of --tenants tenants (each its own export) submitted through one
                              client to a 3-node cluster (at most 4 running jobs a tenant); SIGKILL a non-seed node while
                              some run and some wait (once a third are submitted); time kill -> all resumed and -> all Completed, then check every
                              job's totals, the sink's rows per tenant and the registry's list
          --jobs N            many-jobs: how many jobs (default 300)
          --tenants N         many-jobs: how many tenants, jobs dealt round-robin (default 30)
          --messages-per-job N  many-jobs: the smallest export; each job has 0-50% more (default 1000);
                              --conversations defaults to 10 a job here
          --kill-seed         many-jobs: kill the seed (oldest node: shard coordinator, registry singleton) instead
          --fast-failure-detection  many-jobs: the engine's own failure detection (2 s heartbeat pause) instead of the
                              tests' tolerant timing, which 2 shared cores starved by 300 jobs need
          --slack             a synthetic Slack workspace export (.zip, --conversations channels, DMs and group DMs)
                              instead of the Skype .tar; for the default run and --checkpoints
          --ready-to-run      publish etl and etl-node ReadyToRun, as the Docker image ships them, and run those instead
                              of the Release build (JIT-compiled, as the .NET tools run)
        quick check of the harness: --messages 20000 --small 2000
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(1_000_000, 100_000, 200, null, false, null, TimeSpan.FromMinutes(30), false, false);
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--messages" => options with { Messages = Positive(args, ref i) },
                "--small" => options with { Small = Positive(args, ref i) },
                "--conversations" => options with { Conversations = Positive(args, ref i) },
                "--work" => options with { WorkDirectory = Value(args, ref i) },
                "--keep" => options with { Keep = true },
                "--batch-size" => options with { BatchSize = Positive(args, ref i) },
                "--timeout" => options with { Timeout = TimeSpan.FromSeconds(Positive(args, ref i)) },
                "--check" => options with { Check = true },
                "--checkpoints" => options with { Checkpoints = true },
                "--failover" => options with { Failover = true },
                "--tls" => options with { Tls = true },
                "--rounds" => options with { Rounds = Positive(args, ref i) },
                "--slack" => options with { Source = BenchSource.Slack },
                "--many-jobs" => options with { ManyJobs = true },
                "--jobs" => options with { Jobs = Positive(args, ref i) },
                "--tenants" => options with { Tenants = Positive(args, ref i) },
                "--messages-per-job" => options with { MessagesPerJob = Positive(args, ref i) },
                "--kill-seed" => options with { KillSeed = true },
                "--fast-failure-detection" => options with { FastFailureDetection = true },
                "--ready-to-run" => options with { ReadyToRun = true },
                "--startup" => options with { Startup = true },
                "--transform" => options with { Transform = true },
                "--help" or "-h" => options with { ShowHelp = true },
                _ => throw new ArgumentException($"unknown argument '{args[i]}'"),
            };
        }
        if ((options.Failover || options.Tls) && options.Source != BenchSource.Skype)
            throw new ArgumentException("--failover and --tls run the Skype export only; leave out --slack");
        if (options.ManyJobs)
        {
            if (options.Source != BenchSource.Skype)
                throw new ArgumentException("--many-jobs runs Skype exports only; leave out --slack");
            if (options.Tenants > options.Jobs)
                throw new ArgumentException($"--tenants ({options.Tenants}) must not exceed --jobs ({options.Jobs})");
            options = args.Contains("--conversations") ? options : options with { Conversations = 10 };
            if (options.Conversations > options.MessagesPerJob)
                throw new ArgumentException($"--conversations ({options.Conversations}) must not exceed --messages-per-job ({options.MessagesPerJob})");
            return options;
        }
        if (options.Startup)
            return args.Contains("--rounds") ? options : options with { Rounds = 5 };
        if (options.Transform)
        {
            options = args.Contains("--rounds") ? options : options with { Rounds = 5 };
            return args.Contains("--messages") ? options : options with { Messages = 300_000 };
        }
        if (options.Checkpoints)
            return options;
        if (options.Failover || options.Tls)
            return args.Contains("--messages") ? options : options with { Messages = 300_000 };
        if (options.Small >= options.Messages)
            throw new ArgumentException($"--small ({options.Small}) must be below --messages ({options.Messages})");
        if (options.Conversations > options.Small)
            throw new ArgumentException($"--conversations ({options.Conversations}) must not exceed --small ({options.Small})");
        return options;
    }

    private static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length)
            throw new ArgumentException($"{args[i]} needs a value");
        return args[++i];
    }

    private static int Positive(string[] args, ref int i)
    {
        var name = args[i];
        var text = Value(args, ref i).Replace("_", "", StringComparison.Ordinal);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            throw new ArgumentException($"{name} must be a positive whole number, not '{text}'");
        return value;
    }
}

/// <summary>A step of the benchmark went wrong; its figures would mean nothing.</summary>
internal sealed class BenchFailedException(string message) : Exception(message);
