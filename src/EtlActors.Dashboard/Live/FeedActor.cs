using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using EtlActors.Contracts.Jobs;
using EtlActors.Engine.Registry;

namespace EtlActors.Dashboard.Live;

/// <summary>
/// Subscribes this node to the registry's status topic and to the cluster's membership events, and hands both to the
/// <see cref="DashboardFeed"/>, which pushes them to the browsers: no page asks the cluster every few seconds.
/// </summary>
internal sealed class FeedActor : ReceiveActor, IWithTimers
{
    private sealed record Sample : INoSerializationVerificationNeeded
    {
        public static readonly Sample Instance = new();
    }

    private readonly DashboardFeed _feed;

    public FeedActor(DashboardFeed feed)
    {
        _feed = feed;
        // The subscription is confirmed; until it is, a status published by the registry may not reach this node.
        Receive<SubscribeAck>(ack => Context.GetLogger().Debug("dashboard feed subscribed to topic {0}", ack.Subscribe.Topic));
        Receive<JobStatus>(feed.OnStatus);
        Receive<ClusterEvent.IClusterDomainEvent>(_ => feed.OnMembersChanged());
        Receive<ClusterEvent.CurrentClusterState>(_ => feed.OnMembersChanged());
        Receive<Sample>(_ => feed.Sample());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(DashboardFeed feed) => Akka.Actor.Props.Create(() => new FeedActor(feed));

    protected override void PreStart()
    {
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(JobRegistry.StatusTopic, Self));
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.LeaderChanged));
        Timers.StartPeriodicTimer(nameof(Sample), Sample.Instance, DashboardFeed.SampleEvery);
    }

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
}
