using EtlActors.IntegrationTests.Support;
using EtlActors.Testing;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.CrashSafety;

/// <summary>
/// A Slack job into PostgreSQL killed with SIGKILL at several points, then the same command again, ends with
/// exactly the tables of an uninterrupted run: the export's record order (users, conversations, day files) is a
/// stable position to resume from.
/// </summary>
[Collection(CrashSafetyCollection.Name)]
public sealed class SlackKillAndResumeTests(SlackKillAndResumeTests.Export export) : IClassFixture<SlackKillAndResumeTests.Export>, IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(3);
    private readonly TempFolder _dir = new();

    public static TheoryData<string, double> KillPoints => new()
    {
        { "after the first batch", 0.002 },
        { "at a third", 0.33 },
        { "at nine tenths", 0.9 },
    };

    [Theory]
    [MemberData(nameof(KillPoints))]
    public async Task A_Slack_run_killed_and_run_again_ends_with_exactly_the_rows_of_an_uninterrupted_run(string point, double share)
    {
        var db = await export.Server.CreateDatabaseAsync("slackkill");
        string[] command = ["run", export.Path, "--sink", db.Url, "--tenant", "acme", "--job-id", "slack-killed", "--batch-size", "250", "--checkpoint-interval", "2000"];

        using (var run = RunningProcess.StartEtl(_dir.Path, null, command))
        {
            var records = Math.Max(1, (long)(export.Records * share));
            await using (var gate = await LoadGate.HoldAtAsync(db.ConnectionString, Within, records, stepFrom: records - 2_000))
            {
                Assert.True(gate.Loaded < export.Records, $"{point}: the gate shut after the whole load ({gate.Loaded} records)");
                run.Kill();
            }
            var killed = await run.WaitForExitAsync(Within);
            Assert.True(killed.ExitCode == 137, $"{point}: expected death by SIGKILL\n{killed}");
        }

        var resumed = await EtlProcess.RunAsync(_dir.Path, command);

        Assert.True(resumed.ExitCode == 0, $"{point}\n{resumed}");
        if (share >= 0.33)
            Assert.Matches(@"Resuming job slack-killed from checkpoint at record [1-9]\d*", resumed.Stdout);
        Assert.Equal(export.Baseline, await TableFingerprint.ReadAsync(db.ConnectionString));
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>A generated Slack export (zip) and the tables an uninterrupted run leaves.</summary>
    public sealed class Export : IAsyncLifetime
    {
        public const int Messages = 20_000;
        private readonly TempFolder _dir = new();

        public string Path => _dir.File("slack-export.zip");
        public long Records { get; private set; }
        public TableFingerprint Baseline { get; private set; } = null!;
        public PostgresServer Server { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var info = SyntheticSlackExport.Write(Path, new SyntheticSlackOptions(Messages, Conversations: 60, Users: 80, Seed: 11));
            Records = info.UserCount + info.ConversationCount + info.MessageCount;
            Server = await PostgresServer.SharedAsync();
            var db = await Server.CreateDatabaseAsync("slackbaseline");
            var result = await EtlProcess.RunAsync(_dir.Path, "run", Path, "--sink", db.Url, "--tenant", "acme", "--job-id", "slack-killed", "--batch-size", "250", "--checkpoint-interval", "2000");
            Assert.True(result.ExitCode == 0, result.ToString());
            Baseline = await TableFingerprint.ReadAsync(db.ConnectionString);
            Assert.Equal(Messages, Baseline.Messages);
        }

        public Task DisposeAsync()
        {
            _dir.Dispose();
            return Task.CompletedTask;
        }
    }
}
