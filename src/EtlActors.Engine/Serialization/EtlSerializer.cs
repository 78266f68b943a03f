using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;
using EtlActors.Contracts.Jobs;
using EtlActors.Engine.Jobs;
using static EtlActors.Engine.Transform.TransformerProtocol;

namespace EtlActors.Engine.Serialization;

/// <summary>
/// System.Text.Json for every persisted event and every message that may cross the wire. Manifests
/// are stable names with a version, never .NET type names, so renaming a class never breaks
/// recovery; a new shape of a message gets a new manifest (".v2") beside the old one.
/// </summary>
public sealed class EtlSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int SerializerId = 4150;

    private static readonly Dictionary<Type, string> ManifestsByType = new()
    {
        [typeof(JobProtocol.StartJob)] = "job.start.v1",
        [typeof(JobProtocol.JobAccepted)] = "job.accepted.v1",
        [typeof(JobProtocol.GetJob)] = "job.get.v1",
        [typeof(JobProtocol.PauseJob)] = "job.pause.v1",
        [typeof(JobStatus)] = "job.status.v1",
        [typeof(JobEvents.JobStarted)] = "job.evt.started.v1",
        [typeof(JobEvents.CheckpointAdvanced)] = "job.evt.checkpoint.v1",
        [typeof(JobEvents.JobCompleted)] = "job.evt.completed.v1",
        [typeof(JobEvents.JobFailed)] = "job.evt.failed.v1",
        [typeof(JobEvents.JobPaused)] = "job.evt.paused.v1",
        [typeof(JobSupervisorState)] = "job.snapshot.v1",
        [typeof(TransformBatch)] = "transform.batch.v1",
        [typeof(TransformedBatch)] = "transform.result.v1",
        [typeof(Release)] = "transform.release.v1",
    };

    private static readonly Dictionary<string, Type> TypesByManifest = ManifestsByType.ToDictionary(kv => kv.Value, kv => kv.Key);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Every type this serializer is bound to in configuration.</summary>
    public static IReadOnlyCollection<Type> BoundTypes => ManifestsByType.Keys;

    public override int Identifier => SerializerId;

    public override string Manifest(object o) =>
        ManifestsByType.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"EtlSerializer has no manifest for {o.GetType().FullName}", nameof(o));

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json);

    public override object FromBinary(byte[] bytes, string manifest) =>
        TypesByManifest.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, Json) ?? throw new SerializationException($"'{manifest}' deserialized to null")
            : throw new SerializationException($"unknown manifest '{manifest}': written by a newer version of EtlActors?");
}
