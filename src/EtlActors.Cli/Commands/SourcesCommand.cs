using System.CommandLine;
using EtlActors.Pipeline.Connectors.Http.Config;

namespace EtlActors.Cli.Commands;

/// <summary>`etl sources …`: HTTP source configs (the YAML that declares a paged API, see docs/http-sources.md).</summary>
internal static class SourcesCommand
{
    public static Command Create() => new("sources", "Work with HTTP source configs: the YAML files that declare a paged API to pull.")
    {
        Validate(),
    };

    private static Command Validate()
    {
        var file = new Argument<string>("file") { Description = "The config to check, as sources/<name>.yaml." };
        var noEnv = new Option<bool>("--no-env")
        {
            Description = "Check the structure only: leave ${VAR}s as they are, unchecked (for a machine without the secrets; the nodes that run the config resolve them).",
        };
        var command = new Command("validate", "Check an HTTP source config and print every problem with its line and column. ${VAR}s are resolved from this environment unless --no-env.")
        {
            file,
            noEnv,
        };
        // Through System.CommandLine's writers (the console unless a caller gives others), so tests read them in-process.
        command.SetAction(result => Run(result.GetValue(file)!, result.GetValue(noEnv), result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string path, bool noEnv, TextWriter output, TextWriter error)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {path}: {(ex is FileNotFoundException or DirectoryNotFoundException ? "file not found" : ex.Message)}");
            return ExitCodes.BadInput;
        }
        HttpSourceConfig config;
        try
        {
            config = HttpSourceConfig.Parse(text, path, noEnv ? null : Environment.GetEnvironmentVariable);
        }
        catch (HttpSourceConfigException ex)
        {
            // Problems come redacted: a value from the environment is never quoted.
            foreach (var problem in ex.Problems)
                error.WriteLine("error: " + problem.Format(path));
            return ExitCodes.Failed;
        }
        var resources = string.Join("; ", config.Resources.Select(Describe));
        // A path may hold a substituted secret (a channel id, a key in a query string): the line goes out redacted.
        output.WriteLine(config.Redact($"{path}: ok — {config.Resources.Count} resource(s): {resources}"));
        if (noEnv && config.Variables.Count > 0)
            output.WriteLine($"not checked (--no-env): {string.Join(", ", config.Variables)}");
        return ExitCodes.Completed;
    }

    private static string Describe(HttpResource resource)
    {
        var pagination = resource.Pagination switch
        {
            Pagination.Cursor => "cursor pagination",
            Pagination.NextUrl => "next_url pagination",
            Pagination.LinkHeader => "link_header pagination",
            Pagination.OffsetLimit => "offset pagination",
            Pagination.PageNumber => "page_number pagination",
            _ => "no pagination",
        };
        var incremental = resource.Incremental is { } i ? $", incremental on {i.Field}" : "";
        return $"{resource.Name} ({resource.Method.Method} {resource.Path}, {pagination}{incremental})";
    }
}
