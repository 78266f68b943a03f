namespace EtlActors.Testing.Http;

/// <summary>
/// What a <see cref="StubApi"/> serves and how it authenticates. With no credential set every request is admitted;
/// with any set, a request must present one of them (401 otherwise).
/// </summary>
public sealed record StubApiOptions
{
    /// <summary>How many records the store is generated with (ids 1…N).</summary>
    public int Records { get; init; } = 1_000;

    /// <summary>Records per page where the request does not say (<c>limit</c>, <c>per_page</c>); Gong always uses it.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>Seeds the generated records: the same seed gives the same records.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>How many conversations (<c>C1</c>…<c>Cn</c>) the records are spread over; Slack's <c>channel</c> selects one.</summary>
    public int Conversations { get; init; } = 1;

    /// <summary>The first record's time; generated records follow one per second.</summary>
    public DateTimeOffset Epoch { get; init; } = new(2024, 5, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A bearer token that is accepted (<c>Authorization: Bearer …</c>).</summary>
    public string? ExpectedToken { get; init; }

    /// <summary>Further accepted bearer tokens, each naming the tenant whose requests it makes (see <see cref="StubApiStats.RequestsByTenant"/>).</summary>
    public IReadOnlyDictionary<string, string> TenantsByToken { get; init; } = new Dictionary<string, string>();

    /// <summary>A header naming the tenant of a request; it wins over the token's tenant.</summary>
    public string TenantHeader { get; init; } = "X-Tenant";

    /// <summary>An accepted API key, in the <see cref="ApiKeyHeader"/> header or the <see cref="ApiKeyQueryParameter"/> query parameter.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The header an API key may come in.</summary>
    public string ApiKeyHeader { get; init; } = "X-Api-Key";

    /// <summary>The query parameter an API key may come in.</summary>
    public string ApiKeyQueryParameter { get; init; } = "api_key";

    /// <summary>With <see cref="BasicPassword"/>: accepted <c>Authorization: Basic</c> credentials.</summary>
    public string? BasicUser { get; init; }

    /// <summary>With <see cref="BasicUser"/>: accepted <c>Authorization: Basic</c> credentials.</summary>
    public string? BasicPassword { get; init; }

    /// <summary>
    /// OAuth2 clients (client id → secret) that <c>POST /oauth/token</c> issues bearer tokens to; the tenant of a
    /// request made with an issued token is its client id.
    /// </summary>
    public IReadOnlyDictionary<string, string> OAuthClients { get; init; } = new Dictionary<string, string>();

    /// <summary>How long an issued token is accepted (its <c>expires_in</c>); after that a request with it gets 401.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    internal bool RequiresAuth =>
        ExpectedToken is not null || TenantsByToken.Count > 0 || ApiKey is not null || BasicUser is not null || OAuthClients.Count > 0;
}
