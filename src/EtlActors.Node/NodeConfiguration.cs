using EtlActors.Engine;
using Microsoft.Extensions.Configuration;

namespace EtlActors.Node;

/// <summary>
/// Where a node's settings come from, later sources winning: appsettings.json beside the binary, an
/// optional file (<c>--config &lt;file&gt;</c> or ETL_NODE_CONFIG), environment variables
/// (<c>Etl__Port=4053</c>, <c>Etl__SeedNodes__0=…</c>), then <c>--Etl:Port=4053</c> style arguments.
/// </summary>
internal static class NodeConfiguration
{
    public static IConfiguration Build(string[] args)
    {
        var file = ConfigFile(args) ?? Environment.GetEnvironmentVariable("ETL_NODE_CONFIG");
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        if (!string.IsNullOrEmpty(file))
        {
            if (!File.Exists(file))
                throw new ArgumentException($"{file}: configuration file not found");
            builder.AddJsonFile(Path.GetFullPath(file), optional: false);
        }
        return builder
            .AddEnvironmentVariables()
            .AddCommandLine(args.Where((_, i) => !IsConfigFlag(args, i)).ToArray())
            .Build();
    }

    public static EtlEngineOptions EngineOptions(IConfiguration configuration)
    {
        var options = EtlEngineOptions.From(configuration);
        if (options.Port <= 0)
            throw new ArgumentException("Etl:Port must be set for a cluster node (other nodes and clients reach it there)");
        options.Tls.Validate();
        return options;
    }

    private static string? ConfigFile(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--config")
                return i + 1 < args.Length ? args[i + 1] : throw new ArgumentException("--config needs a file");
            if (args[i].StartsWith("--config=", StringComparison.Ordinal))
                return args[i]["--config=".Length..];
        }
        return null;
    }

    private static bool IsConfigFlag(string[] args, int i) =>
        args[i] == "--config" || args[i].StartsWith("--config=", StringComparison.Ordinal) || (i > 0 && args[i - 1] == "--config");
}
