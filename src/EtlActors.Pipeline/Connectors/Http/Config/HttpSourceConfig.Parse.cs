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
    /// <example>
    /// Every key (docs/http-sources.md says what each takes; defaults: GET, no pagination, timeout 30s, max_retries 5,
    /// concurrent 1, incremental type timestamp and lookback 0, a mapping's source the resource's name):
    /// <code>
    /// base_url: ${API_URL:-https://api.example.com/v2}    # required
    /// headers: { X-Team: data }
    /// auth: { type: bearer, token: ${TOKEN} }             # or api_key (name, in: header|query, value), basic (user, password),
    ///                                                     # oauth2_client_credentials (token_url, client_id, client_secret, scope)
    /// rate_limit: { requests_per_second: 10, concurrent: 4 }
    /// timeout: 30s                                        # 500ms, 30s, 5m, 1h, 1d
    /// max_retries: 5
    /// resources:                                          # required, at least one
    ///   - name: calls                                     # required, unique
    ///     path: /calls/extensive                          # required, relative to base_url
    ///     method: POST
    ///     query: { limit: 100 }
    ///     body: { filter: { fromDateTime: "2020-01-01T00:00:00Z" } }
    ///     records: calls                                  # required; '$': the body is the list
    ///     paginate: { type: cursor, cursor: records.cursor, into: { body: cursor } }
    ///     # or next_url (next), link_header, offset (offset, limit, page_size), page_number (page, first_page, size, page_size)
    ///     incremental: { field: updatedAt, param: { query: updated_since }, type: timestamp, lookback: 1h, initial: "2020-01-01T00:00:00Z" }
    ///     mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }   # required: a files mapping
    /// </code>
    /// </example>
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
        {
            text = text.Replace(secret, HttpSourceConfig.Redacted, StringComparison.Ordinal);
            var escaped = Uri.EscapeDataString(secret); // as it appears in a URL's query
            if (escaped != secret)
                text = text.Replace(escaped, HttpSourceConfig.Redacted, StringComparison.Ordinal);
        }
        return text;
    }
}
