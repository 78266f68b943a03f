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
    BenchSource Source = BenchSource.Skype)
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
          --rounds N          failover or TLS rounds (default 3)
          --slack             a synthetic Slack workspace export (.zip, --conversations channels, DMs and group DMs)
                              instead of the Skype .tar; for the default run and --checkpoints
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
                "--help" or "-h" => options with { ShowHelp = true },
                _ => throw new ArgumentException($"unknown argument '{args[i]}'"),
            };
        }
        if ((options.Failover || options.Tls) && options.Source != BenchSource.Skype)
            throw new ArgumentException("--failover and --tls run the Skype export only; leave out --slack");
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
