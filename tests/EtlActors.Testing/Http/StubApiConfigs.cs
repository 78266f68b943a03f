namespace EtlActors.Testing.Http;

/// <summary>HTTP source configs that read a <see cref="StubApi"/>, as a user would write them.</summary>
public static class StubApiConfigs
{
    /// <summary>
    /// A config that reads the stub's <c>/items</c> at <c>${API_URL}</c> in cursor pages of <paramref name="pageSize"/>
    /// into messages, with <paramref name="settings"/> as more top-level lines (auth, rate_limit, max_retries).
    /// </summary>
    public static string Items(int pageSize, params string[] settings) =>
        string.Join('\n', [
            "base_url: ${API_URL}",
            .. settings,
            "resources:",
            "  - name: items",
            "    path: /items",
            $"    query: {{ limit: {pageSize} }}",
            "    records: items",
            "    paginate: { type: cursor, cursor: next_cursor, into: { query: cursor } }",
            "    mapping:",
            "      into: messages",
            "      columns: { conversation_id: conversation, message_id: id, content_text: text }",
        ]) + "\n";
}
