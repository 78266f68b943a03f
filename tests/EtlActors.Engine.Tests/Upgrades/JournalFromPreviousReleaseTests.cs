using System.Globalization;
using System.Security.Cryptography;
using Akka.Actor;
using EtlActors.Contracts.Jobs;
using EtlActors.Engine.Jobs;
using EtlActors.Engine.Tests.Support;
using EtlActors.Testing;
using Microsoft.Data.Sqlite;
using static EtlActors.Contracts.Jobs.JobProtocol;

namespace EtlActors.Engine.Tests.Upgrades;

/// <summary>
/// Users who upgrade keep their jobs: a SQLite journal and sink written by the previous release
/// (TestData/upgrade-v1, see its README: commit 3e753e7) recover in this one, with a paused, a failed and
/// a completed job and the job registry's list, and the paused job resumes from its checkpoint to the
/// rows an uninterrupted run gives.
/// </summary>
/// <remarks>
/// Job specs hold absolute paths, so the data is laid out again in the fixed folder it was written in;
/// a lock file keeps two test runs on one machine from sharing that folder.
/// </remarks>
public abstract class JournalFromPreviousReleaseTests : IAsyncLifetime
{
    /// <summary>A node's engine (the previous release's `etl run` was a one-node cluster too).</summary>
    public sealed class OnANode : JournalFromPreviousReleaseTests
    {
        protected override EngineTopology Topology => EngineTopology.Cluster;
    }

    /// <summary>`etl run`'s engine of one process, which no longer forms a cluster: the journal it meets was written by one.</summary>
    public sealed class InEtlRun : JournalFromPreviousReleaseTests
    {
        protected override EngineTopology Topology => EngineTopology.SingleProcess;
    }

    protected abstract EngineTopology Topology { get; }

