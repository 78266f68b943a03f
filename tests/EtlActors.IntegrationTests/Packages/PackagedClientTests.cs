using System.Text.Json;
using EtlActors.IntegrationTests.Cluster;
using EtlActors.IntegrationTests.CrashSafety;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Processes;

namespace EtlActors.IntegrationTests.Packages;

/// <summary>
/// tests/EtlActors.PackageConsumer, a project outside the repository's build that references the EtlActors.Client
/// package, restored from the packages folder alone, submits a job to a real node and watches it to the end.
/// </summary>
[Collection(ClusterCommandsCollection.Name)]
public sealed class PackagedClientTests(ClusterFixture fixture)
{
    private const string JobId = "packaged-client-job";

    [Fact]
    public async Task A_project_restoring_EtlActors_Client_from_the_packages_alone_submits_and_watches_a_job_on_a_real_node()
    {
        var version = RepoVersion.Current;
        using var dir = new TempFolder();
        var packages = await PackagesAsync(dir);
        var project = Path.Combine(dir.Path, "consumer");
        Directory.CreateDirectory(project);
        foreach (var file in new[] { "EtlActors.PackageConsumer.csproj", "Program.cs" })
            File.Copy(Path.Combine(Binaries.RepoRoot, "tests", "EtlActors.PackageConsumer", file), Path.Combine(project, file));
        // Its only source is the packages folder. Packages land in a fresh folder, so what was restored can be traced
        // to where it came from; the machine's cache is a fallback for Akka and the other dependencies, which it holds
        // since the repository's own restore, so no registry is asked.
        var restored = Path.Combine(dir.Path, "nuget-packages");
        await File.WriteAllTextAsync(Path.Combine(project, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{restored}" /></config>
              <packageSources><clear /><add key="packages" value="{packages}" /></packageSources>
              <fallbackPackageFolders><clear /><add key="machine" value="{MachinePackages()}" /></fallbackPackageFolders>
            </configuration>
            """);
        var output = Path.Combine(dir.Path, "out");

        var build = await EtlProcess.RunProgramAsync("dotnet", ["build", project, "-c", "Release", "-o", output, $"-p:EtlActorsVersion={version}", "--nologo"],
            dir.Path, null, TimeSpan.FromMinutes(5));

        Assert.True(build.ExitCode == 0, build.ToString());
        foreach (var id in new[] { "etlactors.client", "etlactors.contracts" })
        {
            var metadata = Path.Combine(restored, id, version, ".nupkg.metadata");
            Assert.True(File.Exists(metadata), $"{id} {version} was not restored into {restored} (taken from a cache instead?)");
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(metadata));
            Assert.Equal(Path.TrimEndingDirectorySeparator(packages), Path.TrimEndingDirectorySeparator(json.RootElement.GetProperty("source").GetString()!));
        }
        Assert.False(File.Exists(Path.Combine(output, "EtlActors.Engine.dll")), "the consumer got the engine: the Client package must not need it");

        var journal = await fixture.Server.CreateDatabaseAsync("packaged_client_journal");
        var sink = await fixture.Server.CreateDatabaseAsync("packaged_client_sink");
        await using var cluster = await LocalCluster.StartAsync(1, journal);
        using var consumer = RunningProcess.StartDll(Path.Combine(output, "EtlActors.PackageConsumer.dll"), dir.Path, null,
            cluster.Contacts[0], fixture.SmallExport, sink.Url, "initech", JobId);
        var result = await consumer.WaitForExitAsync(TimeSpan.FromMinutes(3));

        Assert.True(result.ExitCode == 0, $"{result}\n{cluster.Logs()}");
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var records = ClusterFixture.SmallMessages + 40;
        Assert.Equal($"EtlActors.Client {version}", lines[0]);
        Assert.Equal($"submitted {JobId} (Running)", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("Running: ", StringComparison.Ordinal));
        Assert.Equal($"finished Completed: {records} records", lines[^1]);
        Assert.Equal(fixture.SmallBaseline, await TableFingerprint.ReadAsync(sink.ConnectionString));
    }

    /// <summary>
    /// ETL_PACKAGES when set (CI: artifacts/, which .ci/packages.sh packed); otherwise Client and Contracts packed now from
    /// what this test run's build compiled, so that ./test.sh passes from a clone without a pack first.
    /// </summary>
    private static async Task<string> PackagesAsync(TempFolder dir)
    {
        if (Environment.GetEnvironmentVariable("ETL_PACKAGES") is { Length: > 0 } given)
            return Path.GetFullPath(given);
        var folder = dir.File("packed");
        foreach (var name in new[] { "EtlActors.Contracts", "EtlActors.Client" })
        {
            var packed = await EtlProcess.RunProgramAsync("dotnet",
                ["pack", Path.Combine(Binaries.RepoRoot, "src", name, name + ".csproj"), "--no-build", "-c", Binaries.Configuration, "-o", folder, "--nologo"],
                dir.Path, null, TimeSpan.FromMinutes(3));
            Assert.True(packed.ExitCode == 0, packed.ToString());
        }
        return folder;
    }

    private static string MachinePackages() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
