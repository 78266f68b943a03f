using System.Text.Json;
using EtlActors.Pipeline.Connectors.Http.Config;

namespace EtlActors.Pipeline.Connectors.Http.Extract;

/// <summary>An OAuth2 client-credentials access token, fetched when first needed and again shortly before it expires.</summary>
internal sealed class OAuth2Tokens(HttpAuth.OAuth2ClientCredentials auth, HttpClient client)
{
    private static readonly TimeSpan Early = TimeSpan.FromSeconds(30);
    private string? _token;
    private DateTimeOffset _expires;

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_token is not null && DateTimeOffset.UtcNow < _expires - Early)
            return _token;
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "client_credentials"),
            new("client_id", auth.ClientId),
            new("client_secret", auth.ClientSecret),
        };
        if (auth.Scope is not null)
            form.Add(new("scope", auth.Scope));
        using var response = await client.PostAsync(auth.TokenUrl, new FormUrlEncodedContent(form), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"the OAuth2 token endpoint {auth.TokenUrl.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} {response.StatusCode}", null, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        var root = document.RootElement;
        _token = root.TryGetProperty("access_token", out var token) && token.GetString() is { Length: > 0 } t
            ? t
            : throw new HttpRequestException($"the OAuth2 token endpoint {auth.TokenUrl.GetLeftPart(UriPartial.Path)} gave no access_token");
        var seconds = root.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var s) ? s : 3600;
        _expires = DateTimeOffset.UtcNow.AddSeconds(seconds);
        return _token;
    }

    /// <summary>The token was refused: fetch another before the next request.</summary>
    public void Expire() => _token = null;
}