    private const string Folder = "/tmp/etlactors-upgrade-v1";
    private const string SinkFile = Folder + "/etl.db";
    private const string JournalFile = Folder + "/etl.journal.db";
    private const string PausedExport = Folder + "/paused-export.tar";
    private static readonly string Data = Path.Combine(AppContext.BaseDirectory, "TestData", "upgrade-v1");
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);

    // As recorded in TestData/upgrade-v1/README.md when the previous release wrote the data.
    private static readonly DateTime SourcesLastWritten = new(2026, 11, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly SyntheticExportOptions PausedExportOptions = new(Messages: 2000, Conversations: 10, Seed: 20261129);
    private const long PausedExportLength = 956_416;
    private const string PausedExportSha256 = "82cadc83ebc4958896acd54fbed108666af3e53e03a0ce0d79674246c77c8cac";

    private static readonly JobId Paused = new("upgrade-v1-paused");
    private static readonly JobSpec PausedSpec = new("skype", PausedExport, "sqlite:" + SinkFile, "upgrade-paused");
    private const long PausedCheckpoint = 676;

    private static readonly JobId Failed = new("upgrade-v1-failed");
    private static readonly JobSpec FailedSpec = new("skype", Folder + "/truncated-export.tar", "sqlite:" + SinkFile, "upgrade-broken");
    private const string FailedReason =
        "/tmp/etlactors-upgrade-v1/truncated-export.tar: the tar archive is truncated: its entry 'messages.json' declares 15560 bytes but only 100 follow its header";

    private static readonly JobId Completed = new("upgrade-v1-completed");
    private static readonly JobSpec CompletedSpec = new("skype", Folder + "/skype-export.tar", "sqlite:" + SinkFile, "upgrade-sample");
    private static readonly JobTotals CompletedTotals = new(Conversations: 4, Participants: 6, Messages: 27, Quarantined: 0);

    private readonly string _scratch = Directory.CreateTempSubdirectory("etl-upgrade-").FullName;
    private FileStream? _folderLock;
    private EngineHost? _engine;

    private EngineHost Engine => _engine!;

    public async Task InitializeAsync()
    {
        _folderLock = await Eventually.UntilAsync(
            () => Task.FromResult(TryLockFolder()), l => l is not null, TimeSpan.FromMinutes(5),
            $"{Folder} free of another run of these tests", every: TimeSpan.FromMilliseconds(500));
        LayOutPreviousRelease();
        _engine = await EngineHost.StartAsync(new EtlEngineOptions
        {
            Journal = "sqlite:" + JournalFile,
            BatchSize = 100,
            CheckpointInterval = 500,
        }, Topology);
    }

    [Fact]
    public async Task Jobs_written_by_the_previous_release_recover_paused_failed_and_completed()
    {
        var paused = await GetAsync(Paused);
        var failed = await GetAsync(Failed);
        var completed = await GetAsync(Completed);

        // Recovered from a job.snapshot.v1 (at sequence number 100, checkpoint 490) and the 39 events after it.
        Assert.Equal(JobState.Paused, paused.State);
        Assert.Equal(PausedSpec, paused.Spec);
        Assert.Equal(PausedCheckpoint, paused.Checkpoint);
        Assert.Equal(PausedCheckpoint, paused.Processed);
        Assert.Equal(0, paused.Quarantined);
        Assert.Null(paused.Error);
        Assert.Null(paused.Totals);
        Assert.Equal(At("2026-11-29T05:00:38.2713+00:00"), paused.StartedAt);
        Assert.Equal(At("2026-11-29T05:00:42.5453317+00:00"), paused.FinishedAt);
        Assert.Equal(At("2026-11-29T05:00:42.5456536+00:00"), paused.LastCheckpointAt);

        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal(FailedSpec, failed.Spec);
        Assert.Equal(FailedReason, failed.Error);
        Assert.Equal(0, failed.Checkpoint);
        Assert.Null(failed.Totals);
        Assert.Equal(At("2026-11-29T05:00:38.0452695+00:00"), failed.StartedAt);
        Assert.Equal(At("2026-11-29T05:00:38.0767195+00:00"), failed.FinishedAt);

        Assert.Equal(JobState.Completed, completed.State);
        Assert.Equal(CompletedSpec, completed.Spec);
        Assert.Equal(CompletedTotals, completed.Totals);
        Assert.Equal(31, completed.Checkpoint);
        Assert.Null(completed.Error);
        Assert.Equal(At("2026-11-29T05:00:36.5540459+00:00"), completed.StartedAt);
        Assert.Equal(At("2026-11-29T05:00:37.9058158+00:00"), completed.FinishedAt);
        Assert.Equal(At("2026-11-29T05:00:37.9058158+00:00"), completed.LastCheckpointAt);
    }

    [Fact]
    public async Task The_job_list_written_by_the_previous_release_holds_all_three_jobs()
    {
        // Asked once, not until it fills up: the list comes from the registry's journal, not from reports.
        var all = await Engine.Jobs.Ask<JobList>(new ListJobs(), Within);

        // Newest first: the order the registry persisted survives too.
        Assert.Equal(
            [(Paused, JobState.Paused), (Failed, JobState.Failed), (Completed, JobState.Completed)],
            all.Jobs.Select(j => (j.JobId, j.State)));
        var (paused, failed, completed) = (all.Jobs[0], all.Jobs[1], all.Jobs[2]);
        Assert.Equal(PausedSpec, paused.Spec);
        Assert.Equal(PausedCheckpoint, paused.Checkpoint);
        Assert.Equal(At("2026-11-29T05:00:42.5453317+00:00"), paused.FinishedAt);
        Assert.Equal(FailedSpec, failed.Spec);
        Assert.Equal(FailedReason, failed.Error);
        Assert.Equal(CompletedSpec, completed.Spec);
        Assert.Equal(CompletedTotals, completed.Totals);
        Assert.Equal(At("2026-11-29T05:00:36.5540459+00:00"), completed.StartedAt);

        // The filters work on the recovered entries (the tenant comes from each recorded spec).
        var pausedOfTenant = await Engine.Jobs.Ask<JobList>(new ListJobs(JobState.Paused, "upgrade-paused"), Within);
        Assert.Equal([Paused], pausedOfTenant.Jobs.Select(j => j.JobId));
        var failedOfOtherTenant = await Engine.Jobs.Ask<JobList>(new ListJobs(JobState.Failed, "upgrade-paused"), Within);
        Assert.Empty(failedOfOtherTenant.Jobs);
    }

    [Fact]
    public async Task The_paused_job_resumes_from_its_checkpoint_and_ends_with_the_rows_of_an_uninterrupted_run()
    {
        // The sink as the previous release left it: exactly the records below the checkpoint.
        Assert.Equal(PausedCheckpoint, await CountAsync(SinkFile, "raw_records", PausedSpec.TenantId));
        var reference = Path.Combine(_scratch, "reference.db");
        var referenceJob = new JobId("upgrade-v1-reference");

        var resumed = (JobStatus)await Engine.Jobs.Ask<object>(new ResumeJob(Paused), Within);
        var started = (JobAccepted)await Engine.Jobs.Ask<object>(new StartJob(referenceJob, PausedSpec with { Sink = "sqlite:" + reference }), Within);
        var done = await Engine.WaitUntilFinishedAsync(Paused, Within);
        var uninterrupted = await Engine.WaitUntilFinishedAsync(referenceJob, Within);

        Assert.Equal(JobState.Running, resumed.State);
        Assert.Equal(PausedCheckpoint, resumed.Checkpoint);
        Assert.Equal(0, started.ResumedFromOffset);
        Assert.Equal(JobState.Completed, done.State);
        Assert.Equal(JobState.Completed, uninterrupted.State);
        Assert.Equal(new JobTotals(PausedExportOptions.Conversations, uninterrupted.Totals!.Participants, PausedExportOptions.Messages, 0), done.Totals);
        Assert.Equal(uninterrupted.Totals, done.Totals);

        // The run it resumed with started at the checkpoint, on the source the previous release fingerprinted.
        var starts = await JobStartedEventsAsync(Paused);
        Assert.Equal([0L, PausedCheckpoint], starts.Select(s => s.FromOffset));
        Assert.Equal(new SourceFingerprint(PausedExportLength, SourcesLastWritten), starts[0].Source);
        Assert.Equal(starts[0].Source, starts[1].Source);

        // Exactly the rows of the uninterrupted run: none lost across the upgrade, none doubled.
        foreach (var table in new[] { "conversations", "participants", "messages", "raw_records" })
        {
            var after = await RowsAsync(SinkFile, table, PausedSpec.TenantId);
            var expected = await RowsAsync(reference, table, PausedSpec.TenantId);
            Assert.True(expected.Count > 0, $"the uninterrupted run wrote no {table}");
            Assert.True(expected.Count == after.Count, $"{table}: {after.Count} rows after the resume, {expected.Count} from an uninterrupted run");
            Assert.Equal(expected, after);
        }
        Assert.Equal(0, await CountAsync(SinkFile, "quarantine", null, $"job_id = '{Paused.Value}'"));
        Assert.Equal(CompletedTotals.Messages, await CountAsync(SinkFile, "messages", CompletedSpec.TenantId)); // another job's rows are untouched

        // And the registry, recovered from the old journal, goes on recording the job.
        await Eventually.UntilAsync(
            () => Engine.Jobs.Ask<JobList>(new ListJobs(JobState.Completed, PausedSpec.TenantId), Within),
            l => l.Jobs.Any(j => j.JobId == Paused), Within, "the resumed job listed Completed");
    }

    // The first questions after start wait for the shard coordinator to recover from the old journal: ask with time to spare.
    private Task<JobStatus> GetAsync(JobId job) => Engine.Jobs.Ask<JobStatus>(new GetJob(job), Within);

    /// <summary>The folder as the previous release left it: its journal and sink, and the jobs' sources with their fingerprints.</summary>
    private static void LayOutPreviousRelease()
    {
        if (Directory.Exists(Folder))
            Directory.Delete(Folder, recursive: true);
        Directory.CreateDirectory(Folder);
        foreach (var file in new[] { "etl.journal.db", "etl.db", "skype-export.tar", "truncated-export.tar" })
            File.Copy(Path.Combine(Data, file), Path.Combine(Folder, file));

        SyntheticSkypeExport.Write(PausedExport, PausedExportOptions);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(PausedExport)));
        Assert.True(sha256 == PausedExportSha256,
            $"SyntheticSkypeExport no longer writes the paused job's export byte for byte (SHA-256 {sha256}); keep its output for these options stable, "
            + "or the job's checkpoint would point at other records");
        foreach (var source in new[] { PausedExport, CompletedSpec.SourcePath, FailedSpec.SourcePath })
            File.SetLastWriteTimeUtc(source, SourcesLastWritten);
        Assert.Equal(new SourceFingerprint(PausedExportLength, SourcesLastWritten), SourceFingerprint.Of(PausedExport));
    }

    private static FileStream? TryLockFolder()
    {
        try
        {
            return new FileStream(Folder + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The job's JobStarted events as its journal holds them, read back through the engine's serialization.</summary>
    private async Task<IReadOnlyList<JobEvents.JobStarted>> JobStartedEventsAsync(JobId job)
    {
        await using var connection = await OpenAsync(JournalFile);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT message, identifier, manifest FROM journal
            WHERE persistence_id = $id AND manifest = 'job.evt.started.v1' AND deleted = 0
            ORDER BY sequence_number
            """;
        command.Parameters.AddWithValue("$id", $"job-{job.Value}");
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<JobEvents.JobStarted>();
        while (await reader.ReadAsync())
            events.Add((JobEvents.JobStarted)Engine.System.Serialization.Deserialize((byte[])reader.GetValue(0), reader.GetInt32(1), reader.GetString(2)));
        return events;
    }

    /// <summary>A tenant's rows of a table, one line each with every column but those that differ by run, sorted.</summary>
    private static async Task<List<string>> RowsAsync(string database, string table, string tenant)
    {
        string[] differByRun = ["job_id", "extracted_at"];
        await using var connection = await OpenAsync(database);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {table} WHERE tenant_id = $tenant";
        command.Parameters.AddWithValue("$tenant", tenant);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount)
                .Where(i => !differByRun.Contains(reader.GetName(i)))
                .Select(i => $"{reader.GetName(i)}={(reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))}")));
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static async Task<long> CountAsync(string database, string table, string? tenant, string where = "1 = 1")
    {
        await using var connection = await OpenAsync(database);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table} WHERE {where}" + (tenant is null ? "" : " AND tenant_id = $tenant");
        if (tenant is not null)
            command.Parameters.AddWithValue("$tenant", tenant);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<SqliteConnection> OpenAsync(string database)
    {
        var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    public async Task DisposeAsync()
    {
        if (_engine is not null)
            await _engine.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
        if (Directory.Exists(Folder))
            Directory.Delete(Folder, recursive: true);
        _folderLock?.Dispose();
    }
}
