using EtlActors.Pipeline.Connectors.Http.Config;

namespace EtlActors.Pipeline.Tests.Connectors.Http;

/// <summary>Request settings that cannot work together are refused where they are written.</summary>
public sealed class HttpConfigRequestTests
{
    [Fact]
    public void A_body_and_body_parameters_need_a_post()
    {
        var problems = HttpConfigs.Problems("""
            base_url: https://api.example.com
            resources:
              - name: items
                path: /items
                body: { filter: {} }
                records: items
                paginate: { type: cursor, cursor: next, into: { body: cursor } }
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """);

        Assert.Equal(
            [
                new ConfigProblem(5, 11, "resource 'items': 'body' needs 'method: POST'"),
                new ConfigProblem(7, 53, "resource 'items': paginate: into: a body field needs 'method: POST'"),
            ],
            problems);
    }

    [Fact]
    public void A_page_size_parameter_and_its_value_go_together()
    {
        var problem = HttpConfigs.Problem("""
            base_url: https://api.example.com
            resources:
              - name: items
                path: /items
                records: items
                paginate: { type: page_number, page: { query: page }, size: { query: per_page } }
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """);

        Assert.Equal(new ConfigProblem(6, 65, "resource 'items': paginate: 'size' (the parameter) and 'page_size' (its value) go together"), problem);
    }

    [Fact]
    public void Keys_of_another_pagination_kind_are_unknown_for_this_one()
    {
        var problem = HttpConfigs.Problem("""
            base_url: https://api.example.com
            resources:
              - name: items
                path: /items
                records: items
                paginate: { type: link_header, next: links.next }
                mapping: { into: messages, columns: { conversation_id: channel, message_id: id } }
            """);

        Assert.Equal(new ConfigProblem(6, 36, "unknown key 'next' in resource 'items': paginate of type link_header (known: type)"), problem);
    }
}
