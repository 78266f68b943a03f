using Akka.Cluster.Sharding;

namespace EtlActors.Engine.Transform;

/// <summary>Marker for the transformer shard region in the ActorRegistry.</summary>
public sealed class TransformerRegion;

/// <summary>Routes by (tenant, source, conversation); HashCodeMessageExtractor hashes with MurmurHash, stable across processes.</summary>
public sealed class TransformerMessageExtractor() : HashCodeMessageExtractor(ShardCount)
{
    public const int ShardCount = 100; // never change: every entity would move

    public override string? EntityId(object message) => message is IWithPartitionKey p ? p.PartitionKey : null;
}
