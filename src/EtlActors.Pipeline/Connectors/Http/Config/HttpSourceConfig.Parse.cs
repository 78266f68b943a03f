namespace EtlActors.Pipeline.Connectors.Http.Config;

/// <summary>Parsing, validating and redacting an HTTP source config (the YAML shape is in docs/http-sources.md).</summary>
public sealed partial record HttpSourceConfig
{
    /// <summary>What a secret is replaced with in text shown or logged.</summary>
    public const string Redacted = "***";

    /// <summary>
    /// The names of the <c>${VAR}</c>s the text refers to, in order of first use (with or without a default): what a node
    /// running it must be given. Without an environment these are left unresolved in the values.
    /// </summary>
    public IReadOnlyList<string> Variables { get; init; } = [];

    /// <summary>
    /// Parses and validates <paramref name="text"/>, an HTTP source config in YAML. Every problem found (not only the first)
    /// throws together as an <see cref="HttpSourceConfigException"/> naming <paramref name="name"/> (the file as the user
    /// gave it) with the line and column of each.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <c>${VAR}</c> and <c>${VAR:-default}</c> in any value (not a key) are replaced from <paramref name="environment"/>
    /// after the YAML is parsed, so a secret is never read as YAML; <c>:-</c> also replaces a variable set to empty,
    /// <c>$${</c> is a literal <c>${</c>, and a variable that is not set and has no default is a problem. Every non-empty
    /// value taken from the environment is a <see cref="Secrets">secret</see>, and no problem's message shows it.
    /// </para>
    /// <para>
    /// With a null <paramref name="environment"/> nothing is substituted and no variable is checked (a node that runs the
    /// config has the secrets, the machine checking it may not): values keep their <c>${…}</c> text and one that holds
    /// a variable is not judged by its format (a URL, a number); such a URL stands as <c>http://unresolved.invalid/</c>.
    /// Everything else is checked. Such a config is for checking only, never for running.
    /// </para>
    /// </remarks>
    public static HttpSourceConfig Parse(string text, string name, Func<string, string?>? environment) =>
        HttpSourceConfigLoader.Load(text, name, environment);

    /// <summary><paramref name="text"/> with each of <see cref="Secrets"/> (longest first) replaced by <see cref="Redacted"/>.</summary>
    public string Redact(string text) => Redaction.Redact(text, Secrets);
}

/// <summary>Removes secrets from text: the longest first, so a secret that holds a shorter one is removed whole.</summary>
internal static class Redaction
{
    public static string Redact(string text, IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in secrets.Where(s => s.Length > 0).OrderByDescending(s => s.Length))
            text = text.Replace(secret, HttpSourceConfig.Redacted, StringComparison.Ordinal);
        return text;
    }
}
