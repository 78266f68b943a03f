using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using EtlActors.Contracts.Jobs;
using EtlActors.Engine.Load;
using EtlActors.Engine.Memory;
using EtlActors.Pipeline.Connectors;
using EtlActors.Pipeline.Connectors.Http;
using EtlActors.Pipeline.Load;
using EtlActors.Pipeline.Sources;

namespace EtlActors.Engine.Jobs;

/// <summary>What a job supervisor needs besides its id: the engine's regions, settings and source kinds, and its node's address.</summary>
public sealed record JobSupervisorSetup(IActorRef Transformers, IActorRef Registry, EtlEngineOptions Options, SourceConnectors Connectors, string Node)
{
    /// <summary>Where this node may read sources from (<see cref="EtlEngineOptions.SourcesRoot"/>), resolved once.</summary>
    public SourceRoot Sources { get; } = SourceRoot.For(Options.SourcesRoot);

    /// <summary>Admits the HTTP requests of this node's jobs under each host's budget (shared across the cluster by the engine).</summary>
    public IRequestGate Gate { get; init; } = UnlimitedRequestGate.Instance;

    /// <summary>Slows this node's jobs' intake when its memory runs high; never, by default (a limit no process reaches).</summary>
    public MemoryGuard Memory { get; init; } = new(long.MaxValue, () => 0);
}

/// <summary>
/// One stream of a run: its loaders (children of the supervisor, one connection each) and the materialised
/// pipeline, which reports loaded batches to the supervisor through Sink.ActorRefWithAck so a checkpoint is
/// persisted before the next batch is acknowledged.
/// </summary>
internal sealed class JobRunStream : IDisposable
{
    public sealed record Started : INoSerializationVerificationNeeded;
    public sealed record Ack : INoSerializationVerificationNeeded;
    public sealed record Completed(int Run) : INoSerializationVerificationNeeded;
    public sealed record Failed(int Run, Exception Cause) : INoSerializationVerificationNeeded;

    /// <summary>Where a stream starts: the checkpoint's offset and the connector's position there.</summary>
    public sealed record From(long Offset, string? Position);

    private readonly IActorContext _context;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly CheckpointProgress _checkpoints;
    private UniqueKillSwitch? _intake;

    // At the stream's end, so that an abort fails the run at once even when the source has been read to its end
    // (the intake switch has completed by then) and batches wait on answers that will never come.
    private readonly SharedKillSwitch _abort = KillSwitches.Shared("abort");

    private JobRunStream(IActorContext context, long from)
    {
        _context = context;
        _checkpoints = new CheckpointProgress(from);
    }

    public IReadOnlyList<IActorRef> Loaders { get; private set; } = [];

    /// <summary>This stream's work per phase so far.</summary>
    public PhaseClock Clock { get; } = new();

    /// <summary>How much of the source its reader has read, when the connector knows the source's size.</summary>
    public SourceProgress Progress { get; } = new();

    /// <summary>Starts run <paramref name="run"/> of <paramref name="jobId"/> from <paramref name="from"/>; a failure to start arrives as <see cref="Failed"/>.</summary>
    public static JobRunStream Start(IActorContext context, JobSupervisorSetup setup, JobId jobId, JobSpec spec, From from, int run)
    {
        var stream = new JobRunStream(context, from.Offset);
        try
        {
            var connector = setup.Connectors.Get(spec.SourceKind);
            var path = connector.ReadsFiles ? Readable(setup, spec) : spec.SourcePath;
            var sink = setup.Options.ResolveSink(spec.Sink);
            // SQLite has one writer at a time: more loaders would only wait on its lock.
            var parallelism = sink.Kind == DatabaseKind.Sqlite ? 1 : Math.Max(1, setup.Options.LoadParallelism);
            stream.Loaders = Enumerable.Range(1, parallelism)
                .Select(i => context.ActorOf(BatchLoader.Props(() => SinkFactory.Create(sink), jobId, spec.TenantId), $"loader-{run}-{i}"))
                .ToList();
            var read = new SourceRead(path, from.Offset, spec.Mapping, from.Position)
            {
                TenantId = spec.TenantId,
                Gate = setup.Gate,
                Checkpoints = stream._checkpoints,
                Progress = stream.Progress,
            };
            var intake = new ThrottledIntake(setup.Memory, setup.Options.BatchSize, setup.Options.MaxBatchBytes);
            var pipeline = new JobPipeline.Run(jobId.Value, spec.TenantId, connector, read, stream.Clock, intake);
            stream._intake = JobPipeline.Create(pipeline, setup.Transformers, stream.Loaders, setup.Options, stream._cancellation.Token)
                .Via(stream._abort.Flow<BatchLoader.Loaded>())
                .ToMaterialized(
                    Sink.ActorRefWithAck<BatchLoader.Loaded>(context.Self, new Started(), new Ack(), new Completed(run), ex => new Failed(run, ex)),
                    Keep.Left)
                .Run(context.Materializer());
        }
        catch (Exception ex)
        {
            context.Self.Tell(new Failed(run, ex)); // the run fails visibly, the supervisor stays up
        }
        return stream;
    }

    // Checked on every run, not only when the job was accepted: a job recovered after a failover, or
    // accepted before this node had a sources root, must not read outside it either.
    private static string Readable(JobSupervisorSetup setup, JobSpec spec)
    {
        var admission = setup.Sources.Admit(spec.SourcePath);
        if (admission.PathToRead is not { } path)
            throw new SourceUnreadableException(admission.Refusal!);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new SourceUnreadableException(
                $"{spec.SourcePath}: file not found on node {setup.Node} (a job's source must be readable from every node: mount the sources volume at the same path on each)");
        return path;
    }

    /// <summary>Every record below <paramref name="checkpoint"/> is checkpointed: a paged reader may fetch on.</summary>
    public void Checkpointed(long checkpoint) => _checkpoints.Advance(checkpoint);

    /// <summary>Stops taking records; batches in flight still load and are acknowledged, then the stream completes.</summary>
    public void StopIntake() => _intake?.Shutdown();

    /// <summary>
    /// Fails the stream with <paramref name="cause"/> now, whether or not its source is read to the end: the batches in
    /// flight are dropped (the run restarts from its checkpoint, or fails).
    /// </summary>
    public void Abort(Exception cause) => _abort.Abort(cause);

    public void Dispose()
    {
        _intake?.Shutdown();
        _intake = null;
        _cancellation.Cancel();
        _cancellation.Dispose();
        foreach (var loader in Loaders)
            _context.Stop(loader);
        Loaders = [];
    }
}
