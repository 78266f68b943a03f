using Akka.Actor;
using Akka.Event;

namespace EtlActors.Engine.RateLimits;

/// <summary>
/// Keeper of every HTTP host's request budget for the whole cluster: a cluster singleton that HTTP readers on every
/// node ask for a permit before each request (through <see cref="ClusterRequestGate"/>). The rules live in
/// <see cref="RequestBudgetState"/>; this actor keeps who waits, answers, and sets a timer for the next grant.
/// Its state is in memory only: when it moves to another node it starts empty, and readers, hearing nothing,
/// ask again under the same request id.
/// </summary>
public sealed class RequestBudgetCoordinator : ReceiveActor, IWithTimers
{
    /// <summary>
    /// A reader asks to start one request to <paramref name="Host"/> under its job's budget; answered with
    /// <see cref="Granted"/> (to the sender) once it may. Asking again with the same id is harmless: a waiting
    /// request keeps its place, a granted one is granted again.
    /// </summary>
    public sealed record Acquire(Guid RequestId, string Host, double RequestsPerSecond, int Concurrent, string TenantId);

    /// <summary>The request may start now; release it when its response is read.</summary>
    public sealed record Granted(Guid RequestId);

    /// <summary>The request's response is read, or the reader gave up waiting: frees its permit or its place. Not answered.</summary>
    public sealed record Release(Guid RequestId);

    private sealed record Wake : INoSerializationVerificationNeeded
    {
        public static readonly Wake Instance = new();
    }

    public const string Name = "request-budget";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TimeProvider _clock;
    private readonly Dictionary<Guid, IActorRef> _waiters = [];
    private RequestBudgetState _state;

    public RequestBudgetCoordinator(RequestBudgetSettings settings, TimeProvider clock)
    {
        _clock = clock;
        _state = RequestBudgetState.Empty(settings);

        Receive<Acquire>(OnAcquire);
        Receive<Release>(release =>
        {
            _waiters.Remove(release.RequestId);
            Apply(_state.Release(release.RequestId, Now));
        });
        Receive<Wake>(_ => Apply(_state.Tick(Now)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(RequestBudgetSettings settings, TimeProvider? clock = null) =>
        Akka.Actor.Props.Create(() => new RequestBudgetCoordinator(settings, clock ?? TimeProvider.System));

    private DateTimeOffset Now => _clock.GetUtcNow();

    private void OnAcquire(Acquire acquire)
    {
        if (!RequestBudgetState.IsValid(acquire.RequestsPerSecond, acquire.Concurrent))
        {
            // The gate refuses such budgets before asking; one from elsewhere must not restart (and empty) the coordinator.
            _log.Warning("request {0} to {1}: a budget of {2}/s and {3} at once cannot be paced; ignored", acquire.RequestId, acquire.Host, acquire.RequestsPerSecond, acquire.Concurrent);
            return;
        }
        // The latest asker is the one waiting: an earlier ask of the same request has timed out.
        _waiters[acquire.RequestId] = Sender;
        Apply(_state.Acquire(new RequestBudgetState.Request(acquire.RequestId, acquire.Host, acquire.TenantId, acquire.RequestsPerSecond, acquire.Concurrent), Now));
    }

    private void Apply(RequestBudgetState.Decision decision)
    {
        _state = decision.State;
        foreach (var granted in decision.Granted)
        {
            if (_waiters.Remove(granted.RequestId, out var waiter))
                waiter.Tell(new Granted(granted.RequestId));
        }
        foreach (var lost in decision.Reclaimed)
            _log.Warning("request {0} of tenant {1} to {2} held its permit beyond its lease: taken back", lost.RequestId, lost.TenantId, lost.Host);
        foreach (var gone in decision.Abandoned)
        {
            _waiters.Remove(gone.RequestId);
            _log.Info("request {0} of tenant {1} to {2} was not asked for again: dropped", gone.RequestId, gone.TenantId, gone.Host);
        }
        if (decision.WakeAt is { } at)
        {
            // One timer, replaced by each decision: the state names the earliest thing due on any host.
            var delay = at - Now;
            Timers.StartSingleTimer(nameof(Wake), Wake.Instance, delay > TimeSpan.Zero ? delay : TimeSpan.FromMilliseconds(1));
        }
        else
            Timers.Cancel(nameof(Wake));
    }
}
