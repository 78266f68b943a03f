using EtlActors.Pipeline.Connectors.Http.Config;

namespace EtlActors.Pipeline.Tests.Connectors.Http;

/// <summary>Each kind of mistake in an HTTP source config is reported where it is, with what would be right.</summary>
public sealed class HttpConfigProblemTests
{
    [Fact]
    public void An_unknown_key_is_reported_at_the_key_with_the_known_ones()
    {
        var problem = HttpConfigs.Problem("""
            base_url: https://api.example.com/v2
            retries: 3
            resources:
              - name: calls
                path: /calls
                records: calls
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """);

        Assert.Equal((2L, 1L), (problem.Line, problem.Column));
        Assert.Equal("unknown key 'retries' in the config (known: base_url, headers, auth, rate_limit, timeout, max_retries, resources)", problem.Message);
    }

    [Fact]
    public void A_missing_key_is_reported_at_the_block_that_lacks_it_with_what_it_takes()
    {
        var problem = HttpConfigs.Problem("""
            base_url: https://api.example.com/v2
            resources:
              - name: calls
                path: /calls
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """);

        Assert.Equal((3L, 5L), (problem.Line, problem.Column));
        Assert.Equal("resource 'calls': 'records' is missing (the JSON path of the records in a response; '$' for a response that is the list)", problem.Message);
    }

