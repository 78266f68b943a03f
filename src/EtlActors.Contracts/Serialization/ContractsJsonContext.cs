using System.Text.Json;
using System.Text.Json.Serialization;
using EtlActors.Contracts.Cluster;
using EtlActors.Contracts.Jobs;
using EtlActors.Contracts.Security;

namespace EtlActors.Contracts.Serialization;

/// <summary>
/// Compile-time System.Text.Json metadata for every message <see cref="ContractsSerializer"/> binds. The reflection
/// resolver builds the same metadata at a process's first message, emitting IL for each type's constructor and
/// getters, which a short-lived <c>etl</c> command pays for at every start; these are precompiled with the rest of the
/// assembly. The JSON is the reflection resolver's to the byte (web defaults; the shared
/// <see cref="ManifestJsonSerializer.Json"/> options still apply their enum converter and encoder).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(JobProtocol.StartJob))]
[JsonSerializable(typeof(JobProtocol.JobAccepted))]
[JsonSerializable(typeof(JobProtocol.GetJob))]
[JsonSerializable(typeof(JobProtocol.PauseJob))]
[JsonSerializable(typeof(JobProtocol.ResumeJob))]
[JsonSerializable(typeof(JobProtocol.CancelJob))]
[JsonSerializable(typeof(JobProtocol.JobRejected))]
[JsonSerializable(typeof(JobProtocol.ListJobs))]
[JsonSerializable(typeof(JobProtocol.JobList))]
[JsonSerializable(typeof(JobStatus))]
[JsonSerializable(typeof(JobProgress))]
[JsonSerializable(typeof(ClusterProtocol.GetClusterState))]
[JsonSerializable(typeof(ClusterProtocol.ClusterStateView))]
[JsonSerializable(typeof(ClusterProtocol.LeaveMember))]
[JsonSerializable(typeof(ClusterProtocol.DownMember))]
[JsonSerializable(typeof(ClusterProtocol.ClusterCommandDone))]
[JsonSerializable(typeof(ClusterProtocol.ClusterCommandRejected))]
[JsonSerializable(typeof(ClusterProtocol.GetShards))]
[JsonSerializable(typeof(ClusterProtocol.ShardsView))]
[JsonSerializable(typeof(ClusterProtocol.SetLogLevel))]
[JsonSerializable(typeof(ClusterProtocol.LogLevelSet))]
[JsonSerializable(typeof(SecurityProtocol.NotAllowed))]
[JsonSerializable(typeof(ContractsSerializer.AuthenticatedWire))]
internal sealed partial class ContractsJsonContext : JsonSerializerContext;
