using EtlActors.Pipeline.Connectors.Files.Mapping;
using EtlActors.Pipeline.Connectors.Http.Config;

namespace EtlActors.Pipeline.Tests.Connectors.Http;

/// <summary>A valid config becomes the model it describes, with the documented defaults for what it leaves out.</summary>
public sealed class HttpConfigModelTests
{
    [Fact]
    public void A_minimal_config_takes_every_default()
    {
        var config = HttpConfigs.Parse("""
            base_url: https://api.example.com:8443/v2
            resources:
              - name: calls
                path: /calls
                records: $
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """);

        Assert.Equal(new Uri("https://api.example.com:8443/v2"), config.BaseUrl);
        Assert.Equal("api.example.com:8443", config.Host);
        Assert.Empty(config.Headers);
        Assert.Null(config.Auth);
        Assert.Null(config.RateLimit);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Timeout);
        Assert.Equal(5, config.MaxRetries);
        var resource = Assert.Single(config.Resources);
        Assert.Equal(("calls", "/calls", HttpMethod.Get, "$", 3L), (resource.Name, resource.Path, resource.Method, resource.Records, resource.Line));
        Assert.Empty(resource.Query);
        Assert.Null(resource.Body);
        Assert.Equal(new Pagination.None(), resource.Pagination);
        Assert.Null(resource.Incremental);
        Assert.Equal("calls", resource.Mapping.Source); // a mapping's source defaults to its resource
    }

    [Fact]
    public void Every_setting_of_a_full_config_reaches_the_model()
    {
        var config = HttpConfigs.Parse("""
            base_url: https://api.example.com/v2
            headers: { X-Team: data, Accept: application/json }
            rate_limit: { requests_per_second: 0.5 }
            timeout: 500ms
            max_retries: 0
            resources:
              - name: calls
                path: /calls/extensive?detail=full
                method: post
                query: { limit: 100, sort: asc }
                body:
                  filter: { fromDateTime: "2020-01-01T00:00:00Z", limit: 100, ratio: 0.5, active: true, quoted: "100", none: ~ }
                  tags: [a, 1, -2.5e3]
                records: data.calls[0].items
                incremental:
                  field: metaData.started
                  param: { body: filter.fromDateTime }
                  lookback: 1h
                  initial: "2020-01-01T00:00:00Z"
                mapping:
                  source: gong
                  into: table
                  table: calls
                  key: [call_id]
                  columns: { call_id: metaData.id, started: { from: metaData.started, type: timestamp } }
            """);

        Assert.Equal([new("X-Team", "data"), new("Accept", "application/json")], config.Headers);
        Assert.Equal(new RateLimit(0.5, 1), config.RateLimit);
        Assert.Equal((TimeSpan.FromMilliseconds(500), 0), (config.Timeout, config.MaxRetries));
        var resource = config.Resources[0];
        Assert.Equal(("/calls/extensive?detail=full", HttpMethod.Post, "data.calls[0].items"), (resource.Path, resource.Method, resource.Records));
        Assert.Equal([new("limit", "100"), new("sort", "asc")], resource.Query);
        Assert.Equal(
            """{"filter":{"fromDateTime":"2020-01-01T00:00:00Z","limit":100,"ratio":0.5,"active":true,"quoted":"100","none":null},"tags":["a",1,-2.5e3]}""",
            resource.Body!.ToJsonString());
        Assert.Equal(
            new Incremental("metaData.started", new Parameter("filter.fromDateTime", ParameterPlace.Body), WatermarkType.Timestamp, TimeSpan.FromHours(1), "2020-01-01T00:00:00Z"),
            resource.Incremental);
        Assert.Equal(("gong", MappingTarget.Table, "calls"), (resource.Mapping.Source, resource.Mapping.Target, resource.Mapping.Table!.Name));
        Assert.Equal(new MappedColumn("started", "metaData.started", Records.ColumnType.Timestamp, null, 25), resource.Mapping.Column("started"));
    }

    [Fact]
    public void A_resources_mapping_text_parses_as_the_same_files_mapping_so_a_job_can_carry_it()
    {
        var mapping = HttpConfigs.Parse("""
            base_url: https://slack.com
            resources:
              - name: history
                path: /api/conversations.history
                records: messages
                mapping:
                  into: messages
                  columns:
                    conversation_id: channel
                    message_id: ts
                    thread_id: thread_ts
                    sent_at: { from: ts, type: timestamp, format: unix }
                    content_text: "text"
            """).Resources[0].Mapping;

        var again = FileMapping.Parse(mapping.Text, "the job's mapping");

        Assert.Equal(mapping.Columns.Select(c => (c.Name, c.From, c.Type, c.Format)), again.Columns.Select(c => (c.Name, c.From, c.Type, c.Format)));
        Assert.Equal(("history", MappingTarget.Messages, (FileFormat?)null), (again.Source, again.Target, again.Format));
    }

    public static TheoryData<string, Pagination> Paginations => new()
    {
        { "{ type: none }", new Pagination.None() },
        { "{ type: cursor, cursor: paging.next.after, into: { query: after } }", new Pagination.Cursor("paging.next.after", new("after", ParameterPlace.Query)) },
        { "{ type: cursor, cursor: records.cursor, into: { body: page.cursor } }", new Pagination.Cursor("records.cursor", new("page.cursor", ParameterPlace.Body)) },
        { "{ type: next_url, next: links.next }", new Pagination.NextUrl("links.next") },
        { "{ type: link_header }", new Pagination.LinkHeader() },
        { "{ type: offset, offset: { query: offset }, limit: { query: limit }, page_size: 100 }", new Pagination.OffsetLimit(new("offset", ParameterPlace.Query), new("limit", ParameterPlace.Query), 100) },
        { "{ type: page_number, page: { query: page } }", new Pagination.PageNumber(new("page", ParameterPlace.Query), 1, null, null) },
        { "{ type: page_number, page: { body: p }, first_page: 0, size: { query: per_page }, page_size: 50 }", new Pagination.PageNumber(new("p", ParameterPlace.Body), 0, new("per_page", ParameterPlace.Query), 50) },
    };

    [Theory]
    [MemberData(nameof(Paginations))]
    public void Each_pagination_kind_becomes_its_model(string paginate, Pagination expected)
    {
        var config = HttpConfigs.Parse($$"""
            base_url: https://api.example.com
            resources:
              - name: items
                path: /items
                method: POST
                records: items
                paginate: {{paginate}}
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """);

        Assert.Equal(expected, config.Resources[0].Pagination);
    }

    public static TheoryData<string, HttpAuth> Auths => new()
    {
        { "{ type: bearer, token: t0k }", new HttpAuth.Bearer("t0k") },
        { "{ type: api_key, name: X-Api-Key, value: k3y }", new HttpAuth.ApiKey(new("X-Api-Key", ParameterPlace.Header), "k3y") },
        { "{ type: api_key, name: api_key, in: query, value: k3y }", new HttpAuth.ApiKey(new("api_key", ParameterPlace.Query), "k3y") },
        { "{ type: basic, user: ann, password: \"\" }", new HttpAuth.Basic("ann", "") },
        { "{ type: oauth2_client_credentials, token_url: https://id.example.com/token, client_id: etl, client_secret: s, scope: read }", new HttpAuth.OAuth2ClientCredentials(new Uri("https://id.example.com/token"), "etl", "s", "read") },
        { "{ type: oauth2_client_credentials, token_url: https://id.example.com/token, client_id: etl, client_secret: s }", new HttpAuth.OAuth2ClientCredentials(new Uri("https://id.example.com/token"), "etl", "s", null) },
    };

    [Theory]
    [MemberData(nameof(Auths))]
    public void Each_auth_kind_becomes_its_model(string auth, HttpAuth expected)
    {
        var config = HttpConfigs.Parse($$"""
            base_url: https://api.example.com
            auth: {{auth}}
            resources:
              - name: items
                path: /items
                records: items
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """);

        Assert.Equal(expected, config.Auth);
    }

    [Theory]
    [InlineData("unix", "1714557600.000200", WatermarkType.Unix)]
    [InlineData("unix_ms", "1714557600000", WatermarkType.UnixMs)]
    public void An_incremental_cursor_takes_its_type_and_checks_its_initial_value(string type, string initial, WatermarkType expected)
    {
        var config = HttpConfigs.Parse($$"""
            base_url: https://api.example.com
            resources:
              - name: items
                path: /items
                records: items
                incremental: { field: ts, param: { query: oldest }, type: {{type}}, initial: "{{initial}}" }
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """);

        Assert.Equal(new Incremental("ts", new Parameter("oldest", ParameterPlace.Query), expected, TimeSpan.Zero, initial), config.Resources[0].Incremental);
    }
}
