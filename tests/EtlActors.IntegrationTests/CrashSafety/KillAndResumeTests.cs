using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.CrashSafety;

/// <summary>
/// `etl run` killed with SIGKILL at different points, then run again with the same command, ends
/// with exactly the tables of an uninterrupted run: nothing lost, nothing doubled.
/// </summary>
[Collection(CrashSafetyCollection.Name)]
public sealed class KillAndResumeTests(CrashSafetyFixture fixture) : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(3);
    private readonly TempFolder _dir = new();

    public static TheoryData<string, double> KillPoints => new()
    {
        { "during the first batch", 0.0 },
        { "at a fifth", 0.2 },
        { "half-way", 0.5 },
        { "at four fifths", 0.8 },
        { "near the end", 0.97 },
    };

    [Theory]
    [MemberData(nameof(KillPoints))]
    public async Task A_run_killed_and_run_again_ends_with_exactly_the_rows_of_an_uninterrupted_run(string point, double share)
    {
        var db = await fixture.Server.CreateDatabaseAsync("kill");
        // Batches of 500, so the gate's last opening (a batch per loader) cannot pass the 3% left after "near the end".
        string[] command = ["run", fixture.Export, "--sink", db.Url, "--tenant", "acme", "--job-id", "killed", "--batch-size", "500"];

        using (var run = RunningProcess.StartEtl(_dir.Path, null, command))
        {
            if (share == 0)
            {
                await run.WaitForLineAsync(l => l.StartsWith("Job killed:", StringComparison.Ordinal), Within);
                run.Kill();
            }
            else
            {
                var records = (long)(fixture.Records * share);
                await using var gate = await LoadGate.HoldAtAsync(db.ConnectionString, Within, records, stepFrom: records - 10_000);
                Assert.True(gate.Loaded < fixture.Records, $"{point}: the gate shut after the whole load ({gate.Loaded} records)");
                run.Kill();
            }
            var killed = await run.WaitForExitAsync(Within);
            Assert.True(killed.ExitCode == 137, $"{point}: expected death by SIGKILL\n{killed}");
        }

        var resumed = await EtlProcess.RunAsync(_dir.Path, command);

        Assert.True(resumed.ExitCode == 0, $"{point}\n{resumed}");
        if (share >= 0.5)
            Assert.Matches(@"Resuming job killed from checkpoint at record [1-9]\d*", resumed.Stdout);
        Assert.Equal(fixture.Baseline, await TableFingerprint.ReadAsync(db.ConnectionString));
    }


    public void Dispose() => _dir.Dispose();
}
