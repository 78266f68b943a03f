using System.Text;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using EtlActors.Contracts.Jobs;
using EtlActors.Contracts.Security;
using EtlActors.Contracts.Serialization;
using EtlActors.Engine.Jobs;
using EtlActors.Engine.Registry;
using EtlActors.Engine.Serialization;
using EtlActors.Pipeline.Records;
using static EtlActors.Engine.Transform.TransformerProtocol;

namespace EtlActors.Engine.Tests.Serialization;

public sealed class EtlSerializerTests : IDisposable
{
    private static readonly JobId Job = new("skype-0123456789ab");
    private static readonly JobSpec Spec = new("skype", "/data/export.tar", "postgresql://etl@db:5432/etl", "acme");
    private static readonly DateTimeOffset At = new(2026, 11, 23, 19, 0, 0, TimeSpan.Zero);

    private static readonly JobStatus RichStatus = new(
        Job, JobState.Running, Spec, 10_000, 12_345, 7, "retrying after: PostgreSQL: connection refused", At, null, null, "10.0.0.7:4053",
        RecordsPerSecond: 1234.5, LastCheckpointAt: At.AddMinutes(1), RecentErrors: ["2026-11-23 19:01:00Z PostgreSQL: connection refused"]);

    private readonly ActorSystem _system = ActorSystem.Create("serializer-spec", ConfigurationFactory.Empty);
    private readonly EtlSerializer _serializer;
    private readonly ContractsSerializer _contracts;

    public EtlSerializerTests()
    {
        _serializer = new EtlSerializer((ExtendedActorSystem)_system);
        _contracts = new ContractsSerializer((ExtendedActorSystem)_system);
    }

