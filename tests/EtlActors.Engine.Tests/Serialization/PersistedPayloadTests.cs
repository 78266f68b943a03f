using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Serialization;
using EtlActors.Contracts.Jobs;
using EtlActors.Engine.Jobs;
using EtlActors.Engine.Registry;
using EtlActors.Engine.Serialization;

namespace EtlActors.Engine.Tests.Serialization;

/// <summary>
/// What journals and snapshot stores written by an earlier release hold, read by this one. Payloads/v1 has one
/// payload per persisted manifest (<c>&lt;manifest&gt;.json</c>): the bytes EtlSerializer wrote at 3e753e7 for an
/// instance with every optional field set. Each is read back through the actor system's serialization, as the
/// journal reads it (serializer id and manifest), and checked field by field, so a renamed or retyped property,
/// whose field would silently read as its default, fails here. Never regenerate these files: a new optional
/// field keeps its manifest (an old payload reads it as its default), and a breaking change gets a .v2 manifest
/// whose payload is checked in beside these, which stay.
/// </summary>
public sealed class PersistedPayloadTests : IDisposable
{
    private static readonly string PayloadsRoot = Path.Combine(AppContext.BaseDirectory, "Serialization", "Payloads");
    private static readonly string PayloadsV1 = Path.Combine(PayloadsRoot, "v1");

    /// <summary>Manifests of what the journal and snapshot store keep (the others only cross the wire).</summary>
    private static readonly string[] PersistedPrefixes = ["job.evt.", "job.snapshot.", "registry.evt.", "registry.snapshot."];

    private static readonly JobSpec Spec = new("skype", "/srv/etl/sources/acme/skype-export.tar", "postgresql://etl@db.internal:5432/etl", "acme");
    private static readonly JobTotals Totals = new(Conversations: 412, Participants: 1_873, Messages: 1_000_000, Quarantined: 12);

    private readonly ActorSystem _system = ActorSystem.Create("persisted-payloads", BootstrapSetup.Create()
        .WithConfig(ConfigurationFactory.ParseString("akka.loglevel = WARNING"))
        .And(SerializationSetup.Create(system =>
            [SerializerDetails.Create("etl", new EtlSerializer(system), [.. EtlSerializer.BoundTypes])])));

