namespace EtlActors.Pipeline.Tests.Connectors.Http;

/// <summary>A resource's mapping is a files mapping, checked as one, with its problems placed in the whole config.</summary>
public sealed class HttpConfigMappingTests
{
    [Fact]
    public void A_bad_mapping_column_is_reported_at_its_line_and_column_in_the_whole_file()
    {
        var problem = HttpConfigs.Problem("""
            base_url: https://api.example.com/v2
            resources:
              - name: calls
                path: /calls
                records: calls
                mapping:
                  into: messages
                  columns:
                    conversation_id: channel
                    message_id: id
                    author: user.name
            """);

        Assert.Equal((11L, 9L), (problem.Line, problem.Column));
        Assert.StartsWith("resource 'calls': mapping: 'author' is not a messages column (known: conversation_id, message_id,", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mapping_from_that_is_not_a_json_path_is_reported_at_the_column()
    {
        var problem = HttpConfigs.Problem("""
            base_url: https://api.example.com/v2
            resources:
              - name: calls
                path: /calls
                records: calls
                mapping:
                  into: messages
                  columns: { conversation_id: channel, message_id: "items[first]" }
            """);

        Assert.Equal((8L, 56L), (problem.Line, problem.Column));
        Assert.Equal("resource 'calls': mapping: column 'message_id': from 'items[first]' is not a JSON path: 'items[first]' has an array index that is not [n] with n a whole number", problem.Message);
    }

    [Theory]
    [InlineData("format: csv", "format")]
    [InlineData("csv: { separator: ';' }", "csv")]
    public void A_files_only_key_in_a_mapping_is_refused(string line, string key)
    {
        var problem = HttpConfigs.Problem($$"""
            base_url: https://api.example.com/v2
            resources:
              - name: calls
                path: /calls
                records: calls
                mapping:
                  {{line}}
                  into: messages
                  columns: { conversation_id: channel, message_id: id }
            """);

        Assert.Equal((7L, 7L), (problem.Line, problem.Column));
        Assert.Equal($"resource 'calls': mapping: '{key}' is only for a files source: an HTTP resource's records are JSON", problem.Message);
    }
}
