using System.Diagnostics;

namespace EtlActors.Testing.Processes;

/// <summary>
/// Where the built `etl` and `etl-node` are: each in its own project's output folder (not a project reference's
/// copy: the node's appsettings.json would land beside etl.dll and become the CLI's settings too).
/// </summary>
public static class Binaries
{
    private static readonly Lazy<string> Root = new(FindRepoRoot);

    /// <summary>The repository: the folder with EtlActors.sln above the running code.</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>
    /// <c>etl.dll</c> in src/EtlActors.Cli's own output, built in the running code's configuration. Not the copy beside
    /// the tests: they run on ASP.NET Core's shared framework (the stub API), so the framework's assemblies (which the
    /// CLI takes from packages) are not copied there, and etl's runtimeconfig names only .NET's. The published one when
    /// <see cref="PublishedVariable"/> is set.
    /// </summary>
    public static string EtlDll => Published("etl", "etl.dll") ?? Path.Combine(RepoRoot, "src", "EtlActors.Cli", "bin", Configuration, "net10.0", "etl.dll");

    /// <summary>
    /// The environment variable naming a folder of published binaries (<c>etl/etl.dll</c>, <c>etl-node/etl-node.dll</c>)
    /// that the tests run instead of the build output. test.sh publishes them ReadyToRun, as the Docker image ships them:
    /// most of a short process's CPU is the JIT's, and the suite starts hundreds of processes.
    /// </summary>
    public const string PublishedVariable = "ETL_TEST_BINARIES";

    /// <summary>The configuration the running code was built in (…/bin/&lt;Configuration&gt;/net10.0/).</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    /// <summary>
    /// <c>etl-node.dll</c> as built in <paramref name="configuration"/> (default: the published one when
    /// <see cref="PublishedVariable"/> is set, else the running code's configuration, as the solution builds it); throws
    /// when it is not built.
    /// </summary>
    public static string NodeDll(string? configuration = null)
    {
        var dll = (configuration is null ? Published("etl-node", "etl-node.dll") : null) ?? NodeDllPath(configuration ?? Configuration);
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"etl-node is not built: {dll}");
    }

    /// <summary>Builds src/EtlActors.Node in <paramref name="configuration"/> and returns its dll (what the benchmarks and cluster/local.sh run).</summary>
    public static async Task<string> BuildNodeAsync(string configuration = "Release")
    {
        await DotnetAsync("build", "EtlActors.Node", "-c", configuration);
        var dll = NodeDllPath(configuration);
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"dotnet build of EtlActors.Node wrote no {dll}");
    }

    /// <summary>
    /// Publishes <paramref name="app"/> (<c>etl</c> or <c>etl-node</c>) in Release, ReadyToRun for this machine's runtime
    /// as the Docker image ships it, into <paramref name="folder"/>/<paramref name="app"/> (the layout
    /// <see cref="PublishedVariable"/> names) and returns its dll.
    /// </summary>
    public static async Task<string> PublishAsync(string app, string folder)
    {
        var project = app switch
        {
            "etl" => "EtlActors.Cli",
            "etl-node" => "EtlActors.Node",
            _ => throw new ArgumentException($"no app '{app}': etl or etl-node", nameof(app)),
        };
        var output = Path.Combine(folder, app);
        await DotnetAsync("publish", project, "-c", "Release", "--use-current-runtime", "--self-contained", "false",
            "-p:PublishReadyToRun=true", "-o", output);
        var dll = Path.Combine(output, app + ".dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"dotnet publish of {project} wrote no {dll}");
    }

    private static async Task DotnetAsync(string command, string project, params string[] args)
    {
        var path = Path.Combine(RepoRoot, "src", project, project + ".csproj");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot,
        };
        foreach (var arg in (string[])[command, path, .. args, "--nologo", "-v", "q"])
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start dotnet {command}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet {command} of {path} failed ({process.ExitCode}):\n{await stdout}{await stderr}");
    }

    private static string? Published(string folder, string dll)
    {
        if (Environment.GetEnvironmentVariable(PublishedVariable) is not { Length: > 0 } root)
            return null;
        var path = Path.Combine(root, folder, dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{PublishedVariable} is {root}, which holds no {folder}/{dll}: publish it (test.sh does) or unset the variable", path);
    }

    private static string NodeDllPath(string configuration) =>
        Path.Combine(RepoRoot, "src", "EtlActors.Node", "bin", configuration, "net10.0", "etl-node.dll");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EtlActors.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no EtlActors.sln above {AppContext.BaseDirectory}: run from a build folder in the repository");
    }
}
