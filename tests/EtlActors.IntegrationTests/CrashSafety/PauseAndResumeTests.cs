using EtlActors.IntegrationTests.Support;
using EtlActors.Testing;
using Microsoft.Data.Sqlite;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.CrashSafety;

/// <summary>Ctrl+C or SIGTERM during `etl run` pauses the job at a checkpoint; the same command resumes it.</summary>
[Collection(CrashSafetyCollection.Name)]
public sealed class PauseAndResumeTests(CrashSafetyFixture fixture) : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromMinutes(3);

    // A progress line once records are loading: the first one comes as soon as the job runs, perhaps at record 0.
    private static bool LoadingRecords(string line) =>
        line.StartsWith("progress: Running ", StringComparison.Ordinal) && !line.StartsWith("progress: Running 0 records", StringComparison.Ordinal);
    private readonly TempFolder _dir = new();

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_signal_pauses_at_a_checkpoint_and_the_same_command_resumes_to_exact_rows(string signal)
    {
        var file = _dir.File($"etl-{signal}.db");
        string[] command = ["run", fixture.Export, "--sink", $"sqlite:{file}", "--tenant", "acme", "--job-id", "paused"];

        ProcessResult paused;
        using (var run = RunningProcess.StartEtl(_dir.Path, null, command))
        {
            await run.WaitForLineAsync(LoadingRecords, Within);
            run.Signal(signal);
            paused = await run.WaitForExitAsync(Within);
        }

        Assert.True(paused.ExitCode == 3, paused.ToString());
        var line = Assert.Single(paused.Stdout.Split('\n'), l => l.StartsWith("Paused job paused at record ", StringComparison.Ordinal));
        var checkpoint = long.Parse(line["Paused job paused at record ".Length..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(checkpoint, 1, fixture.Records - 1);
        Assert.Contains("Run the same command again to resume from there.", paused.Stdout);
        Assert.Equal(checkpoint, await LoadedAsync(file)); // every record below the checkpoint, and no more, is in

        var resumed = await EtlProcess.RunAsync(_dir.Path, command);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains($"Resuming job paused from checkpoint at record {checkpoint}", resumed.Stdout);
        Assert.Equal(fixture.Records, await LoadedAsync(file));
        Assert.Contains($"  messages       {CrashSafetyFixture.Messages:N0}\n", resumed.Stdout);
    }

    [Fact]
    public async Task An_export_replaced_while_the_job_is_paused_is_loaded_again_from_the_first_record()
    {
        var export = _dir.File("export.tar");
        File.Copy(fixture.Export, export);
        string[] command = ["run", export, "--sink", $"sqlite:{_dir.File("etl.db")}", "--tenant", "acme", "--job-id", "replaced"];
        using (var run = RunningProcess.StartEtl(_dir.Path, null, command))
        {
            await run.WaitForLineAsync(LoadingRecords, Within);
            run.Signal("TERM");
            Assert.Equal(3, (await run.WaitForExitAsync(Within)).ExitCode);
        }

        // Another export at the same path: the checkpoint's offsets would point at other records in it.
        var replacement = SyntheticSkypeExport.Write(export, new SyntheticExportOptions(Messages: 20_000, Conversations: 10, Seed: 99));
        var resumed = await EtlProcess.RunAsync(_dir.Path, command);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.DoesNotContain("Resuming job replaced", resumed.Stdout);
        Assert.Contains($"{export} changed since its checkpoint at record ", resumed.Stderr);
        Assert.Contains($"  records        {replacement.Messages + replacement.Conversations:N0} (", resumed.Stdout);
    }

    private static async Task<long> LoadedAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM raw_records";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose() => _dir.Dispose();
}
