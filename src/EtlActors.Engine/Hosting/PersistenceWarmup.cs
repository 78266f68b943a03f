using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace EtlActors.Engine;

/// <summary>
/// Recovers an empty persistent actor once at node start, so that the journal and snapshot store are
/// initialised (connections, linq2db's compiled queries, JIT) before they are needed in a hurry. Without it
/// a node that never ran a job met them cold when it took over the shard coordinator in a failover: the
/// coordinator's recovery took 3-6 s on a busy 2-core machine (bench/README.md, "Failover").
/// </summary>
internal sealed class PersistenceWarmup : ReceivePersistentActor
{
    public const string Name = "persistence-warmup";

    public PersistenceWarmup()
    {
        JournalPluginId = EtlPersistence.JournalPluginId;
        SnapshotPluginId = EtlPersistence.SnapshotPluginId;
        Recover<RecoveryCompleted>(_ => Context.Stop(Self));
        Recover<object>(_ => { }); // nothing is ever persisted under this id
    }

    // Read only, never written: every node may recover it at once.
    public override string PersistenceId => "etl-persistence-warmup";

    public static Props Props() => Akka.Actor.Props.Create(() => new PersistenceWarmup());

    // An unreachable journal is reported by the jobs that need it, with what it means for them.
    protected override void OnRecoveryFailure(Exception reason, object? message = null) =>
        Context.GetLogger().Debug("persistence warm-up: the journal did not answer ({0})", reason.Message);
}
