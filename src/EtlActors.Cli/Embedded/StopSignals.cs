using System.Runtime.InteropServices;

namespace EtlActors.Cli.Embedded;

/// <summary>
/// Ctrl+C or SIGTERM asks the job to pause (intake stops, in-flight batches finish, a checkpoint is
/// persisted). A second one stops the process at once, which is still safe: the last persisted
/// checkpoint is the resume point and loading is idempotent.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    public const int ImmediateExitCode = 130;
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly Action _onFirst;
    private int _count;

    public StopSignals(Action onFirst)
    {
        _onFirst = onFirst;
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            _registrations.Add(PosixSignalRegistration.Create(signal, Handle));
    }

    public bool Requested => Volatile.Read(ref _count) > 0;

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true; // we decide when to exit
        if (Interlocked.Increment(ref _count) == 1)
        {
            _onFirst();
            return;
        }
        Console.Error.WriteLine("error: stopped at once; the job resumes from its last checkpoint when run again");
        Environment.Exit(ImmediateExitCode);
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
    }
}
