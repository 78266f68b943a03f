using Akka.Actor;
using EtlActors.Contracts.Serialization;
using EtlActors.Engine.Jobs;
using EtlActors.Engine.RateLimits;
using EtlActors.Engine.Registry;
using static EtlActors.Engine.Transform.TransformerProtocol;

namespace EtlActors.Engine.Serialization;

/// <summary>
/// The engine's own persisted events and node-to-node messages (the actor API's messages have
/// <see cref="ContractsSerializer"/>). Manifests are versioned names; see <see cref="ManifestJsonSerializer"/>.
/// </summary>
public sealed class EtlSerializer(ExtendedActorSystem system) : ManifestJsonSerializer(system, ManifestsByType, EngineJsonContext.Default)
{
    public const int SerializerId = 4150;

    private static readonly Dictionary<Type, string> ManifestsByType = new()
    {
        [typeof(JobEvents.JobStarted)] = "job.evt.started.v1",
        [typeof(JobEvents.CheckpointAdvanced)] = "job.evt.checkpoint.v1",
        [typeof(JobEvents.JobCompleted)] = "job.evt.completed.v1",
        [typeof(JobEvents.JobFailed)] = "job.evt.failed.v1",
        [typeof(JobEvents.JobPaused)] = "job.evt.paused.v1",
        [typeof(JobEvents.JobQueued)] = "job.evt.queued.v1",
        [typeof(JobEvents.JobCancelled)] = "job.evt.cancelled.v1",
        [typeof(JobSupervisorState)] = "job.snapshot.v1",
        [typeof(JobRegistryState.JobRecorded)] = "registry.evt.recorded.v1",
        [typeof(JobRegistryState)] = "registry.snapshot.v1",
        [typeof(JobRegistry.AcquireSlot)] = "registry.acquire.v1",
        [typeof(JobRegistry.SlotGranted)] = "registry.granted.v1",
        [typeof(JobRegistry.SlotQueued)] = "registry.queued.v1",
        [typeof(TransformBatch)] = "transform.batch.v1",
        [typeof(TransformedBatch)] = "transform.result.v1",
        [typeof(Release)] = "transform.release.v1",
        // Only on the wire: the coordinator keeps its state in memory.
        [typeof(RequestBudgetCoordinator.Acquire)] = "ratelimit.acquire.v1",
        [typeof(RequestBudgetCoordinator.Granted)] = "ratelimit.granted.v1",
        [typeof(RequestBudgetCoordinator.Release)] = "ratelimit.release.v1",
    };

    /// <summary>Every type this serializer is bound to in configuration.</summary>
    public static IReadOnlyCollection<Type> BoundTypes => ManifestsByType.Keys;

    public override int Identifier => SerializerId;
}
