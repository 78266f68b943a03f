using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using EtlActors.Testing.Http;

namespace EtlActors.IntegrationTests.Http;

/// <summary>Each kind of auth the stub checks, the OAuth2 token endpoint, and the tenants requests are counted under.</summary>
public sealed partial class StubApiTests
{
    [Fact]
    public async Task A_bearer_token_is_required_when_one_is_expected()
    {
        var api = await StartAsync(new StubApiOptions { Records = 10, PageSize = 5, ExpectedToken = "s3cret" });

        using var none = await _client.GetAsync(api.Url("/items"));
        using var wrong = await Send(api, "/items", new AuthenticationHeaderValue("Bearer", "guess"));
        using var right = await Send(api, "/items", new AuthenticationHeaderValue("Bearer", "s3cret"));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal([401, 401, 200], api.Log.Select(e => e.Status));
        Assert.Equal(5, api.Stats.RecordsServed);
    }

    [Fact]
    public async Task An_api_key_goes_in_its_header_or_query_parameter_and_Basic_takes_user_and_password()
    {
        var api = await StartAsync(new StubApiOptions { Records = 10, PageSize = 5, ApiKey = "k-1", BasicUser = "etl", BasicPassword = "pw:with:colons" });

        using var header = new HttpRequestMessage(HttpMethod.Get, api.Url("/items"));
        header.Headers.Add("X-Api-Key", "k-1");
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(header)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(api.Url("/items?api_key=k-1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.GetAsync(api.Url("/items?api_key=k-2"))).StatusCode);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("etl:pw:with:colons"));
        Assert.Equal(HttpStatusCode.OK, (await Send(api, "/items", new AuthenticationHeaderValue("Basic", basic))).StatusCode);
        var wrong = Convert.ToBase64String(Encoding.UTF8.GetBytes("etl:nope"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(api, "/items", new AuthenticationHeaderValue("Basic", wrong))).StatusCode);
        // The key survives into next links, so a client following them stays authenticated.
        var page = (await _client.GetFromJsonAsync<JsonObject>(api.Url("/items?api_key=k-1")))!;
        Assert.Contains("api_key=k-1", page["links"]!["next"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_oauth_endpoint_issues_tokens_that_expire_and_name_the_client_as_tenant()
    {
        var api = await StartAsync(new StubApiOptions
        {
            Records = 10,
            PageSize = 5,
            OAuthClients = new Dictionary<string, string> { ["client-a"] = "secret-a" },
            TokenLifetime = TimeSpan.FromSeconds(1),
        });

        using var issued = await Token(api, "client-a", "secret-a", "client_credentials");
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var token = await StubWalk.JsonAsync(issued);
        Assert.Equal("Bearer", token["token_type"]!.GetValue<string>());
        Assert.Equal(1, token["expires_in"]!.GetValue<int>());
        var bearer = new AuthenticationHeaderValue("Bearer", token["access_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await Send(api, "/items", bearer)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Token(api, "client-a", "wrong", "client_credentials")).StatusCode);
        using var badGrant = await Token(api, "client-a", "secret-a", "password");
        Assert.Equal(HttpStatusCode.BadRequest, badGrant.StatusCode);
        Assert.Equal("unsupported_grant_type", (await StubWalk.JsonAsync(badGrant))["error"]!.GetValue<string>());

        await Task.Delay(TimeSpan.FromSeconds(1.1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(api, "/items", bearer)).StatusCode);
        Assert.Equal(1, api.Stats.TokensIssued);
        Assert.Equal("client-a", api.Log[1].Tenant);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _client.GetAsync(api.Url("/items"))).StatusCode);
    }

    [Fact]
    public async Task Requests_are_counted_per_tenant_by_token_or_by_header()
    {
        var api = await StartAsync(new StubApiOptions
        {
            Records = 30,
            PageSize = 10,
            TenantsByToken = new Dictionary<string, string> { ["token-a"] = "acme", ["token-b"] = "globex" },
        });

        await Walk(api, "token-a");
        await Walk(api, "token-b");
        using var headed = new HttpRequestMessage(HttpMethod.Get, api.Url("/items"));
        headed.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "token-b");
        headed.Headers.Add("X-Tenant", "initech");
        Assert.Equal(HttpStatusCode.OK, (await _client.SendAsync(headed)).StatusCode);

        var stats = api.Stats;
        Assert.Equal(3, stats.RequestsByTenant["acme"]);
        Assert.Equal(3, stats.RequestsByTenant["globex"]);
        Assert.Equal(1, stats.RequestsByTenant["initech"]);
        // Two tenants walking the same pages is no re-fetch by either.
        Assert.Empty(stats.RefetchedPages("acme"));
        Assert.Empty(stats.RefetchedPages("globex"));
        // Figures over one tenant's part of the log.
        Assert.Equal(3, new StubApiStats([.. api.Log.Where(e => e.Tenant == "acme")]).MaxRequestsInAnyWindow(TimeSpan.FromDays(1)).Sliding);
    }

    private async Task Walk(StubApi api, string token)
    {
        var url = api.Url("/items");
        for (string? next = url; next is not null;)
        {
            using var response = await Send(api, next[api.BaseUrl.Length..], new AuthenticationHeaderValue("Bearer", token));
            next = (await StubWalk.JsonAsync(response))["links"]!["next"]?.GetValue<string>();
        }
    }

    private async Task<HttpResponseMessage> Send(StubApi api, string pathAndQuery, AuthenticationHeaderValue authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, api.Url(pathAndQuery));
        request.Headers.Authorization = authorization;
        return await _client.SendAsync(request);
    }

    private Task<HttpResponseMessage> Token(StubApi api, string id, string secret, string grant) =>
        _client.PostAsync(api.Url("/oauth/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = grant,
            ["client_id"] = id,
            ["client_secret"] = secret,
        }));
}
