using Akka.Cluster.Sharding;
using EtlActors.Contracts.Jobs;
using EtlActors.Engine.Jobs;
using static EtlActors.Contracts.Jobs.JobProtocol;

namespace EtlActors.Engine.Tests.Jobs;

public sealed class JobMessageExtractorTests
{
    private static readonly JobId Job = new("acme-2026-11");
    private static readonly JobSpec Spec = new("skype", "/data/sources/x.tar", "", "acme");
    private readonly JobMessageExtractor _extractor = new();

    private static readonly IWithJobId[] Commands =
    [
        new StartJob(Job, Spec), new GetJob(Job), new PauseJob(Job), new ResumeJob(Job), new CancelJob(Job),
        new Engine.Registry.JobRegistry.SlotGranted(Job),
    ];

    public static TheoryData<IWithJobId> JobMessages() => new(Commands);

    [Theory]
    [MemberData(nameof(JobMessages))]
    public void Every_job_command_reaches_the_supervisor_of_its_job(IWithJobId message)
    {
        Assert.Equal("acme-2026-11", _extractor.EntityId(message));
        // Remember-entities restarts an entity by its id alone: the shard must be the same.
        Assert.Equal(_extractor.ShardId("acme-2026-11", new ShardRegion.StartEntity("acme-2026-11")), Shard(message));
    }

    [Fact]
    public void Every_command_a_caller_sends_is_covered_above()
    {
        var commands = typeof(JobProtocol).GetNestedTypes()
            .Where(t => typeof(IWithJobId).IsAssignableFrom(t) && t != typeof(JobAccepted) && t != typeof(JobRejected))
            .Append(typeof(Engine.Registry.JobRegistry.SlotGranted)) // the registry's grant to a waiting job
            .ToHashSet();
        Assert.Equal(commands, Commands.Select(c => c.GetType()).ToHashSet());
    }

    [Fact]
    public void Shard_ids_are_stable_across_processes()
    {
        // MurmurHash of the id, not string.GetHashCode: the same job must land in the same shard after a restart.
        Assert.Equal(Shard(new GetJob(Job)), new JobMessageExtractor().ShardId("acme-2026-11", null));
        Assert.InRange(int.Parse(Shard(new GetJob(Job))), 0, JobMessageExtractor.ShardCount - 1);
    }

    [Theory]
    [InlineData("acme-2026-11", "11")]
    [InlineData("skype-706d36e404cb", "18")]
    [InlineData("upgrade-v1-paused", "37")]
    public void A_jobs_shard_is_pinned_so_remembered_jobs_of_an_older_release_are_found(string job, string shard) =>
        Assert.Equal(shard, _extractor.ShardId(job, new GetJob(new JobId(job))));

    [Theory]
    [InlineData("acme", "skype", "8:live:bob", "29")]
    [InlineData("default", "skype", "19:abc@thread.skype", "75")]
    public void A_conversations_transformer_shard_is_pinned(string tenant, string source, string conversation, string shard)
    {
        var message = new Engine.Transform.TransformerProtocol.Release(tenant, source, conversation);
        var extractor = new Engine.Transform.TransformerMessageExtractor();
        Assert.Equal(shard, extractor.ShardId(extractor.EntityId(message)!, message));
    }

    private string Shard(object message) => _extractor.ShardId(_extractor.EntityId(message)!, message);

    [Fact]
    public void A_message_without_a_job_id_is_not_routed()
    {
        Assert.Null(_extractor.EntityId("not a job message"));
    }
}