    public static TheoryData<object> Messages() =>
    [
        new JobProtocol.StartJob(Job, Spec),
        new JobProtocol.JobAccepted(Job, 10_000),
        new JobProtocol.GetJob(Job),
        new JobProtocol.PauseJob(Job),
        new JobProtocol.ResumeJob(Job),
        new JobProtocol.CancelJob(Job),
        new JobProtocol.JobAccepted(Job, 0, JobState.Pending),
        new JobProtocol.JobRejected(Job, JobState.Completed, "job 'x' has completed; nothing to cancel"),
        new JobProtocol.ListJobs(JobState.Running, "acme"),
        new JobProtocol.ListJobs(),
        new JobProtocol.JobList([RichStatus]),
        JobProgress.Of(RichStatus),
        RichStatus,
        new JobStatus(Job, JobState.Failed, Spec, 10_000, 12_345, 7, "PostgreSQL: connection refused", At, At.AddMinutes(3), new JobTotals(1, 2, 3, 4), "10.0.0.7:4053"),
        new JobEvents.JobStarted(Job, Spec, 500, At),
        new JobEvents.JobStarted(Job, Spec, 500, At, new SourceFingerprint(480_000_000, new DateTime(2026, 11, 1, 8, 0, 0, DateTimeKind.Utc))),
        new JobEvents.JobPaused(At),
        new JobEvents.JobQueued(Spec, At),
        new JobEvents.JobCancelled(At),
        new JobRegistryState.JobRecorded(RichStatus),
        JobRegistryState.Empty.Apply(new JobRegistryState.JobRecorded(RichStatus)),
        new JobRegistry.AcquireSlot(RichStatus with { State = JobState.Pending }),
        new JobRegistry.SlotGranted(Job),
        new JobRegistry.SlotQueued(Job, 2),
        new JobEvents.CheckpointAdvanced(20_000, 12, At),
        new JobEvents.CheckpointAdvanced(20_000, 12, At, "{\"r\":\"calls\"}", new JobPhases(new PhaseStats(20_012, 3.5, 1), new PhaseStats(20_012, 9.25, 12), new PhaseStats(20_000, 6.125, 0))),
        new JobEvents.JobCompleted(new JobTotals(4, 7, 31, 1), At),
        new JobEvents.JobFailed("samples/x.tar: line 3, byte 7: unexpected end of data", At),
        new JobSupervisorState(Job, JobState.Running, Spec, 42, 1, null, At, null, null),
        new TransformBatch("acme", "skype", Job.Value, "8:live:bob", At,
            [new ExtractedRecord(7, RecordKind.Message, "8:live:bob", """{"id":"1","content":"hi"}""")]),
        // A Slack record carries hints from the reader (its file, the names of the users it mentions).
        new TransformBatch("acme", "slack", Job.Value, "C01", At,
            [new ExtractedRecord(8, RecordKind.Message, "C01", """{"ts":"1.2","text":"<@U1>"}""",
                new Dictionary<string, string> { ["file"] = "general/2024-01-01.json", ["@U1"] = "Alice" })]),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_bound_message_round_trips_with_a_stable_manifest(object message)
    {
        SerializerWithStringManifest serializer = ContractsSerializer.BoundTypes.Contains(message.GetType()) ? _contracts : _serializer;
        var manifest = serializer.Manifest(message);
        var copy = serializer.FromBinary(serializer.ToBinary(message), manifest);

        Assert.EndsWith(".v1", manifest);
        Assert.Equal(message.GetType(), copy.GetType());
        Assert.Equal(Canonical(message), Canonical(copy));
        // Precompiled metadata writes what reflection wrote, to the byte: journals and older nodes read it alike.
        Assert.Equal(Canonical(message), Encoding.UTF8.GetString(serializer.ToBinary(message)));
    }

    [Fact]
    public void Every_bound_type_has_precompiled_metadata_so_that_no_process_builds_it_by_reflection()
    {
        var contractsMetadata = (IJsonTypeInfoResolver)typeof(ContractsSerializer).Assembly
            .GetType("EtlActors.Contracts.Serialization.ContractsJsonContext", throwOnError: true)!
            .GetProperty("Default")!.GetValue(null)!;
        var missing = EtlSerializer.BoundTypes.Where(t => EngineJsonContext.Default.GetTypeInfo(t) is null)
            .Concat(ContractsSerializer.BoundTypes.Where(t => t != typeof(SecurityProtocol.Authenticated)
                && contractsMetadata.GetTypeInfo(t, ManifestJsonSerializer.Json) is null))
            .Select(t => t.FullName);

        Assert.Empty(missing);
    }

    [Fact]
    public void A_transformed_batch_round_trips_with_every_row()
    {
        var batch = new TransformedBatch(
            [new ConversationRow("acme", "skype", "19:a@thread.skype", "group", "Team", "Plans", 3, """{"properties":null}""")],
            [new ParticipantRow("acme", "skype", "8:live:bob", "Bob", At)],
            [
                new MessageRow("acme", "skype", "19:a@thread.skype", "1", "8:live:bob", "Bob", At, "RichText", "hi", "<b>hi</b>", null, At, null, 99, Job.Value),
                new MessageRow("acme", "slack", "C01", "1.2", "U1", "Alice", At, "message", "hi", "hi", null, null, null, 0, Job.Value, ThreadId: "1.1"),
            ],
            [new RawRecordRow("acme", "skype", "message/19:a@thread.skype/1", """{"id":"1"}""", Job.Value, At)],
            [new QuarantineRow(Job.Value, 8, "missing_message_id", "message has no 'id'", "{}")]);

        var copy = (TransformedBatch)_serializer.FromBinary(_serializer.ToBinary(batch), _serializer.Manifest(batch));

        Assert.Equal(batch.Conversations, copy.Conversations);
        Assert.Equal(batch.Participants, copy.Participants);
        Assert.Equal(batch.Messages, copy.Messages);
        Assert.Equal(batch.RawRecords, copy.RawRecords);
        Assert.Equal(batch.Quarantined, copy.Quarantined);
    }

    [Fact]
    public void A_reply_that_leaves_out_echoed_payloads_round_trips_and_gets_each_back_from_the_batch_it_answers()
    {
        ExtractedRecord[] records =
        [
            new(7, RecordKind.Message, "19:a@thread.skype", """{"id":"1","content":"<b>hi</b>"}"""),
            new(8, RecordKind.Message, "19:a@thread.skype", """{"id":"2"}"""),
        ];
        var reply = new TransformedBatch([], [], [],
            [
                new RawRecordRow("acme", "skype", "message/19:a@thread.skype/2", "", Job.Value, At),
                new RawRecordRow("acme", "files", "rows/1", """{"kept":true}""", Job.Value, At),
                new RawRecordRow("acme", "skype", "message/19:a@thread.skype/1", "", Job.Value, At),
            ], [], EchoOf: [1, -1, 0]);

        var copy = (TransformedBatch)_serializer.FromBinary(_serializer.ToBinary(reply), _serializer.Manifest(reply));
        var restored = copy.WithEchoes(records);

        Assert.Equal([1, -1, 0], copy.EchoOf!);
        Assert.Equal(["""{"id":"2"}""", """{"kept":true}""", """{"id":"1","content":"<b>hi</b>"}"""], restored.RawRecords.Select(r => r.Payload));
        Assert.Null(restored.EchoOf);
    }

    [Fact]
    public void A_batch_and_a_reply_of_the_previous_release_read_as_sending_no_echoes()
    {
        var batch = (TransformBatch)_serializer.FromBinary(Encoding.UTF8.GetBytes(
            """{"tenantId":"acme","source":"skype","jobId":"j","conversationId":"c","extractedAt":"2026-11-23T19:00:00+00:00","records":[],"mapping":null}"""),
            "transform.batch.v1");
        var reply = (TransformedBatch)_serializer.FromBinary(Encoding.UTF8.GetBytes(
            """{"conversations":[],"participants":[],"messages":[],"rawRecords":[{"tenantId":"acme","source":"skype","recordKey":"k","payload":"{}","jobId":"j","extractedAt":"2026-11-23T19:00:00+00:00"}],"quarantined":[],"tables":null}"""),
            "transform.result.v1");

        Assert.False(batch.SendsEchoes);
        Assert.Null(reply.EchoOf);
        Assert.Equal("{}", reply.WithEchoes([]).RawRecords.Single().Payload);
    }

    [Fact]
    public void Text_is_written_unescaped_where_JSON_allows_and_the_escaped_form_of_earlier_releases_still_reads()
    {
        var batch = new TransformBatch("acme", "skype", Job.Value, "8:live:bob", At,
            [new ExtractedRecord(7, RecordKind.Message, "8:live:bob", """{"content":"<b>Grüße</b> & 'bye' 😀"}""")]);

        var bytes = _serializer.ToBinary(batch);
        var escaped = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(batch, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)
        {
            Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        });

        // Characters beyond the BMP (the emoji) stay escaped as surrogate pairs even so.
        Assert.Contains("<b>Grüße</b> & 'bye' \\uD83D\\uDE00", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Contains("\\u003Cb\\u003EGr\\u00FC\\u00DFe", Encoding.UTF8.GetString(escaped), StringComparison.Ordinal);
        Assert.True(bytes.Length < escaped.Length);
        Assert.Equal(batch.Records.Single(), ((TransformBatch)_serializer.FromBinary(escaped, "transform.batch.v1")).Records.Single());
    }

    [Fact]
    public void Every_job_message_of_the_contracts_is_bound()
    {
        var contracts = typeof(IWithJobId).Assembly.GetTypes()
            .Where(t => typeof(IWithJobId).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false });
        Assert.All(contracts, t => Assert.Contains(t, ContractsSerializer.BoundTypes));
    }

