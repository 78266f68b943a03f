using System.Text;
using System.Text.RegularExpressions;

namespace EtlActors.Pipeline.Connectors.Http.Config;

/// <summary>
/// <c>${VAR}</c>, <c>${VAR:-default}</c> and <c>$${</c> in one scalar's text. Substitution runs on parsed values, never on
/// the YAML text, so a secret holding <c>: </c>, <c>#</c> or a quote is taken as it is instead of changing the document.
/// </summary>
internal static partial class EnvironmentVariables
{
    /// <summary>A scalar's text with its variables replaced.</summary>
    /// <param name="Value">The text with every variable replaced and every <c>$${</c> turned into <c>${</c>.</param>
    /// <param name="Secrets">The non-empty values that came from the environment (a default is part of the file, not a secret).</param>
    /// <param name="Problems">Variables that are not set and have no default, and malformed <c>${</c>s.</param>
    public sealed record Substitution(string Value, IReadOnlyList<string> Secrets, IReadOnlyList<string> Problems);

    /// <summary>Whether <paramref name="text"/> holds a variable (or something that tries to be one), outside <c>$${</c>.</summary>
    public static bool HasVariable(string text) => Scan(text, _ => null, null) is var scan && (scan.Variables.Count > 0 || scan.Problems.Count > 0);

    /// <summary>The names of the variables <paramref name="text"/> refers to, in order.</summary>
    public static IReadOnlyList<string> Names(string text) => Scan(text, _ => null, null).Variables;

    /// <summary>Replaces the variables of <paramref name="text"/> from <paramref name="environment"/>.</summary>
    public static Substitution Substitute(string text, Func<string, string?> environment)
    {
        var secrets = new List<string>();
        var scan = Scan(text, environment, secrets);
        return new Substitution(scan.Value, secrets, scan.Problems);
    }

    private static (string Value, List<string> Variables, List<string> Problems) Scan(string text, Func<string, string?> environment, List<string>? secrets)
    {
        var value = new StringBuilder(text.Length);
        var variables = new List<string>();
        var problems = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (string.CompareOrdinal(text, i, "$${", 0, 3) == 0)
            {
                value.Append("${");
                i += 3;
                continue;
            }
            if (string.CompareOrdinal(text, i, "${", 0, 2) != 0)
            {
                value.Append(text[i++]);
                continue;
            }
            var close = text.IndexOf('}', i + 2);
            if (close < 0)
            {
                problems.Add("'${' is not closed by '}' (write '$${' for a literal '${')");
                value.Append(text, i, text.Length - i);
                break;
            }
            var inner = text[(i + 2)..close];
            var split = inner.IndexOf(":-", StringComparison.Ordinal);
            var name = split < 0 ? inner : inner[..split];
            var valid = NamePattern().IsMatch(name);
            if (valid)
                variables.Add(name);
            if (!valid)
            {
                problems.Add($"'${{{inner}}}' does not name a variable: use letters, digits and '_', not starting with a digit (write '$${{' for a literal '${{')");
                value.Append(text, i, close + 1 - i);
            }
            else if (environment(name) is { } set && (set.Length > 0 || split < 0))
            {
                // As in a shell, ':-' also replaces a variable that is set but empty.
                value.Append(set);
                if (set.Length > 0)
                    secrets?.Add(set);
            }
            else if (split >= 0)
                value.Append(inner, split + 2, inner.Length - split - 2);
            else
            {
                problems.Add($"variable '{name}' is not set (give it a value, or a default with '${{{name}:-default}}')");
                value.Append(text, i, close + 1 - i);
            }
            i = close + 1;
        }
        return (value.ToString(), variables, problems);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex NamePattern();
}
