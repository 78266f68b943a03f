using System.CommandLine;
using System.Text.Json;
using EtlActors.Contracts.Jobs;
using EtlActors.Contracts.Security;
using EtlActors.Cli.Usage;
using EtlActors.Engine;

namespace EtlActors.Cli.Commands;

/// <summary>`etl keys new`: issue an API key, and print the hash every node is configured with.</summary>
internal static class KeysCommand
{
    public static Command Create() => new("keys", "Issue API keys: a key says which principal sends a command, and so what it may do.")
    {
        New(),
    };

    private static Command New()
    {
        var principal = new Option<string>("--principal") { Description = "Who holds the key (a person or a service); named in the nodes' logs.", Required = true };
        var role = new Option<string>("--role")
        {
            Description = "viewer (show, list, watch), operator (also submit, pause, resume, cancel) or admin (also cluster commands; every tenant).",
            Required = true,
        };
        role.AcceptOnlyFromAmong("viewer", "operator", "admin");
        var tenants = new Option<string[]>("--tenant")
        {
            Description = "A tenant whose jobs the key sees and drives (repeatable; '*' for every tenant). Not needed for an admin.",
            AllowMultipleArgumentsPerToken = false,
        };
        var index = WholeNumbers.Option("--index", "The key's position N in the nodes' Etl__Security__ApiKeys__N__… settings, at least 0.", minimum: 0, defaultValue: 0);
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts: the key, its hash and its principal." };
        var command = new Command("new", "Make a new API key. The key is printed once: give it to its holder (ETL_API_KEY). Nodes keep only its SHA-256, printed as settings to add to every node.")
        {
            principal, role, tenants, index, json,
        };
        command.SetAction(result => Run(
            result.GetValue(principal)!, result.GetValue(role)!, result.GetValue(tenants) ?? [], result.GetValue(index), result.GetValue(json),
            result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string principal, string role, string[] tenants, int index, bool json, TextWriter output, TextWriter error)
    {
        if (role != "admin" && tenants.Length == 0)
        {
            error.WriteLine($"error: a {role} needs at least one --tenant ('*' for every tenant)");
            return ExitCodes.BadInput;
        }
        try
        {
            foreach (var tenant in tenants.Where(t => t != "*"))
                TenantIds.Validate(tenant);
        }
        catch (ArgumentException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return ExitCodes.BadInput;
        }
        var key = ApiKeyHash.NewKey();
        var entry = new ApiKeyOptions { Principal = principal, KeySha256 = ApiKeyHash.Of(key), Role = role, Tenants = [.. tenants] };
        var options = new EtlEngineOptions { Security = new EtlSecurityOptions { ApiKeys = [entry] } };
        try
        {
            options.Security.Validate();
        }
        catch (ArgumentException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return ExitCodes.BadInput;
        }
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new { principal, role, tenants, key, keySha256 = entry.KeySha256 }));
            return ExitCodes.Completed;
        }
        output.WriteLine($"API key of '{principal}' ({role}{(tenants.Length > 0 ? " of " + string.Join(", ", tenants) : "")}), shown once; give it to its holder as ETL_API_KEY:");
        output.WriteLine();
        output.WriteLine("  " + key);
        output.WriteLine();
        output.WriteLine("Every node accepts it once configured with these settings (environment variables; or the same keys under Etl:Security:ApiKeys in appsettings.json):");
        output.WriteLine();
        var prefix = $"Etl__Security__ApiKeys__{index}__";
        output.WriteLine($"  {prefix}Principal={principal}");
        output.WriteLine($"  {prefix}KeySha256={entry.KeySha256}");
        output.WriteLine($"  {prefix}Role={role}");
        for (var i = 0; i < tenants.Length; i++)
            output.WriteLine($"  {prefix}Tenants__{i}={tenants[i]}");
        return ExitCodes.Completed;
    }
}
