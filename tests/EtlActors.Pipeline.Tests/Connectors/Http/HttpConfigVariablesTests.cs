using EtlActors.Pipeline.Connectors.Http.Config;

namespace EtlActors.Pipeline.Tests.Connectors.Http;

/// <summary><c>${VAR}</c>s are filled from the environment after the YAML is read, and what they bring in is never shown.</summary>
public sealed class HttpConfigVariablesTests
{
    private const string WithVariables = """
        base_url: ${API_URL:-https://api.example.com/v2}
        headers: { X-Team: "${TEAM:-data}", X-Note: "costs $${not.a.variable}" }
        auth: { type: bearer, token: "${API_TOKEN}" }
        resources:
          - name: calls
            path: /channels/${CHANNEL}/calls
            records: calls
            mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
        """;

    [Fact]
    public void Variables_are_replaced_defaults_fill_unset_or_empty_ones_and_a_doubled_dollar_is_a_literal()
    {
        var config = HttpConfigs.Parse(WithVariables, HttpConfigs.Environment(("API_TOKEN", "s3cr#t: 'value'"), ("CHANNEL", "C1"), ("TEAM", "")));

        Assert.Equal(new Uri("https://api.example.com/v2"), config.BaseUrl);
        Assert.Equal([new("X-Team", "data"), new("X-Note", "costs ${not.a.variable}")], config.Headers);
        Assert.Equal(new HttpAuth.Bearer("s3cr#t: 'value'"), config.Auth); // taken as it is: never read as YAML
        Assert.Equal("/channels/C1/calls", config.Resources[0].Path);
        Assert.Equal(["s3cr#t: 'value'", "C1"], config.Secrets);
        Assert.Equal(["API_URL", "TEAM", "API_TOKEN", "CHANNEL"], config.Variables);
        Assert.Equal(WithVariables, config.Text);
    }

    [Fact]
    public void A_value_from_the_environment_is_not_searched_for_variables_again()
    {
        var config = HttpConfigs.Parse(WithVariables, HttpConfigs.Environment(("API_TOKEN", "${OTHER}"), ("CHANNEL", "C1")));

        Assert.Equal(new HttpAuth.Bearer("${OTHER}"), config.Auth);
    }

    [Fact]
    public void Redact_replaces_every_secret_the_longest_first()
    {
        var config = HttpConfigs.Parse(WithVariables, HttpConfigs.Environment(("API_TOKEN", "abcdef"), ("CHANNEL", "abc")));

        Assert.Equal("token *** and channel *** of https://api.example.com/v2", config.Redact("token abcdef and channel abc of https://api.example.com/v2"));
    }

    [Fact]
    public void A_problem_never_quotes_a_value_from_the_environment()
    {
        var problem = HttpConfigs.Problem("""
            base_url: https://api.example.com/v2
            max_retries: ${RETRIES}
            resources:
              - name: calls
                path: /calls
                records: calls
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """, HttpConfigs.Environment(("RETRIES", "hunter2")));

        Assert.Equal(new ConfigProblem(2, 14, "max_retries '***' is not a whole number"), problem);
    }

    [Theory]
    [InlineData("${1ST}", "'${1ST}' does not name a variable: use letters, digits and '_', not starting with a digit (write '$${' for a literal '${')")]
    [InlineData("abc${TOKEN", "'${' is not closed by '}' (write '$${' for a literal '${')")]
    public void A_malformed_variable_is_reported(string value, string message)
    {
        var problem = HttpConfigs.Problem($$"""
            base_url: https://api.example.com/v2
            auth: { type: bearer, token: "{{value}}" }
            resources:
              - name: calls
                path: /calls
                records: calls
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """);

        Assert.Equal(new ConfigProblem(2, 30, message), problem);
    }

    [Fact]
    public void Without_an_environment_variables_stay_unchecked_text_and_everything_else_is_checked()
    {
        const string Config = """
            base_url: ${API_URL}
            timeout: ${TIMEOUT}
            auth: { type: bearer, token: "${API_TOKEN}" }
            resources:
              - name: calls
                path: /channels/${CHANNEL}/calls
                records: calls
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """;

        var config = HttpSourceConfig.Parse(Config, HttpConfigs.Name, environment: null);

        Assert.Equal(new Uri("http://unresolved.invalid/"), config.BaseUrl);
        Assert.Equal(TimeSpan.FromSeconds(30), config.Timeout);
        Assert.Equal(new HttpAuth.Bearer("${API_TOKEN}"), config.Auth);
        Assert.Equal("/channels/${CHANNEL}/calls", config.Resources[0].Path);
        Assert.Empty(config.Secrets);
        Assert.Equal(["API_URL", "TIMEOUT", "API_TOKEN", "CHANNEL"], config.Variables);

        var problem = Assert.Single(Assert.Throws<HttpSourceConfigException>(
            () => HttpSourceConfig.Parse(Config.Replace("timeout:", "time_out:", StringComparison.Ordinal), HttpConfigs.Name, null)).Problems);
        Assert.Equal(new ConfigProblem(2, 1, "unknown key 'time_out' in the config (known: base_url, headers, auth, rate_limit, timeout, max_retries, resources)"), problem);
    }
}