    /// <summary>What each checked-in payload must read back as.</summary>
    private static readonly Dictionary<string, Action<object>> Expected = new()
    {
        ["job.evt.started.v1"] = o =>
        {
            var e = Assert.IsType<JobEvents.JobStarted>(o);
            Assert.Equal(new JobId("skype-3f9a6c2e81d4"), e.JobId);
            Assert.Equal(Spec, e.Spec);
            Assert.Equal(20_000, e.FromOffset);
            Assert.Equal(At("2026-11-23T19:04:05.1234567+00:00"), e.At);
            AssertSource(e.Source);
        },
        ["job.evt.checkpoint.v1"] = o =>
        {
            var e = Assert.IsType<JobEvents.CheckpointAdvanced>(o);
            Assert.Equal(30_000, e.Checkpoint);
            Assert.Equal(12, e.Quarantined);
            Assert.Equal(At("2026-11-23T19:05:10.7654321+00:00"), e.At);
        },
        ["job.evt.completed.v1"] = o =>
        {
            var e = Assert.IsType<JobEvents.JobCompleted>(o);
            AssertTotals(e.Totals);
            Assert.Equal(At("2026-11-23T19:20:00.0000009+00:00"), e.At);
        },
        ["job.evt.failed.v1"] = o =>
        {
            var e = Assert.IsType<JobEvents.JobFailed>(o);
            Assert.Equal(
                "/srv/etl/sources/acme/skype-export.tar: the tar archive is truncated: its entry 'messages.json' declares 15560 bytes but only 100 follow its header",
                e.Reason);
            Assert.Equal(At("2026-11-23T19:06:00.5+00:00"), e.At);
        },
        ["job.evt.paused.v1"] = o => Assert.Equal(At("2026-11-23T19:07:00.25+00:00"), Assert.IsType<JobEvents.JobPaused>(o).At),
        ["job.evt.queued.v1"] = o =>
        {
            var e = Assert.IsType<JobEvents.JobQueued>(o);
            Assert.Equal(Spec, e.Spec);
            Assert.Equal(At("2026-11-23T19:03:00.125+00:00"), e.At);
        },
        ["job.evt.cancelled.v1"] = o => Assert.Equal(At("2026-11-23T19:08:00.0625+00:00"), Assert.IsType<JobEvents.JobCancelled>(o).At),
        ["job.snapshot.v1"] = o =>
        {
            // Every optional field set (not a state one run reaches), so that none goes unread.
            var s = Assert.IsType<JobSupervisorState>(o);
            Assert.Equal(new JobId("skype-3f9a6c2e81d4"), s.JobId);
            Assert.Equal(JobState.Failed, s.State);
            Assert.Equal(Spec, s.Spec);
            Assert.Equal(30_000, s.Checkpoint);
            Assert.Equal(12, s.Quarantined);
            Assert.Equal("PostgreSQL: password authentication failed for user \"etl\" (28P01)", s.Error);
            Assert.Equal(At("2026-11-23T19:04:05.1234567+00:00"), s.StartedAt);
            Assert.Equal(At("2026-11-23T19:06:00.5+00:00"), s.FinishedAt);
            AssertTotals(s.Totals);
            AssertSource(s.Source);
            Assert.Equal(At("2026-11-23T19:05:10.7654321+00:00"), s.LastCheckpointAt);
            Assert.Equal(30_000, s.ResumeOffset); // written too, but derived: it reads back from the checkpoint
        },
        ["registry.evt.recorded.v1"] = o => AssertAcmeStatus(Assert.IsType<JobRegistryState.JobRecorded>(o).Status),
        ["registry.snapshot.v1"] = o =>
        {
            var s = Assert.IsType<JobRegistryState>(o);
            Assert.Equal(9, s.NextOrder);
            Assert.Equal(["skype-0b1c2d3e4f5a", "skype-3f9a6c2e81d4"], s.Jobs.Keys.Order(StringComparer.Ordinal));
            var acme = s.Jobs["skype-3f9a6c2e81d4"];
            Assert.Equal(7, acme.Order);
            AssertAcmeStatus(acme.Status);
            var globex = s.Jobs["skype-0b1c2d3e4f5a"];
            Assert.Equal(8, globex.Order);
            AssertGlobexStatus(globex.Status);
            // The rules work on what was read: the tenant comes from each entry's spec.
            Assert.Equal(1, s.RunningCount("acme"));
            Assert.Equal([globex], s.Queue("globex"));
        },
    };

    public static TheoryData<string> Manifests() => [.. Expected.Keys];

    [Theory]
    [MemberData(nameof(Manifests))]
    public void A_v1_payload_reads_back_with_every_field(string manifest)
    {
        var bytes = File.ReadAllBytes(Path.Combine(PayloadsV1, manifest + ".json"));

        var read = _system.Serialization.Deserialize(bytes, EtlSerializer.SerializerId, manifest);

        Expected[manifest](read);
        // This release still writes the type with the same serializer under the same manifest.
        var serializer = _system.Serialization.FindSerializerFor(read);
        Assert.Equal(EtlSerializer.SerializerId, serializer.Identifier);
        Assert.Equal(manifest, Akka.Serialization.Serialization.ManifestFor(serializer, read));
    }

    [Fact]
    public void Every_persisted_manifest_has_a_checked_in_payload()
    {
        var serializer = Assert.IsType<EtlSerializer>(_system.Serialization.FindSerializerForType(typeof(JobSupervisorState)));
        var persisted = EtlSerializer.BoundTypes
            .Select(t => ManifestOf(serializer, t))
            .Where(m => PersistedPrefixes.Any(p => m.StartsWith(p, StringComparison.Ordinal)))
            .ToHashSet();
        // The persisted types themselves, so one bound under an unexpected name is not missed.
        Type[] persistedTypes = [.. typeof(JobEvents).GetNestedTypes(), typeof(JobSupervisorState), typeof(JobRegistryState), typeof(JobRegistryState.JobRecorded)];
        Assert.All(persistedTypes, t => Assert.Contains(ManifestOf(serializer, t), persisted));

        var missing = persisted
            .Where(m => Directory.GetFiles(PayloadsRoot, m + ".json", SearchOption.AllDirectories).Length == 0)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(missing.Count == 0,
            $"persisted manifests without a checked-in payload: {string.Join(", ", missing)}. Serialize an instance with every optional field set "
            + "into tests/EtlActors.Engine.Tests/Serialization/Payloads/<release>/<manifest>.json and say in PersistedPayloadTests what it reads back as.");
        Assert.All(persisted.Where(m => File.Exists(Path.Combine(PayloadsV1, m + ".json"))), m => Assert.Contains(m, Expected.Keys));
    }

