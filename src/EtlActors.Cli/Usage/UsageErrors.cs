using System.CommandLine;
using System.CommandLine.Parsing;

namespace EtlActors.Cli.Usage;

/// <summary>
/// A command line that does not parse, told in one line and a pointer to the command's help: System.CommandLine's own
/// report prints the whole help after its errors, and the line that matters scrolls away above it.
/// </summary>
internal static class UsageErrors
{
    /// <summary>Writes the first mistake in <paramref name="result"/> (the rest are mostly its consequences) and where help is.</summary>
    public static void Write(ParseResult result, TextWriter error)
    {
        var command = result.CommandResult.Command;
        error.WriteLine($"error: {Describe(result, command)}");
        error.WriteLine($"see '{CommandPath(result.CommandResult)} --help'");
    }

    private static string Describe(ParseResult result, Command command)
    {
        // An unknown token comes first: a mistyped option also leaves its value unmatched and its command short of arguments.
        if (result.UnmatchedTokens.Count > 0)
            return Unmatched(result.UnmatchedTokens[0], result.CommandResult);
        if (command.Subcommands.Count > 0 && command.Action is null)
            return $"'{CommandPath(result.CommandResult)}' needs a command: {string.Join(", ", Visible(command.Subcommands).Select(c => c.Name))}";
        var first = result.Errors[0];
        return first.SymbolResult switch
        {
            OptionResult { Tokens.Count: 0, Implicit: false } option => $"{option.Option.Name} needs a value",
            ArgumentResult { Tokens.Count: 0 } missing => $"missing argument <{missing.Argument.Name}>",
            _ => first.Message,
        };
    }

    private static string Unmatched(string token, CommandResult where)
    {
        var command = where.Command;
        if (token.StartsWith('-'))
            return WithSuggestion($"unknown option '{token}'", token, OptionNames(where));
        if (command.Subcommands.Count > 0)
            return WithSuggestion($"unknown command '{token}'", token, Visible(command.Subcommands).SelectMany(c => c.Aliases.Prepend(c.Name)));
        return $"unexpected argument '{token}'";
    }

    private static string WithSuggestion(string problem, string typed, IEnumerable<string> known) =>
        Typos.Closest(typed, known) is { } meant ? $"{problem}; did you mean '{meant}'?" : problem;

    // The command's own options and those its parents share with it (--help).
    private static IEnumerable<string> OptionNames(CommandResult where)
    {
        var options = where.Command.Options.AsEnumerable();
        for (var parent = where.Parent as CommandResult; parent is not null; parent = parent.Parent as CommandResult)
            options = options.Concat(parent.Command.Options.Where(o => o.Recursive));
        return options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name));
    }

    private static IEnumerable<Command> Visible(IEnumerable<Command> commands) => commands.Where(c => !c.Hidden);

    private static string CommandPath(CommandResult command)
    {
        var names = new Stack<string>();
        for (SymbolResult? at = command; at is CommandResult c; at = c.Parent)
            names.Push(c.Command.Name);
        return string.Join(' ', names);
    }
}
