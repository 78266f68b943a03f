using System.Diagnostics;

namespace EtlActors.IntegrationTests.Support;

/// <summary>A running `etl` (or `etl-node`) process whose output can be awaited line by line, and which can be signalled or killed.</summary>
public sealed class EtlRun : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly Task _stdoutDone;
    private readonly Task _stderrDone;

    private EtlRun(Process process)
    {
        _process = process;
        _stdoutDone = PumpAsync(process.StandardOutput, _stdout);
        _stderrDone = PumpAsync(process.StandardError, _stderr);
    }

    public int Pid => _process.Id;

    public static EtlRun Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        StartDll(EtlProcess.EtlDll, workingDirectory, environment, args);

    public static EtlRun StartDll(string dll, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        // Started as from a terminal: a test host run from a background job inherits SIGINT ignored,
        // and etl, like any Unix program, keeps an ignore it was started with. env execs, so the pid is etl's.
        var start = new ProcessStartInfo("env")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--default-signal=INT,TERM");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        return new EtlRun(Process.Start(start) ?? throw new InvalidOperationException("could not start etl"));
    }

    /// <summary>Waits for a line (stdout or stderr) that matches; fails if the process ends first or time runs out.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan within)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            var seen = _stdout.Concat(_stderr).FirstOrDefault(match);
            if (seen is not null)
                return seen;
            _waiters.Add((match, found));
        }
        var exited = _process.WaitForExitAsync();
        Task first;
        try
        {
            first = await Task.WhenAny(found.Task, exited).WaitAsync(within);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no awaited line within {within}\n{Output()}");
        }
        if (first == found.Task)
            return await found.Task;
        await _stdoutDone; // the line may be in what the process wrote last
        lock (_waiters)
        {
            if (_stdout.Concat(_stderr).FirstOrDefault(match) is { } last)
                return last;
        }
        throw new TimeoutException($"etl exited before the awaited line appeared\n{Output()}");
    }

    public void Kill() => _process.Kill(); // SIGKILL on Unix

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<EtlResult> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"etl did not end within {within}\n{Output()}");
        }
        await Task.WhenAll(_stdoutDone, _stderrDone);
        return new EtlResult(_process.ExitCode, Join(_stdout), Join(_stderr));
    }

    private async Task PumpAsync(StreamReader reader, List<string> lines)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_waiters)
            {
                lines.Add(line);
                foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
                {
                    waiter.Found.TrySetResult(line);
                    _waiters.Remove(waiter);
                }
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything printed so far.</summary>
    public string Output()
    {
        lock (_waiters)
            return $"--- stdout\n{Join(_stdout)}\n--- stderr\n{Join(_stderr)}";
    }

    private static string Join(List<string> lines) => string.Join('\n', lines) + (lines.Count > 0 ? "\n" : "");

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
