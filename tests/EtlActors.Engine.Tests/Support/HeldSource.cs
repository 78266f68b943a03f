using System.Runtime.CompilerServices;
using System.Threading.Channels;
using EtlActors.Pipeline.Connectors;
using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Transform;

namespace EtlActors.Engine.Tests.Support;

/// <summary>
/// A connector whose records the test hands over one reading at a time: each run's read shows up as a
/// <see cref="Reading"/> the test can emit into, stall (by doing nothing), fail or complete. Messages are
/// spread over three conversations; a record whose payload is "bad" is quarantined. A paged one (like an HTTP
/// source) hands over pages whose records carry positions, and its path is a name, not a file.
/// </summary>
public sealed class HeldSource(bool paged = false) : ISourceConnector
{
    private readonly Channel<Reading> _readings = Channel.CreateUnbounded<Reading>();

    public string Kind => paged ? "held-pages" : "held";

    public bool ReadsPages => paged;

    public bool ReadsFiles => !paged;

    public bool Recognizes(SourceSample sample) => false;

    /// <summary>The next read a run starts; fails after <paramref name="within"/>.</summary>
    public async Task<Reading> NextReadingAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            return await _readings.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no run read the held source within {within.TotalSeconds:0.#} s");
        }
    }

    public async IAsyncEnumerable<ExtractedRecord> ReadAsync(SourceRead read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reading = new Reading(read.FromOffset) { Resume = read.Resume, Checkpoints = read.Checkpoints, Progress = read.Progress };
        _readings.Writer.TryWrite(reading);
        await foreach (var record in reading.Records.Reader.ReadAllAsync(cancellationToken))
            yield return record;
    }

    public void Normalize(ExtractedRecord record, TransformContext context, TransformResult into)
    {
        if (record.Payload == "bad")
        {
            into.Quarantined.Add(new QuarantineRow(context.JobId, record.Offset, "held_bad", "a bad record", record.Payload));
            return;
        }
        into.Conversations.Add(new ConversationRow(context.TenantId, context.Source, record.ConversationId, "group", record.ConversationId, null, null, null));
        into.Messages.Add(new MessageRow(context.TenantId, context.Source, record.ConversationId, $"m{record.Offset}", "u1", "User One",
            context.ExtractedAt, "Text", record.Payload, record.Payload, null, null, null, 1, context.JobId));
    }

    /// <summary>One run's read of the source, from <paramref name="FromOffset"/>.</summary>
    public sealed class Reading(long fromOffset)
    {
        private long _next = fromOffset;

        public long FromOffset { get; } = fromOffset;

        /// <summary>The position the run was given (see <see cref="EmitPage"/>).</summary>
        public string? Resume { get; init; }

        public ICheckpointProgress Checkpoints { get; init; } = CheckpointProgress.Immediate;

        /// <summary>Where the run takes how much of the source is read (see <see cref="ReadBytes"/>).</summary>
        public SourceProgress Progress { get; init; } = new();

        internal Channel<ExtractedRecord> Records { get; } = Channel.CreateUnbounded<ExtractedRecord>();

        /// <summary>Hands over <paramref name="count"/> records with <paramref name="payload"/>, at the next offsets.</summary>
        public Reading Emit(int count, string payload = "hello")
        {
            for (var i = 0; i < count; i++, _next++)
                Records.Writer.TryWrite(new ExtractedRecord(_next, RecordKind.Message, $"c{_next % 3}", payload));
            return this;
        }

        /// <summary>
        /// Hands over a page of <paramref name="count"/> records named <paramref name="page"/>: each carries the position
        /// <c>in-{page}</c>, its last one <c>after-{page}</c> and the page's end.
        /// </summary>
        public Reading EmitPage(int count, string page)
        {
            for (var i = 0; i < count; i++, _next++)
            {
                var position = new ReadPosition(i == count - 1 ? $"after-{page}" : $"in-{page}", EndsPage: i == count - 1);
                Records.Writer.TryWrite(new ExtractedRecord(_next, RecordKind.Message, $"c{_next % 3}", "hello", Position: position));
            }
            return this;
        }

        /// <summary>Says, as a file reader would, that <paramref name="read"/> of the source's <paramref name="length"/> bytes are read.</summary>
        public Reading ReadBytes(long read, long length)
        {
            Progress.Report(read, length);
            return this;
        }

        public void Complete() => Records.Writer.TryComplete();

        public void Fail(Exception cause) => Records.Writer.TryComplete(cause);
    }
}
