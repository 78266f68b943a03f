using EtlActors.Testing.Processes;

namespace EtlActors.Benchmarks;

/// <summary>
/// Which etl and etl-node the benchmark runs. By default the Release build output, JIT-compiled as the .NET tools and
/// <c>dotnet run</c> run them. <c>--ready-to-run</c>: both published ReadyToRun, as the Docker image has them (a third
/// less CPU to start, 25-30 MB more resident); <see cref="Binaries.PublishedVariable"/>, when set, names binaries
/// published already.
/// </summary>
internal static class BenchBinaries
{
    private static bool _published;

    /// <summary>Publishes both into the harness's own output folder (a later publish of unchanged code is quick).</summary>
    public static async Task PrepareAsync(BenchOptions options)
    {
        if (!options.ReadyToRun)
        {
            Environment.SetEnvironmentVariable(Binaries.PublishedVariable, null);
            return;
        }
        _published = true;
        if (Environment.GetEnvironmentVariable(Binaries.PublishedVariable) is { Length: > 0 })
            return;
        var folder = Path.Combine(AppContext.BaseDirectory, "published");
        Console.WriteLine($"Publishing etl and etl-node ReadyToRun into {folder}…");
        try
        {
            await Binaries.PublishAsync("etl", folder);
            await Binaries.PublishAsync("etl-node", folder);
        }
        catch (InvalidOperationException ex)
        {
            throw new BenchFailedException(ex.Message);
        }
        Environment.SetEnvironmentVariable(Binaries.PublishedVariable, folder);
    }

    /// <summary>How etl and etl-node were compiled, for the report's header.</summary>
    public static string Form => _published ? "ReadyToRun publish, --ready-to-run" : "Release build, JIT-compiled";

    /// <summary>The etl-node to run: the published one, or the Release build (built now).</summary>
    public static async Task<string> NodeDllAsync()
    {
        if (_published)
            return Binaries.NodeDll();
        Console.WriteLine("Building etl-node (Release)…");
        try
        {
            return await Binaries.BuildNodeAsync("Release");
        }
        catch (InvalidOperationException ex)
        {
            throw new BenchFailedException(ex.Message);
        }
    }
}
