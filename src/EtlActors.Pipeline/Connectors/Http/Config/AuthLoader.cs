using YamlDotNet.RepresentationModel;

namespace EtlActors.Pipeline.Connectors.Http.Config;

/// <summary>The <c>auth:</c> block of an HTTP source config: one of four kinds, told by its <c>type</c>.</summary>
internal static class AuthLoader
{
    private static readonly Dictionary<string, string[]> KindKeys = new()
    {
        ["bearer"] = ["type", "token"],
        ["api_key"] = ["type", "name", "in", "value"],
        ["basic"] = ["type", "user", "password"],
        ["oauth2_client_credentials"] = ["type", "token_url", "client_id", "client_secret", "scope"],
    };

    /// <summary>The auth at <paramref name="node"/>, or null when it has a problem (reported).</summary>
    public static HttpAuth? Auth(ConfigNodes nodes, YamlNode node)
    {
        const string What = "auth";
        if (nodes.Mapping(node, What) is not { } map)
            return null;
        var kinds = KindKeys.Keys.ToArray();
        if (nodes.Required(map, "type", What, $"one of {string.Join(", ", kinds)}") is not { } typeNode
            || nodes.OneOf(typeNode, "auth: type", kinds) is not { } kind)
            return null; // without a kind, its keys cannot be judged
        nodes.OnlyKeys(map, KindKeys[kind], $"auth of type {kind}");
        string? Text(string key, string hint) =>
            nodes.Required(map, key, $"auth of type {kind}", hint) is { } n ? nodes.NonEmpty(n, $"auth: {key}") : null;

        switch (kind)
        {
            case "bearer":
                return Text("token", "the token, as ${API_TOKEN}") is { } token ? new HttpAuth.Bearer(token) : null;
            case "api_key":
            {
                var name = Text("name", "the header or query parameter, as X-Api-Key");
                var value = Text("value", "the key, as ${API_KEY}");
                var place = nodes.Optional(map, "in") is { } i ? nodes.OneOf(i, "auth: in", ["header", "query"]) : "header";
                return name is not null && value is not null && place is not null
                    ? new HttpAuth.ApiKey(new Parameter(name, place == "query" ? ParameterPlace.Query : ParameterPlace.Header), value)
                    : null;
            }
            case "basic":
            {
                var user = Text("user", "the user name");
                // An API may take an empty password (a key as the user name): present, but possibly empty.
                var password = nodes.Required(map, "password", "auth of type basic", "the password, as ${API_PASSWORD}") is { } p
                    ? nodes.Scalar(p, "auth: password")
                    : null;
                return user is not null && password is not null ? new HttpAuth.Basic(user, password) : null;
            }
            default:
            {
                var url = nodes.Required(map, "token_url", $"auth of type {kind}", "where tokens are fetched") is { } u ? nodes.Url(u, "auth: token_url") : null;
                var id = Text("client_id", "the client id");
                var secret = Text("client_secret", "the client secret, as ${CLIENT_SECRET}");
                var scope = nodes.Optional(map, "scope") is { } s ? nodes.Scalar(s, "auth: scope") : null;
                return url is not null && id is not null && secret is not null
                    ? new HttpAuth.OAuth2ClientCredentials(url, id, secret, scope)
                    : null;
            }
        }
    }
}