    [Fact]
    public void Every_persisted_event_is_bound()
    {
        var events = typeof(JobEvents).GetNestedTypes();
        Assert.NotEmpty(events);
        Assert.All(events, t => Assert.Contains(t, EtlSerializer.BoundTypes));
    }

    [Fact]
    public void Every_message_between_nodes_of_the_registry_is_bound()
    {
        var messages = typeof(JobRegistry).GetNestedTypes().Where(t => t.IsPublic || t.IsNestedPublic);
        Assert.All(messages, t => Assert.Contains(t, EtlSerializer.BoundTypes));
        Assert.Contains(typeof(JobRegistryState.JobRecorded), EtlSerializer.BoundTypes);
    }

    [Fact]
    public void A_status_from_a_node_without_the_node_field_still_reads()
    {
        // An older node's reply: the optional field added later is simply absent.
        var json = """{"jobId":{"value":"j1"},"state":"Running","checkpoint":5,"processed":6,"quarantined":0}"""u8.ToArray();

        var status = (JobStatus)_contracts.FromBinary(json, "job.status.v1");

        Assert.Equal(JobState.Running, status.State);
        Assert.Null(status.Node);
    }

    [Fact]
    public void A_status_carries_the_share_read_to_a_client_and_a_node_that_knows_nothing_of_it_skips_it()
    {
        var status = new JobStatus(new JobId("j1"), JobState.Running, null, 5, 6, 0, null, null, null, null, RecordsPerSecond: 3) { ReadFraction = 0.375 };

        var bytes = _contracts.ToBinary(status);
        var read = (JobStatus)_contracts.FromBinary(bytes, _contracts.Manifest(status));
        Assert.Equal(0.375, read.ReadFraction);

        // What an older node or client does with it: System.Text.Json skips a property its type does not have.
        var older = System.Text.Json.JsonSerializer.Deserialize<OlderStatus>(bytes, ManifestJsonSerializer.Json)!;
        Assert.Equal(6, older.Processed);
    }

    private sealed record OlderStatus(JobId JobId, JobState State, long Checkpoint, long Processed, long Quarantined);

    [Fact]
    public void The_engine_and_the_contracts_serializers_have_distinct_ids_and_no_shared_type()
    {
        Assert.NotEqual(_serializer.Identifier, _contracts.Identifier);
        Assert.Empty(EtlSerializer.BoundTypes.Intersect(ContractsSerializer.BoundTypes));
    }

    [Fact]
    public void An_unknown_manifest_fails_with_a_clear_message()
    {
        var ex = Assert.ThrowsAny<Exception>(() => _serializer.FromBinary("{}"u8.ToArray(), "job.evt.started.v9"));
        Assert.Contains("unknown manifest 'job.evt.started.v9'", ex.Message);
    }

    // Records with list members compare lists by reference; JSON text compares by content.
    private static string Canonical(object o) => System.Text.Json.JsonSerializer.Serialize(o, o.GetType(), ManifestJsonSerializer.Json);

    public void Dispose() => _system.Terminate().Wait();
}
