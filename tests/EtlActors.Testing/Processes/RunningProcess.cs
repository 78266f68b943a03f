using System.Diagnostics;
using System.Globalization;
using EtlActors.Testing.Security;

namespace EtlActors.Testing.Processes;

/// <summary>One line a process printed, with the time (on its clock) at which it was read.</summary>
public readonly record struct OutputLine(TimeSpan At, string Text, bool IsStderr);

/// <summary>What a finished process left: its exit code and everything it printed.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// A running process (`etl`, `etl-node`, a sample, a script) whose output can be awaited line by line, and
/// which can be signalled or killed. Every line is kept with the time on <see cref="Clock"/> at which it was
/// read, so a line can serve as a measurement; optionally each also goes to a log file with that time.
/// </summary>
public sealed class RunningProcess : IDisposable, IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<OutputLine> _lines = [];
    private readonly List<Waiter> _waiters = [];
    private readonly TaskCompletionSource<TimeSpan> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _outputDone;
    private StreamWriter? _log;

    private RunningProcess(Process process, string name, Stopwatch clock, string? logFile)
    {
        _process = process;
        Name = name;
        Clock = clock;
        _log = logFile is null ? null : new StreamWriter(logFile);
        process.Exited += (_, _) => _exited.TrySetResult(clock.Elapsed);
        StartedAt = clock.Elapsed;
        if (!process.Start())
            throw new InvalidOperationException($"could not start {name}");
        if (process.HasExited)
            _exited.TrySetResult(clock.Elapsed);
        _outputDone = Task.WhenAll(PumpAsync(process.StandardOutput, isStderr: false), PumpAsync(process.StandardError, isStderr: true));
    }

    /// <summary>The program and its arguments, for messages.</summary>
    public string Name { get; }

    /// <summary>The clock the lines' times, <see cref="StartedAt"/> and <see cref="Exited"/> are read on.</summary>
    public Stopwatch Clock { get; }

    public TimeSpan StartedAt { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>Completes with the time on <see cref="Clock"/> at which the process exited (its own exit, not when its output was drained).</summary>
    public Task<TimeSpan> Exited => _exited.Task;

    /// <summary>Starts the built `etl` (<see cref="Binaries.EtlDll"/>).</summary>
    public static RunningProcess StartEtl(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        StartDll(Binaries.EtlDll, workingDirectory, environment, args);

    /// <summary>Starts <c>dotnet <paramref name="dll"/> <paramref name="args"/></c>.</summary>
    public static RunningProcess StartDll(string dll, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        Start("dotnet", [dll, .. args], workingDirectory, environment);

    /// <summary>
    /// Starts <paramref name="program"/>. <paramref name="clock"/>: the one to time lines by (shared by several
    /// processes to compare their lines; default a new one). <paramref name="logFile"/>: where to copy every line
    /// too, prefixed with its time in seconds.
    /// </summary>
    public static RunningProcess Start(string program, IReadOnlyList<string> args, string workingDirectory, IReadOnlyDictionary<string, string>? environment,
        Stopwatch? clock = null, string? logFile = null)
    {
        // Started as from a terminal: a test host run from a background job inherits SIGINT ignored,
        // and etl, like any Unix program, keeps an ignore it was started with. env execs, so the pid is the program's.
        var start = new ProcessStartInfo("env")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--default-signal=INT,TERM");
        start.ArgumentList.Add(program);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        // Every `etl` (and sample) a test starts has the shared test CA's client certificate, as an operator's shell
        // would after `source client.env`, so `etl … --cluster` reaches a LocalCluster; the caller's values win.
        foreach (var (key, value) in DevCertificates.Shared.ClientEnvironment)
            start.Environment[key] = value;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        var name = string.Join(' ', (program == "dotnet" && args.Count > 0 ? [Path.GetFileNameWithoutExtension(args[0]), .. args.Skip(1)] : (IEnumerable<string>)[program, .. args]));
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        try
        {
            return new RunningProcess(process, name, clock ?? Stopwatch.StartNew(), logFile);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>Waits for a line (stdout or stderr) that matches; fails if the process ends first or time runs out.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan within) =>
        (await WaitForLineAtAsync(match, within)).Text;

    /// <summary>The first line read at or after <paramref name="after"/> that matches, with the time it was read; waits for it as <see cref="WaitForLineAsync"/>.</summary>
    public async Task<OutputLine> WaitForLineAtAsync(Func<string, bool> match, TimeSpan within, TimeSpan after = default)
    {
        var waiter = new Waiter(match, after, new TaskCompletionSource<OutputLine>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_lines)
        {
            foreach (var line in _lines)
            {
                if (line.At >= after && match(line.Text))
                    return line;
            }
            _waiters.Add(waiter);
        }
        try
        {
            // The line, or the end of all output (the line may have been among the last), within the limit.
            var first = await Task.WhenAny(waiter.Found.Task, _outputDone).WaitAsync(within).ContinueWith(
                t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default);
            if (waiter.Found.Task.IsCompleted)
                return await waiter.Found.Task;
            var why = first == _outputDone ? "it exited first" : $"nothing within {within}";
            throw new TimeoutException($"{Name}: the awaited line never came ({why})\n{Output()}");
        }
        finally
        {
            lock (_lines)
                _waiters.Remove(waiter);
        }
    }

    /// <summary>When the first line read at or after <paramref name="after"/> that matches was read; null when none has been.</summary>
    public TimeSpan? FirstLineAt(Func<string, bool> match, TimeSpan after = default)
    {
        lock (_lines)
            return _lines.Where(l => l.At >= after && match(l.Text)).Select(l => (TimeSpan?)l.At).FirstOrDefault();
    }

    /// <summary>The last line so far that matches, or null.</summary>
    public string? LastLine(Func<string, bool> match)
    {
        lock (_lines)
        {
            for (var i = _lines.Count - 1; i >= 0; i--)
            {
                if (match(_lines[i].Text))
                    return _lines[i].Text;
            }
            return null;
        }
    }

    /// <summary>SIGKILL (on Unix); returns the time on <see cref="Clock"/> just before the signal went out.</summary>
    public TimeSpan Kill(bool entireProcessTree = false)
    {
        var at = Clock.Elapsed;
        _process.Kill(entireProcessTree);
        return at;
    }

    /// <summary>Sends a signal by name: TERM, INT, STOP, CONT…</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, Pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Waits for the exit and all output; a process still running after <paramref name="within"/> is killed and the wait fails.</summary>
    public async Task<ProcessResult> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Name} did not end within {within}\n{Output()}");
        }
        await _outputDone;
        lock (_lines)
            return new ProcessResult(_process.ExitCode, Join(_lines.Where(l => !l.IsStderr)), Join(_lines.Where(l => l.IsStderr)));
    }

    /// <summary>Everything printed so far, stdout then stderr.</summary>
    public string Output()
    {
        lock (_lines)
            return $"--- stdout\n{Join(_lines.Where(l => !l.IsStderr))}\n--- stderr\n{Join(_lines.Where(l => l.IsStderr))}";
    }

    /// <summary>The last lines printed (stdout and stderr as they came), indented, for a failure message.</summary>
    public string Tail(int count = 60)
    {
        lock (_lines)
            return string.Join('\n', _lines.TakeLast(count).Select(l => $"  | {l.Text}"));
    }

    private async Task PumpAsync(StreamReader reader, bool isStderr)
    {
        while (await reader.ReadLineAsync() is { } text)
        {
            var line = new OutputLine(Clock.Elapsed, text, isStderr);
            lock (_lines)
            {
                _lines.Add(line);
                _log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{line.At.TotalSeconds,9:0.000} {text}"));
                foreach (var waiter in _waiters.Where(w => line.At >= w.After && w.Match(text)))
                    waiter.Found.TrySetResult(line);
            }
        }
    }

    private static string Join(IEnumerable<OutputLine> lines)
    {
        var texts = lines.Select(l => l.Text).ToList();
        return string.Join('\n', texts) + (texts.Count > 0 ? "\n" : "");
    }

    /// <summary>Kills the process tree if it still runs and waits (up to 10 s) for it to go.</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit(TimeSpan.FromSeconds(10));
        Close();
    }

    /// <summary>As <see cref="Dispose"/>, and waits (up to 15 s) for the rest of the output, so the log file is complete.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            await _outputDone.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed already; the streams close with the process.
        }
        Close();
    }

    private void Close()
    {
        lock (_lines)
        {
            _log?.Dispose();
            _log = null;
        }
        _process.Dispose();
    }

    private sealed record Waiter(Func<string, bool> Match, TimeSpan After, TaskCompletionSource<OutputLine> Found);
}
