using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace EtlActors.Testing.Http;

/// <summary>
/// Checks a request's credentials against <see cref="StubApiOptions"/> (bearer, API key, Basic, or a token the OAuth
/// endpoint issued), names its tenant, and runs the OAuth2 client-credentials token endpoint.
/// </summary>
internal sealed class StubAuth(StubApiOptions options, StubRequestLog log)
{
    public const string TokenPath = "/oauth/token";

    private readonly ConcurrentDictionary<string, (string Client, TimeSpan ExpiresAt)> _issued = new(StringComparer.Ordinal);
    private int _tokens;

    /// <summary>Whether the request may be served; <paramref name="tenant"/> is the tenant its credential names, if any.</summary>
    public bool Admits(HttpRequest request, out string? tenant)
    {
        tenant = null;
        if (!options.RequiresAuth)
            return true;
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization["Bearer ".Length..].Trim();
            if (options.TenantsByToken.TryGetValue(token, out tenant))
                return true;
            if (_issued.TryGetValue(token, out var issued) && issued.ExpiresAt > log.Now)
            {
                tenant = issued.Client;
                return true;
            }
            return token == options.ExpectedToken;
        }
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return options.BasicUser is not null && TryBasic(authorization, out var user, out var password) &&
                user == options.BasicUser && password == options.BasicPassword;
        return options.ApiKey is not null &&
            (request.Headers[options.ApiKeyHeader].ToString() == options.ApiKey ||
             request.Query[options.ApiKeyQueryParameter].ToString() == options.ApiKey);
    }

    /// <summary>The request's tenant: the tenant header, else the credential's tenant.</summary>
    public string? TenantOf(HttpRequest request, string? credentialTenant)
    {
        var header = request.Headers[options.TenantHeader].ToString();
        return header.Length > 0 ? header : credentialTenant;
    }

    /// <summary>
    /// <c>POST /oauth/token</c> with a form of <c>grant_type=client_credentials</c> and the client's id and secret
    /// (in the form, or as Basic credentials as RFC 6749 prefers). Errors are RFC 6749's.
    /// </summary>
    public (int Status, JsonObject Body, string? Client) Issue(HttpRequest request, string? body)
    {
        if (!HttpMethods.IsPost(request.Method))
            return (405, Error("invalid_request"), null);
        var form = QueryHelpers.ParseQuery(body ?? "");
        string? id = form["client_id"], secret = form["client_secret"];
        if (TryBasic(request.Headers.Authorization.ToString(), out var user, out var password))
            (id, secret) = (Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
        if (form["grant_type"] != "client_credentials")
            return (400, Error("unsupported_grant_type"), id);
        if (id is null || secret is null)
            return (400, Error("invalid_request"), id);
        if (!options.OAuthClients.TryGetValue(id, out var expected) || expected != secret)
            return (401, Error("invalid_client"), id);
        var token = $"stub-access-{Interlocked.Increment(ref _tokens)}-{Convert.ToHexString(Guid.NewGuid().ToByteArray())[..12]}";
        _issued[token] = (id, log.Now + options.TokenLifetime);
        var response = new JsonObject
        {
            ["access_token"] = token,
            ["token_type"] = "Bearer",
            ["expires_in"] = (long)options.TokenLifetime.TotalSeconds,
        };
        if (form.TryGetValue("scope", out var scope))
            response["scope"] = scope.ToString();
        return (200, response, id);
    }

    private static JsonObject Error(string code) => new() { ["error"] = code };

    private static bool TryBasic(string authorization, out string user, out string password)
    {
        user = password = "";
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return false;
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..].Trim())).Split(':', 2);
            if (pair.Length != 2)
                return false;
            (user, password) = (pair[0], pair[1]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
