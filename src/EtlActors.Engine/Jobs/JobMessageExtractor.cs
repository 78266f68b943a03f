using Akka.Cluster.Sharding;
using EtlActors.Contracts.Jobs;

namespace EtlActors.Engine.Jobs;

/// <summary>Marker for the job supervisors' shard region in the ActorRegistry.</summary>
public sealed class JobRegion;

/// <summary>Routes job messages by job id; HashCodeMessageExtractor hashes with MurmurHash, stable across processes.</summary>
public sealed class JobMessageExtractor() : HashCodeMessageExtractor(ShardCount)
{
    public const int ShardCount = 50; // never change: every job would move

    public override string? EntityId(object message) => message is IWithJobId j ? j.JobId.Value : null;
}
