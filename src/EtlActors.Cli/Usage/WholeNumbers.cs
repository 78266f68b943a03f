using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace EtlActors.Cli.Usage;

/// <summary>
/// Options that take a count, refused while parsing when out of range, so a mistake is a usage error (exit 2) naming
/// the range rather than a setting quietly ignored or a job that fails later.
/// </summary>
internal static class WholeNumbers
{
    /// <summary>An optional count of at least <paramref name="minimum"/>; null when not given.</summary>
    public static Option<int?> Option(string name, string description, int minimum) => new(name)
    {
        Description = description,
        CustomParser = result => Parse(result, name, minimum),
    };

    /// <summary>A count of at least <paramref name="minimum"/>, <paramref name="defaultValue"/> when not given.</summary>
    public static Option<int> Option(string name, string description, int minimum, int defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => Parse(result, name, minimum) ?? defaultValue,
    };

    private static int? Parse(ArgumentResult result, string name, int minimum)
    {
        if (result.Tokens.Count == 0)
            return null;
        var text = result.Tokens[0].Value;
        var range = $"at least {minimum.ToString(CultureInfo.InvariantCulture)}";
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            if (value >= minimum)
                return value;
            result.AddError($"{name} must be {range} (is {text})");
        }
        else if (text.Length > 0 && text.All(char.IsAsciiDigit))
            result.AddError($"{name} must be {range} and at most {int.MaxValue.ToString(CultureInfo.InvariantCulture)} (is {text})");
        else
            result.AddError($"{name} must be a whole number, {range} (is '{text}')");
        return null;
    }
}
