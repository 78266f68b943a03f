using System.Diagnostics;
using System.Globalization;

namespace EtlActors.Benchmarks;

/// <summary>
/// One `etl-node` process on loopback. Every line it prints is kept with the harness clock's time at
/// which it was read, so a log line can serve as a measurement.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _clock;
    private readonly List<(TimeSpan At, string Line)> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<(TimeSpan At, string Line)> Found)> _waiters = [];
    private readonly StreamWriter _log;
    private readonly Task _pumps;

    private NodeProcess(Process process, Stopwatch clock, int index, int port, string logFile)
    {
        _process = process;
        _clock = clock;
        _log = new StreamWriter(logFile);
        Index = index;
        Port = port;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
    }

    /// <summary>0 for the seed, which starts first and so is the oldest member (it hosts the cluster singletons).</summary>
    public int Index { get; }
    public int Port { get; }
    public bool IsSeed => Index == 0;

    /// <summary>As jobs report their node: host:port.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public string Kind => IsSeed ? "seed (oldest)" : "non-seed";
    public bool HasExited => _process.HasExited;

    /// <summary>Starts a node; its output also goes to <c>node-&lt;label&gt;-&lt;port&gt;.log</c> in <paramref name="workDirectory"/>, each line with the harness time it was read.</summary>
    public static NodeProcess Start(string dll, string workDirectory, string label, int index, int port, int seedPort, string journalUrl, Stopwatch clock)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDirectory,
        };
        info.ArgumentList.Add(dll);
        info.Environment["Etl__Hostname"] = "127.0.0.1";
        info.Environment["Etl__Port"] = port.ToString(CultureInfo.InvariantCulture);
        info.Environment["Etl__SeedNodes__0"] = $"akka.tcp://etl@127.0.0.1:{seedPort}";
        info.Environment["Etl__Journal"] = journalUrl;
        var process = Process.Start(info) ?? throw new BenchFailedException("could not start dotnet for etl-node");
        return new NodeProcess(process, clock, index, port, Path.Combine(workDirectory, $"node-{label}-{port}.log"));
    }

    /// <summary>The first line (read at or after <paramref name="after"/>) that matches, with the time it was read.</summary>
    public async Task<(TimeSpan At, string Line)> WaitForLineAsync(Func<string, bool> match, TimeSpan within, TimeSpan after = default)
    {
        var found = new TaskCompletionSource<(TimeSpan, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lines)
        {
            foreach (var (at, line) in _lines)
            {
                if (at >= after && match(line))
                    return (at, line);
            }
            _waiters.Add((match, found));
        }
        var first = await Task.WhenAny(found.Task, _pumps, Task.Delay(within));
        if (first == found.Task)
            return await found.Task;
        lock (_lines)
            _waiters.RemoveAll(w => w.Found == found);
        var why = first == _pumps ? "the node exited" : $"nothing within {within.TotalSeconds:0} s";
        throw new BenchFailedException($"node {Address}: awaited line never came ({why})\n{Tail()}");
    }

    /// <summary>When the first line read at or after <paramref name="after"/> that matches was read; null when none has been.</summary>
    public TimeSpan? FirstLineAt(Func<string, bool> match, TimeSpan after)
    {
        lock (_lines)
            return _lines.Where(l => l.At >= after && match(l.Line)).Select(l => (TimeSpan?)l.At).FirstOrDefault();
    }

    /// <summary>SIGKILL; returns the harness time just before the signal went out.</summary>
    public TimeSpan Kill()
    {
        var at = _clock.Elapsed;
        _process.Kill();
        return at;
    }

    public string Tail(int count = 40)
    {
        lock (_lines)
            return string.Join('\n', _lines.TakeLast(count).Select(l => $"  | {l.Line}"));
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            var at = _clock.Elapsed;
            lock (_lines)
            {
                _lines.Add((at, line));
                _log.WriteLine($"{at.TotalSeconds,9:0.000} {line}");
                foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
                {
                    waiter.Found.TrySetResult((at, line));
                    _waiters.Remove(waiter);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            await _pumps.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed already; the streams close with the process.
        }
        _process.Dispose();
        lock (_lines)
            _log.Dispose();
    }
}