    [Theory]
    [InlineData("max_retries: many", 14, "max_retries 'many' is not a whole number")]
    [InlineData("max_retries: -1", 14, "max_retries is -1: it must be at least 0")]
    [InlineData("rate_limit: { requests_per_second: fast }", 36, "rate_limit: requests_per_second 'fast' is not a number")]
    [InlineData("rate_limit: { requests_per_second: 0 }", 36, "rate_limit: requests_per_second is 0: it must be above 0")]
    [InlineData("rate_limit: { requests_per_second: 1, concurrent: 0 }", 51, "rate_limit: concurrent is 0: it must be at least 1")]
    [InlineData("headers: [X-Team]", 10, "headers must be a set of 'key: value' lines")]
    [InlineData("auth: { type: token, token: abc }", 15, "auth: type 'token' is not one of bearer, api_key, basic, oauth2_client_credentials")]
    public void A_value_of_the_wrong_type_is_reported_at_the_value(string line, long column, string message)
    {
        var problem = HttpConfigs.Problem($$"""
            base_url: https://api.example.com/v2
            {{line}}
            resources:
              - name: calls
                path: /calls
                records: calls
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """);

        Assert.Equal((2L, column), (problem.Line, problem.Column));
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void An_unknown_method_is_reported_with_the_allowed_ones()
    {
        var problem = HttpConfigs.Problem("""
            base_url: https://api.example.com/v2
            resources:
              - name: calls
                path: /calls
                method: PUT
                records: calls
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """);

        Assert.Equal((5L, 13L), (problem.Line, problem.Column));
        Assert.Equal("resource 'calls': method 'PUT' is not one of GET, POST", problem.Message);
    }

    [Theory]
    [InlineData("timeout: 30 seconds", 10, "timeout '30 seconds' is not a duration: write a number and a unit, as 500ms, 30s, 5m, 1h or 1d")]
    [InlineData("timeout: 30", 10, "timeout '30' is not a duration: write a number and a unit, as 500ms, 30s, 5m, 1h or 1d")]
    [InlineData("timeout: 0", 10, "timeout is 0: a request needs some time")]
    public void A_bad_duration_is_reported_with_how_to_write_one(string line, long column, string message)
    {
        var problem = HttpConfigs.Problem($$"""
            base_url: https://api.example.com/v2
            {{line}}
            resources:
              - name: calls
                path: /calls
                records: calls
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """);

        Assert.Equal((2L, column), (problem.Line, problem.Column));
        Assert.Equal(message, problem.Message);
    }

    [Theory]
    [InlineData("ftp://files.example.com")]
    [InlineData("api.example.com/v2")]
    public void A_base_url_that_is_not_an_absolute_http_url_is_reported(string url)
    {
        var problem = HttpConfigs.Problem($$"""
            base_url: {{url}}
            resources:
              - name: calls
                path: /calls
                records: calls
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """);

        Assert.Equal((1L, 11L), (problem.Line, problem.Column));
        Assert.Equal($"base_url '{url}' is not an absolute http or https URL", problem.Message);
    }

    [Fact]
    public void A_resource_path_that_is_a_whole_url_is_refused()
    {
        var problem = HttpConfigs.Problem("""
            base_url: https://api.example.com/v2
            resources:
              - name: calls
                path: https://other.example.com/calls
                records: calls
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """);

        Assert.Equal((4L, 11L), (problem.Line, problem.Column));
        Assert.StartsWith("resource 'calls': path 'https://other.example.com/calls' is a URL", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_json_path_is_reported_with_what_is_wrong_with_it()
    {
        var problems = HttpConfigs.Problems("""
            base_url: https://api.example.com/v2
            resources:
              - name: calls
                path: /calls
                records: data..items
                paginate: { type: cursor, cursor: "next[x]", into: { query: cursor } }
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """);

        Assert.Equal(
            [
                new(5, 14, "resource 'calls': records 'data..items' is not a JSON path: a property name is empty"),
                new(6, 39, "resource 'calls': paginate: cursor 'next[x]' is not a JSON path: 'next[x]' has an array index that is not [n] with n a whole number"),
            ],
            problems);
    }

    [Fact]
    public void A_missing_variable_is_named_where_it_is_used()
    {
        var problem = HttpConfigs.Problem("""
            base_url: https://api.example.com/v2
            auth:
              type: bearer
              token: ${API_TOKEN}
            resources:
              - name: calls
                path: /calls
                records: calls
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """);

        Assert.Equal((4L, 10L), (problem.Line, problem.Column));
        Assert.Equal("variable 'API_TOKEN' is not set (give it a value, or a default with '${API_TOKEN:-default}')", problem.Message);
    }

    [Fact]
    public void A_resource_name_used_twice_is_reported_at_the_second_with_the_line_of_the_first()
    {
        var problem = HttpConfigs.Problem("""
            base_url: https://api.example.com/v2
            resources:
              - name: calls
                path: /calls
                records: calls
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
              - name: calls
                path: /calls/archived
                records: calls
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """);

        Assert.Equal((7L, 11L), (problem.Line, problem.Column));
        Assert.Equal("resource name 'calls' is used twice (first on line 3)", problem.Message);
    }

    [Fact]
    public void Invalid_yaml_is_one_problem_at_its_position()
    {
        var problem = HttpConfigs.Problem("""
            base_url: https://api.example.com/v2
            resources:
              - name: calls
                path: [/calls
            """);

        Assert.Equal(5L, problem.Line);
        Assert.StartsWith("not valid YAML: ", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Line:", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_of_a_config_is_reported_at_once_in_file_order_one_line_each()
    {
        var ex = Assert.Throws<HttpSourceConfigException>(() => HttpConfigs.Parse("""
            base_url: http//api.example.com
            timeout: soon
            auth: { type: bearer, token: "${TOKEN}" }
            resources:
              - name: calls
                path: /calls
                records: calls
                paginate: { type: cursor, cursor: next }
                mapping: { into: messages, columns: { conversation_id: channel } }
              - name: calls
                path: /calls
                colour: blue
            """));

        Assert.Equal(
            """
            api.yaml:1:11: base_url 'http//api.example.com' is not an absolute http or https URL
            api.yaml:2:10: timeout 'soon' is not a duration: write a number and a unit, as 500ms, 30s, 5m, 1h or 1d
            api.yaml:3:30: variable 'TOKEN' is not set (give it a value, or a default with '${TOKEN:-default}')
            api.yaml:8:15: resource 'calls': paginate: 'into' is missing (as { query: name } or { body: field.path })
            api.yaml:9:14: resource 'calls': mapping: messages need column 'message_id'
            api.yaml:10:5: resource 'calls': 'records' is missing (the JSON path of the records in a response; '$' for a response that is the list)
            api.yaml:10:5: resource 'calls': 'mapping' is missing (how a record becomes rows, as a files mapping: into, columns…)
            api.yaml:10:11: resource name 'calls' is used twice (first on line 5)
            api.yaml:12:5: unknown key 'colour' in resource 'calls' (known: name, path, method, query, body, records, paginate, incremental, fields, mapping)
            """.ReplaceLineEndings("\n"),
            ex.Message);
        Assert.Equal(9, ex.Problems.Count);
        Assert.Equal(HttpConfigs.Name, ex.ConfigName);
    }
}
