using System.Text;
using Akka.Actor;
using Akka.Configuration;
using EtlActors.Contracts.Jobs;
using EtlActors.Contracts.Serialization;
using EtlActors.Engine.Jobs;
using EtlActors.Engine.Serialization;
using EtlActors.Pipeline.Records;
using static EtlActors.Engine.Transform.TransformerProtocol;

namespace EtlActors.Engine.Tests.Serialization;

/// <summary>
/// A files job carries its mapping, and named-table rows cross the wire: both were added to existing messages as
/// optional trailing fields, so they round-trip, and what the previous release wrote (without them) still reads.
/// </summary>
public sealed class MappedJobSerializationTests : IDisposable
{
    private const string Mapping = "into: table\ntable: orders\nkey: [id]\ncolumns:\n  id: { from: id, type: int }\n";
    private static readonly JobId Job = new("files-0123456789ab");
    private static readonly JobSpec Spec = new("files", "/data/orders.csv", "sqlite:/data/etl.db", "acme", Mapping);
    private static readonly DateTimeOffset At = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);
    private static readonly TableShape Orders = new("orders", [new("id", ColumnType.Int), new("placed", ColumnType.Timestamp)], ["id"]);

    private readonly ActorSystem _system = ActorSystem.Create("mapped-serialization", ConfigurationFactory.Empty);
    private readonly EtlSerializer _serializer;
    private readonly ContractsSerializer _contracts;

    public MappedJobSerializationTests()
    {
        _serializer = new EtlSerializer((ExtendedActorSystem)_system);
        _contracts = new ContractsSerializer((ExtendedActorSystem)_system);
    }

    [Fact]
    public void A_job_spec_with_its_mapping_round_trips_in_commands_events_and_snapshots()
    {
        var start = (JobProtocol.StartJob)_contracts.FromBinary(_contracts.ToBinary(new JobProtocol.StartJob(Job, Spec)), "job.start.v1");
        var started = (JobEvents.JobStarted)_serializer.FromBinary(_serializer.ToBinary(new JobEvents.JobStarted(Job, Spec, 0, At)), "job.evt.started.v1");
        var queued = (JobEvents.JobQueued)_serializer.FromBinary(_serializer.ToBinary(new JobEvents.JobQueued(Spec, At)), "job.evt.queued.v1");

        Assert.Equal(Spec, start.Spec);
        Assert.Equal(Spec, started.Spec);
        Assert.Equal(Spec, queued.Spec);
        Assert.Equal(Mapping, started.Spec.Mapping);
    }

    [Fact]
    public void A_spec_written_before_mappings_reads_with_none()
    {
        var old = """{"jobId":{"value":"skype-1"},"spec":{"sourceKind":"skype","sourcePath":"/x.tar","sink":"sqlite:/e.db","tenantId":"acme"}}""";

        var start = (JobProtocol.StartJob)_contracts.FromBinary(Encoding.UTF8.GetBytes(old), "job.start.v1");

        Assert.Equal(new JobSpec("skype", "/x.tar", "sqlite:/e.db", "acme"), start.Spec);
        Assert.Null(start.Spec.Mapping);
    }

    [Fact]
    public void A_transform_batch_carries_the_mapping_and_its_rows_come_back_with_their_tables()
    {
        var batch = new TransformBatch("acme", "files", Job.Value, "bucket-3", At,
            [new ExtractedRecord(4, RecordKind.Message, "bucket-3", """{"file":"orders.csv","line":5}""")], Mapping);
        var rows = new TransformedBatch([], [], [], [], [],
            [new TableRowSet(Orders, [new TableRow("acme", "shop", ["7", null], 5, Job.Value), new TableRow("acme", "shop", ["8", "2026-01-01T00:00:00.0000000+00:00"], 6, Job.Value)])]);

        var batchCopy = (TransformBatch)_serializer.FromBinary(_serializer.ToBinary(batch), _serializer.Manifest(batch));
        var rowsCopy = (TransformedBatch)_serializer.FromBinary(_serializer.ToBinary(rows), _serializer.Manifest(rows));

        Assert.Equal(Mapping, batchCopy.Mapping);
        Assert.Equal(batch.Records, batchCopy.Records);
        var set = Assert.Single(rowsCopy.Tables!);
        Assert.Equal(Orders.Signature, set.Table.Signature);
        Assert.Equal([["7", null], ["8", "2026-01-01T00:00:00.0000000+00:00"]], set.Rows.Select(r => r.Values.ToArray()));
        Assert.Equal([5L, 6L], set.Rows.Select(r => r.SourceLine));
    }

    [Fact]
    public void Batches_of_the_previous_release_read_without_mapping_or_tables()
    {
        var batch = """{"tenantId":"acme","source":"skype","jobId":"j","conversationId":"c","extractedAt":"2026-11-29T08:00:00+00:00","records":[]}""";
        var rows = """{"conversations":[],"participants":[],"messages":[],"rawRecords":[],"quarantined":[]}""";

        var batchCopy = (TransformBatch)_serializer.FromBinary(Encoding.UTF8.GetBytes(batch), "transform.batch.v1");
        var rowsCopy = (TransformedBatch)_serializer.FromBinary(Encoding.UTF8.GetBytes(rows), "transform.result.v1");

        Assert.Null(batchCopy.Mapping);
        Assert.Null(rowsCopy.Tables);
    }

    [Fact]
    public void The_default_job_id_depends_on_the_mapping_only_when_there_is_one()
    {
        var skype = new JobSpec("skype", "/data/export.tar", "sqlite:/data/etl.db", "acme");

        Assert.Equal("skype-" + Sha("skype|/data/export.tar|sqlite:/data/etl.db|acme")[..12], JobId.DefaultFor(skype).Value); // unchanged for jobs without
        Assert.NotEqual(JobId.DefaultFor(Spec), JobId.DefaultFor(Spec with { Mapping = Mapping + "source: other\n" }));
        Assert.Equal(JobId.DefaultFor(Spec), JobId.DefaultFor(Spec with { }));
    }

    private static string Sha(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));
}