    [Fact]
    public void Every_checked_in_v1_payload_is_a_persisted_manifest_with_its_expected_values()
    {
        var files = Directory.GetFiles(PayloadsV1, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal);

        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), files);
    }

    private static string ManifestOf(SerializerWithStringManifest serializer, Type type) =>
        serializer.Manifest(RuntimeHelpers.GetUninitializedObject(type)); // the manifest depends on the type alone

    private static void AssertAcmeStatus(JobStatus status)
    {
        Assert.Equal(new JobId("skype-3f9a6c2e81d4"), status.JobId);
        Assert.Equal(JobState.Running, status.State);
        Assert.Equal(Spec, status.Spec);
        Assert.Equal(30_000, status.Checkpoint);
        Assert.Equal(31_250, status.Processed);
        Assert.Equal(12, status.Quarantined);
        Assert.Equal("retrying after: PostgreSQL: connection refused (attempt 1 of 12)", status.Error);
        Assert.Equal(At("2026-11-23T19:04:05.1234567+00:00"), status.StartedAt);
        Assert.Equal(At("2026-11-23T19:30:00.0000001+00:00"), status.FinishedAt);
        AssertTotals(status.Totals);
        Assert.Equal("10.0.0.7:4053", status.Node);
        Assert.Equal(17_903.5, status.RecordsPerSecond);
        Assert.Equal(At("2026-11-23T19:05:10.7654321+00:00"), status.LastCheckpointAt);
        Assert.Equal(["2026-11-23 19:05:00Z PostgreSQL: connection refused", "2026-11-23 19:05:02Z PostgreSQL: connection refused"], status.RecentErrors!);
    }

    private static void AssertGlobexStatus(JobStatus status)
    {
        Assert.Equal(new JobId("skype-0b1c2d3e4f5a"), status.JobId);
        Assert.Equal(JobState.Pending, status.State);
        Assert.Equal(new JobSpec("skype", "/srv/etl/sources/globex/export.tar", "sqlite:/var/lib/etl/globex.db", "globex"), status.Spec);
        Assert.Equal(2_000, status.Checkpoint);
        Assert.Equal(2_500, status.Processed);
        Assert.Equal(3, status.Quarantined);
        Assert.Equal("PostgreSQL: the database system is starting up (57P03)", status.Error);
        Assert.Equal(At("2026-11-22T08:00:00.5+00:00"), status.StartedAt);
        Assert.Equal(At("2026-11-22T08:10:00.25+00:00"), status.FinishedAt);
        Assert.Equal(new JobTotals(1, 2, 3, 4), status.Totals);
        Assert.Equal("10.0.0.8:4053", status.Node);
        Assert.Equal(250.25, status.RecordsPerSecond);
        Assert.Equal(At("2026-11-22T08:09:00.125+00:00"), status.LastCheckpointAt);
        Assert.Equal(["2026-11-22 08:09:30Z SQLite: database is locked"], status.RecentErrors!);
    }

    private static void AssertTotals(JobTotals? totals)
    {
        Assert.NotNull(totals);
        Assert.Equal(412, totals.Conversations);
        Assert.Equal(1_873, totals.Participants);
        Assert.Equal(1_000_000, totals.Messages);
        Assert.Equal(12, totals.Quarantined);
    }

    private static void AssertSource(SourceFingerprint? source)
    {
        Assert.NotNull(source);
        Assert.Equal(452_198_400, source.Length);
        Assert.Equal(new DateTime(2026, 11, 1, 8, 30, 15, 500, DateTimeKind.Utc), source.LastWriteUtc);
        Assert.Equal(DateTimeKind.Utc, source.LastWriteUtc.Kind);
    }

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    public void Dispose() => _system.Terminate().Wait();
}
