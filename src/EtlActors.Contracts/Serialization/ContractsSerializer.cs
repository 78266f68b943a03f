using System.Runtime.Serialization;
using System.Text.Json;
using Akka.Actor;
using EtlActors.Contracts.Jobs;
using EtlActors.Contracts.Security;

namespace EtlActors.Contracts.Serialization;

/// <summary>
/// The serializer for every message of the actor API, bound on both sides of the wire: the engine's
/// nodes and any client (the <c>etl</c> CLI, EtlClient). Bind it with
/// <c>WithCustomSerializer("etl-contracts", ContractsSerializer.BoundTypes, s => new ContractsSerializer(s))</c>.
/// </summary>
/// <remarks>
/// Versioning: each manifest ends in <c>.v1</c>. A new optional field keeps its manifest (System.Text.Json
/// leaves a missing field at its default); a breaking change adds a type with a <c>.v2</c> manifest, and
/// nodes keep reading <c>.v1</c> until every client has moved on.
/// </remarks>
public sealed class ContractsSerializer(ExtendedActorSystem system) : ManifestJsonSerializer(system, ManifestsByType, ContractsJsonContext.Default)
{
    /// <summary>The serializer's id on the wire; never change it.</summary>
    public const int SerializerId = 4151;

    private static readonly Dictionary<Type, string> ManifestsByType = new()
    {
        [typeof(JobProtocol.StartJob)] = "job.start.v1",
        [typeof(JobProtocol.JobAccepted)] = "job.accepted.v1",
        [typeof(JobProtocol.GetJob)] = "job.get.v1",
        [typeof(JobProtocol.PauseJob)] = "job.pause.v1",
        [typeof(JobProtocol.ResumeJob)] = "job.resume.v1",
        [typeof(JobProtocol.CancelJob)] = "job.cancel.v1",
        [typeof(JobProtocol.JobRejected)] = "job.rejected.v1",
        [typeof(JobProtocol.ListJobs)] = "job.list.v1",
        [typeof(JobProtocol.JobList)] = "job.list-result.v1",
        [typeof(JobStatus)] = "job.status.v1",
        [typeof(JobProgress)] = "job.progress.v1",
        [typeof(Cluster.ClusterProtocol.GetClusterState)] = "cluster.get-state.v1",
        [typeof(Cluster.ClusterProtocol.ClusterStateView)] = "cluster.state.v1",
        [typeof(Cluster.ClusterProtocol.LeaveMember)] = "cluster.leave.v1",
        [typeof(Cluster.ClusterProtocol.DownMember)] = "cluster.down.v1",
        [typeof(Cluster.ClusterProtocol.ClusterCommandDone)] = "cluster.command-done.v1",
        [typeof(Cluster.ClusterProtocol.ClusterCommandRejected)] = "cluster.command-rejected.v1",
        [typeof(Cluster.ClusterProtocol.GetShards)] = "cluster.get-shards.v1",
        [typeof(Cluster.ClusterProtocol.ShardsView)] = "cluster.shards.v1",
        [typeof(Cluster.ClusterProtocol.SetLogLevel)] = "cluster.set-log-level.v1",
        [typeof(Cluster.ClusterProtocol.LogLevelSet)] = "cluster.log-level-set.v1",
        [typeof(SecurityProtocol.Authenticated)] = AuthenticatedManifest,
        [typeof(SecurityProtocol.NotAllowed)] = "security.not-allowed.v1",
    };

    private const string AuthenticatedManifest = "security.authenticated.v1";

    /// <summary>Every type this serializer is bound to in configuration.</summary>
    public static IReadOnlyCollection<Type> BoundTypes => ManifestsByType.Keys;

    /// <inheritdoc />
    public override int Identifier => SerializerId;

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        if (obj is not SecurityProtocol.Authenticated authenticated)
            return base.ToBinary(obj);
        // The envelope holds any command: its manifest goes beside its JSON, as the transport would send it alone.
        var manifest = Manifest(authenticated.Command);
        if (manifest == AuthenticatedManifest)
            throw new ArgumentException("an Authenticated command cannot hold another", nameof(obj));
        return JsonSerializer.SerializeToUtf8Bytes(
            new AuthenticatedWire(authenticated.ApiKey, manifest, JsonSerializer.SerializeToElement(authenticated.Command, authenticated.Command.GetType(), Options)), Options);
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (manifest != AuthenticatedManifest)
            return base.FromBinary(bytes, manifest);
        var wire = JsonSerializer.Deserialize<AuthenticatedWire>(bytes, Options) ?? throw new SerializationException($"'{manifest}' deserialized to null");
        if (wire.Manifest == AuthenticatedManifest)
            throw new SerializationException("an Authenticated command cannot hold another");
        return new SecurityProtocol.Authenticated(wire.ApiKey, base.FromBinary(JsonSerializer.SerializeToUtf8Bytes(wire.Command, Options), wire.Manifest));
    }

    internal sealed record AuthenticatedWire(string ApiKey, string Manifest, JsonElement Command);
}
