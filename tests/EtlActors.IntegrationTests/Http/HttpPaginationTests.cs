using EtlActors.Cli;
using EtlActors.IntegrationTests.Support;
using EtlActors.Pipeline.Connectors;
using EtlActors.Testing.Http;

namespace EtlActors.IntegrationTests.Http;

/// <summary>
/// Each pagination kind, with each kind of credentials, end to end through `etl run` (in this process) against the
/// stub's /items: every record is loaded once, each page is asked for once, and the credentials were accepted.
/// </summary>
public sealed class HttpPaginationTests : IDisposable
{
    private const int Records = 730; // not a multiple of the page size: the last page is short
    private readonly TempFolder _dir = new();

    public static TheoryData<string> Kinds => ["next_url", "link_header", "offset", "page_number"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Every_record_is_loaded_once_and_every_page_asked_for_once(string kind)
    {
        var (paginate, auth, options) = Case(kind);
        await using var api = await StubApi.StartAsync(options with { Records = Records, PageSize = 100, Conversations = 3 });
        var variable = $"PAGING_{kind.ToUpperInvariant()}_SECRET";
        Environment.SetEnvironmentVariable(variable, "s3cret-" + kind);
        var config = _dir.File($"{kind}.yaml");
        await File.WriteAllTextAsync(config, $$"""
            base_url: {{api.BaseUrl}}
            auth: {{auth.Replace("$SECRET", "${" + variable + "}", StringComparison.Ordinal).Replace("__TOKEN_URL__", api.BaseUrl + "/oauth/token", StringComparison.Ordinal)}}
            resources:
              - name: items
                path: /items
                records: items
                paginate: {{paginate}}
                mapping:
                  into: messages
                  columns: { conversation_id: conversation, message_id: id, content_text: text }
            """);
        var database = _dir.File($"{kind}.db");

        var exit = await EtlCommandLine.InvokeAsync(["run", config, "--sink", $"sqlite:{database}", "--job-id", kind], SourceConnectors.Builtin());

        Assert.Equal(0, exit);
        await using var tables = Tables.Sqlite(database);
        Assert.Equal(Records, await tables.CountAsync("messages", "source = 'items'"));
        Assert.Equal(api.Records[^1].Text, await tables.ScalarAsync($"SELECT content_text FROM messages WHERE message_id = '{api.Records[^1].Id}'"));
        var pages = api.Log.Where(r => r.Path == "/items").ToList();
        Assert.All(pages, r => Assert.Equal(200, r.Status));
        Assert.Equal(Records, pages.Sum(r => r.RecordsServed));
        Assert.Equal(0, api.Stats.PagesRefetched);
        Assert.Equal(kind == "page_number" ? 1 : 0, api.Stats.TokensIssued); // OAuth2: one token for the whole run
    }

    private static (string Paginate, string Auth, StubApiOptions Options) Case(string kind) => kind switch
    {
        "next_url" => ("{ type: next_url, next: links.next }", "{ type: api_key, name: X-Api-Key, value: \"$SECRET\" }",
            new StubApiOptions { ApiKey = "s3cret-next_url" }),
        "link_header" => ("{ type: link_header }", "{ type: api_key, name: api_key, in: query, value: \"$SECRET\" }",
            new StubApiOptions { ApiKey = "s3cret-link_header" }),
        "offset" => ("{ type: offset, offset: { query: offset }, limit: { query: limit }, page_size: 100 }",
            "{ type: basic, user: etl, password: \"$SECRET\" }", new StubApiOptions { BasicUser = "etl", BasicPassword = "s3cret-offset" }),
        _ => ("{ type: page_number, page: { query: page }, size: { query: per_page }, page_size: 100 }",
            "{ type: oauth2_client_credentials, token_url: \"__TOKEN_URL__\", client_id: etl, client_secret: \"$SECRET\" }",
            new StubApiOptions { OAuthClients = new Dictionary<string, string> { ["etl"] = "s3cret-page_number" } }),
    };

    public void Dispose() => _dir.Dispose();
}
