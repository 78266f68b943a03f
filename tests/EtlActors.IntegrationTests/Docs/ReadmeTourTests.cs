using System.Text.RegularExpressions;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Processes;
using Xunit.Abstractions;

namespace EtlActors.IntegrationTests.Docs;

/// <summary>
/// The README's five-minute tour, run as written: each shell block marked <c>&lt;!-- tour --&gt;</c>, in order, in
/// bash from the repository's root (where the README says to run them), and checked against the output block the
/// README shows after it.
/// </summary>
public sealed class ReadmeTourTests(ITestOutputHelper output)
{
    /// <summary>What the tour writes in the clone (the README names them); moved aside before and put back after.</summary>
    private static readonly string[] TourFiles =
    [
        "etl.db", "etl.db-shm", "etl.db-wal", "etl.journal.db", "etl.journal.db-shm", "etl.journal.db-wal", "etl.journal.db.lock",
        "big-export.tar", "first-run.log",
    ];

    private static string Readme => Path.Combine(RepoPaths.Root, "README.md");

    [Fact]
    public async Task Tour_commands_run_as_written_and_print_what_the_readme_shows()
    {
        var steps = ReadmeDocument.Load(Readme).TourSteps();
        Assert.True(steps.Count >= 5, $"the tour has {steps.Count} marked blocks");
        using var aside = new TempFolder();
        MoveTourFiles(RepoPaths.Root, aside.Path); // a reader's own etl.db survives the test
        try
        {
            foreach (var step in steps)
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var result = await RunAsync(step.Script);
                output.WriteLine($"README.md:{step.Line}: exit {result.ExitCode} in {clock.Elapsed.TotalSeconds:F1} s");
                Assert.True(result.ExitCode == 0, $"README.md:{step.Line}\n{step.Script}\n{result}");
                AssertShows(step, result);
            }
        }
        finally
        {
            DeleteTourFiles(RepoPaths.Root);
            MoveTourFiles(aside.Path, RepoPaths.Root);
        }
    }

    [Fact]
    public void The_first_screen_says_what_to_install_and_gives_the_first_command_and_the_test_command()
    {
        var first = string.Join('\n', File.ReadLines(Readme).Take(40));

        Assert.Contains(".NET 10 SDK", first, StringComparison.Ordinal);
        Assert.Contains("SQLite", first, StringComparison.Ordinal);
        Assert.Contains("sqlite3", first, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project src/EtlActors.Cli -- run samples/skype-export.tar", first, StringComparison.Ordinal);
        Assert.Contains("./test.sh", first, StringComparison.Ordinal);
    }

    [Fact]
    public void The_tour_starts_with_the_first_command()
    {
        var first = ReadmeDocument.Load(Readme).TourSteps()[0];

        Assert.Equal("dotnet run --project src/EtlActors.Cli -- run samples/skype-export.tar\n", first.Script);
    }

    [Fact]
    public void Every_relative_link_in_the_readme_and_docs_names_a_file_and_heading_that_exist()
    {
        var files = new[] { "README.md", "cluster/README.md", "cluster/prometheus/README.md", "bench/README.md", "samples/README.md" }
            .Select(f => Path.Combine(RepoPaths.Root, f))
            .Concat(Directory.GetFiles(Path.Combine(RepoPaths.Root, "docs"), "*.md"));
        var broken = new List<string>();
        foreach (var file in files)
        {
            var document = ReadmeDocument.Load(file);
            foreach (var (line, target) in document.Links())
            {
                if (Regex.IsMatch(target, "^[a-z]+:", RegexOptions.IgnoreCase))
                    continue; // https:, mailto:
                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var pathPart = hash < 0 ? target : target[..hash];
                var anchor = hash < 0 ? null : target[(hash + 1)..];
                var resolved = pathPart.Length == 0 ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, Uri.UnescapeDataString(pathPart)));
                var where = $"{Path.GetRelativePath(RepoPaths.Root, file)}:{line}: {target}";
                if (!File.Exists(resolved) && !Directory.Exists(resolved))
                    broken.Add($"{where} (no such file)");
                else if (anchor is not null && resolved.EndsWith(".md", StringComparison.Ordinal) && !ReadmeDocument.Load(resolved).Anchors().Contains(anchor))
                    broken.Add($"{where} (no such heading)");
            }
        }
        Assert.True(broken.Count == 0, string.Join('\n', broken));
    }

    // Each block in its own bash, as a reader pastes it into a terminal at the root of a clone. A block that hangs is
    // killed with everything it started (a background server).
    private static async Task<ProcessResult> RunAsync(string script)
    {
        // The tour's cluster (cluster/local.sh) shares CI's two cores with other tests: its nodes inherit the tolerant timing.
        using var process = RunningProcess.Start("bash", ["-c", script], RepoPaths.Root, LocalCluster.StarvedNodeTiming);
        return await process.WaitForExitAsync(TimeSpan.FromMinutes(4));
    }

    // The lines shown must appear in this order in what the commands printed. In a shown line, '…' stands for
    // anything (a job id, a path, a time); a line that is only '…' stands for lines left out.
    private static void AssertShows(ReadmeDocument.TourStep step, ProcessResult result)
    {
        var printed = result.Stdout.Split('\n').Select(l => l.TrimEnd()).ToList();
        var at = 0;
        foreach (var shown in step.Shows.Where(l => l.Trim() != "…"))
        {
            var pattern = new Regex("^" + string.Join(".*", shown.TrimEnd().Split('…').Select(Regex.Escape)) + "$");
            var found = printed.FindIndex(at, pattern.IsMatch);
            Assert.True(found >= 0, $"README.md:{step.Line}: expected '{shown}' after line {at} of what the commands printed\n{result}");
            at = found + 1;
        }
    }

    private static void MoveTourFiles(string from, string to)
    {
        foreach (var name in TourFiles)
        {
            var source = Path.Combine(from, name);
            if (File.Exists(source))
                File.Move(source, Path.Combine(to, name), overwrite: true);
        }
    }

    private static void DeleteTourFiles(string folder)
    {
        foreach (var name in TourFiles)
            File.Delete(Path.Combine(folder, name));
    }
}
