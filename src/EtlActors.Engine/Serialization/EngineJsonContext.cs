using System.Text.Json;
using System.Text.Json.Serialization;
using EtlActors.Engine.Jobs;
using EtlActors.Engine.RateLimits;
using EtlActors.Engine.Registry;
using EtlActors.Engine.Transform;

namespace EtlActors.Engine.Serialization;

/// <summary>
/// Compile-time System.Text.Json metadata for every type <see cref="EtlSerializer"/> binds, so that a process's first
/// journal write or recovery does not build it by reflection and emitted IL (see
/// ContractsJsonContext in EtlActors.Contracts). The JSON is unchanged: the payloads
/// checked in under the engine tests' Serialization/Payloads still read back field by field.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(JobEvents.JobStarted))]
[JsonSerializable(typeof(JobEvents.CheckpointAdvanced))]
[JsonSerializable(typeof(JobEvents.JobCompleted))]
[JsonSerializable(typeof(JobEvents.JobFailed))]
[JsonSerializable(typeof(JobEvents.JobPaused))]
[JsonSerializable(typeof(JobEvents.JobQueued))]
[JsonSerializable(typeof(JobEvents.JobCancelled))]
[JsonSerializable(typeof(JobSupervisorState))]
[JsonSerializable(typeof(JobRegistryState.JobRecorded))]
[JsonSerializable(typeof(JobRegistryState))]
[JsonSerializable(typeof(JobRegistry.AcquireSlot))]
[JsonSerializable(typeof(JobRegistry.SlotGranted))]
[JsonSerializable(typeof(JobRegistry.SlotQueued))]
[JsonSerializable(typeof(TransformerProtocol.TransformBatch))]
[JsonSerializable(typeof(TransformerProtocol.TransformedBatch))]
[JsonSerializable(typeof(TransformerProtocol.Release), TypeInfoPropertyName = "TransformRelease")]
[JsonSerializable(typeof(RequestBudgetCoordinator.Acquire))]
[JsonSerializable(typeof(RequestBudgetCoordinator.Granted))]
[JsonSerializable(typeof(RequestBudgetCoordinator.Release), TypeInfoPropertyName = "BudgetRelease")]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
