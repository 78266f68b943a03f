using Akka;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace EtlActors.Engine.SingleProcess;

/// <summary>
/// A shard region's part in an engine of one process (<c>etl run</c>): one child per entity id, started by its
/// first message, with the two things the engine relies on sharding for. An entity that asks to passivate is sent
/// the stop message, and what arrives for it meanwhile waits for its next incarnation. An entity that stops by
/// itself (a failed persist) starts again after a backoff, as a remembered entity would. Sharding itself needs a
/// cluster, whose formation and shard-coordinator recovery (with Akka's fixed 500 ms wait) were most of a short
/// run's wall time (bench/README.md, "Start-up").
/// </summary>
public sealed class LocalEntities : ReceiveActor, IWithTimers
{
    /// <summary>Stops every entity with the stop message and answers <see cref="Done"/> once all have stopped.</summary>
    public sealed record HandOffAll : INoSerializationVerificationNeeded
    {
        public static readonly HandOffAll Instance = new();
    }

    private sealed record Restart(string EntityId) : INoSerializationVerificationNeeded;

    private sealed record PassivateIdle : INoSerializationVerificationNeeded
    {
        public static readonly PassivateIdle Instance = new();
    }

    private readonly Func<string, Props> _props;
    private readonly IMessageExtractor _extractor;
    private readonly object _stopMessage;
    private readonly TimeSpan _restartBackoff;
    private readonly TimeSpan? _idleAfter;
    private readonly Dictionary<string, IActorRef> _entities = [];
    private readonly Dictionary<IActorRef, string> _ids = [];
    private readonly HashSet<IActorRef> _stopping = [];
    private readonly Dictionary<string, long> _lastMessageAt = [];
    // Messages for an entity that is stopping or waiting to restart, delivered in order to the next one.
    private readonly Dictionary<string, List<(object Message, IActorRef Sender)>> _waiting = [];
    private readonly List<IActorRef> _handOffWaiters = [];

    /// <param name="props">The entity for an id.</param>
    /// <param name="extractor">The region's extractor: the entity id, and the message the entity gets.</param>
    /// <param name="stopMessage">What an entity is told to stop: on its own passivation, when idle, and at hand-off.</param>
    /// <param name="restartBackoff">How long an entity that stopped by itself waits to start again.</param>
    /// <param name="idleAfter">Entities that get no message for this long are stopped (sharding's idle passivation); never when null.</param>
    public LocalEntities(Func<string, Props> props, IMessageExtractor extractor, object stopMessage, TimeSpan restartBackoff, TimeSpan? idleAfter = null)
    {
        _props = props;
        _extractor = extractor;
        _stopMessage = stopMessage;
        _restartBackoff = restartBackoff;
        _idleAfter = idleAfter;

        Receive<Passivate>(passivate =>
        {
            if (_ids.TryGetValue(Sender, out var id) && _stopping.Add(Sender))
            {
                _waiting.TryAdd(id, []);
                Sender.Tell(passivate.StopMessage);
            }
        });
        Receive<Terminated>(terminated => OnStopped(terminated.ActorRef));
        Receive<Restart>(restart =>
        {
            if (!_entities.ContainsKey(restart.EntityId) && _waiting.Remove(restart.EntityId, out var waiting))
                Deliver(Start(restart.EntityId), waiting);
        });
        Receive<HandOffAll>(_ => HandOff());
        Receive<PassivateIdle>(_ => StopIdle());
        ReceiveAny(Route);
    }

    protected override void PreStart()
    {
        if (_idleAfter is { } idle)
            Timers.StartPeriodicTimer(nameof(PassivateIdle), PassivateIdle.Instance, idle / 2);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Func<string, Props> props, IMessageExtractor extractor, object stopMessage, TimeSpan restartBackoff, TimeSpan? idleAfter = null) =>
        Akka.Actor.Props.Create(() => new LocalEntities(props, extractor, stopMessage, restartBackoff, idleAfter));

    private void Route(object message)
    {
        if (_extractor.EntityId(message) is not { } id || _extractor.EntityMessage(message) is not { } payload)
        {
            Unhandled(message);
            return;
        }
        if (_idleAfter is not null)
            _lastMessageAt[id] = Environment.TickCount64;
        if (_waiting.TryGetValue(id, out var waiting))
            waiting.Add((payload, Sender));
        else
            (_entities.GetValueOrDefault(id) ?? Start(id)).Forward(payload);
    }

    private IActorRef Start(string id)
    {
        // Entity ids hold '/' (tenant/source/conversation), which an actor name may not.
        var entity = Context.Watch(Context.ActorOf(_props(id), Uri.EscapeDataString(id)));
        _entities[id] = entity;
        _ids[entity] = id;
        if (_idleAfter is not null)
            _lastMessageAt[id] = Environment.TickCount64;
        return entity;
    }

    private void OnStopped(IActorRef entity)
    {
        if (!_ids.Remove(entity, out var id))
            return;
        _entities.Remove(id);
        _lastMessageAt.Remove(id);
        var asked = _stopping.Remove(entity);
        if (_handOffWaiters.Count > 0)
        {
            if (_entities.Count == 0)
                _handOffWaiters.ForEach(w => w.Tell(Done.Instance));
            return;
        }
        if (!asked)
        {
            // Stopped by itself: it starts again after the backoff, with what arrived for it meanwhile.
            _waiting.TryAdd(id, []);
            Timers.StartSingleTimer(id, new Restart(id), _restartBackoff);
        }
        else if (_waiting.Remove(id, out var waiting) && waiting.Count > 0)
            Deliver(Start(id), waiting);
    }

    private void HandOff()
    {
        _handOffWaiters.Add(Sender);
        if (_entities.Count == 0)
        {
            Sender.Tell(Done.Instance);
            return;
        }
        foreach (var entity in _entities.Values.Where(e => _stopping.Add(e)))
            entity.Tell(_stopMessage);
    }

    private void StopIdle()
    {
        var before = Environment.TickCount64 - (long)_idleAfter!.Value.TotalMilliseconds;
        foreach (var (id, entity) in _entities)
        {
            if (_lastMessageAt.GetValueOrDefault(id) <= before && _stopping.Add(entity))
            {
                _waiting.TryAdd(id, []);
                entity.Tell(_stopMessage);
            }
        }
    }

    private static void Deliver(IActorRef entity, List<(object Message, IActorRef Sender)> waiting)
    {
        foreach (var (message, sender) in waiting)
            entity.Tell(message, sender);
    }
}
