using System.Runtime.Serialization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Serialization;

namespace EtlActors.Contracts.Serialization;

/// <summary>
/// System.Text.Json with a stable manifest per type. Manifests are names with a version, never .NET
/// type names, so renaming a class never breaks recovery or the wire; a new shape of a message gets a
/// new manifest (".v2") beside the old one, and a reader that meets a manifest it does not know says so.
/// </summary>
public abstract class ManifestJsonSerializer : SerializerWithStringManifest
{
    /// <summary>The JSON settings every EtlActors serializer uses: web defaults, enums as names, text unescaped where JSON allows.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        // The default escapes every non-ASCII character and HTML's < > & ' as \uXXXX, for JSON pasted into a web page;
        // these bytes go to other nodes and the journal only. Source records are mostly text and markup, so the default
        // made a batch's JSON 1.7 times its payload. Any reader decodes either form alike: old nodes read new bytes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly IReadOnlyDictionary<Type, string> _manifestsByType;
    private readonly Dictionary<string, Type> _typesByManifest;

    /// <summary>Creates a serializer for the types in <paramref name="manifestsByType"/>, described by reflection.</summary>
    protected ManifestJsonSerializer(ExtendedActorSystem system, IReadOnlyDictionary<Type, string> manifestsByType)
        : this(system, manifestsByType, null)
    {
    }

    /// <summary>
    /// Creates a serializer for the types in <paramref name="manifestsByType"/>, described by
    /// <paramref name="metadata"/> (a source-generated <see cref="JsonSerializerContext"/> made with
    /// <see cref="JsonSerializerDefaults.Web"/>) where it knows a type, and by reflection where it does not. The JSON is
    /// the same either way; precompiled metadata spares a process the reflection and emitted code of its first message.
    /// </summary>
    protected ManifestJsonSerializer(ExtendedActorSystem system, IReadOnlyDictionary<Type, string> manifestsByType, IJsonTypeInfoResolver? metadata)
        : base(system)
    {
        _manifestsByType = manifestsByType;
        _typesByManifest = manifestsByType.ToDictionary(kv => kv.Value, kv => kv.Key);
        Options = metadata is null
            ? Json
            : new JsonSerializerOptions(Json) { TypeInfoResolver = JsonTypeInfoResolver.Combine(metadata, new DefaultJsonTypeInfoResolver()) };
    }

    /// <summary><see cref="Json"/>, with this serializer's metadata first when it was given one.</summary>
    protected JsonSerializerOptions Options { get; }

    /// <inheritdoc />
    public override string Manifest(object o) =>
        _manifestsByType.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"{GetType().Name} has no manifest for {o.GetType().FullName}", nameof(o));

    /// <inheritdoc />
    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Options);

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest) =>
        _typesByManifest.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, Options) ?? throw new SerializationException($"'{manifest}' deserialized to null")
            : throw new SerializationException($"unknown manifest '{manifest}': written by a newer version of EtlActors?");
}
