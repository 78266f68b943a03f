using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using EtlActors.Pipeline.Connectors.Http.Config;

namespace EtlActors.Pipeline.Connectors.Http.Extract;

/// <summary>Builds the request of one page of a resource: its URL, query, body and headers.</summary>
internal static class PageRequests
{
    public static HttpRequestMessage Build(HttpSourceConfig config, HttpResource resource, PageRequest? page, string? since, string? accessToken)
    {
        var query = new List<KeyValuePair<string, string>>();
        var body = resource.Body?.DeepClone().AsObject();
        void Set(Parameter parameter, string value)
        {
            if (parameter.Place == ParameterPlace.Body)
                SetField(body ??= [], parameter.Name, value);
            else
                query.Add(new(parameter.Name, value));
        }

        string url;
        if (page?.Url is { } next)
        {
            // A next URL from the API carries its own query: only the credentials are added to it.
            url = next;
        }
        else
        {
            url = config.BaseUrl.ToString().TrimEnd('/') + "/" + resource.Path.TrimStart('/');
            query.AddRange(resource.Query);
            if (resource.Incremental is { } incremental && since is not null)
                Set(incremental.Param, since);
            switch (resource.Pagination)
            {
                case Pagination.Cursor cursor when page?.Cursor is { } value:
                    Set(cursor.Into, value);
                    break;
                case Pagination.OffsetLimit offset:
                    Set(offset.Offset, (page?.Offset ?? 0).ToString(CultureInfo.InvariantCulture));
                    Set(offset.Limit, offset.PageSize.ToString(CultureInfo.InvariantCulture));
                    break;
                case Pagination.PageNumber number:
                    Set(number.Page, (page?.Number ?? number.FirstPage).ToString(CultureInfo.InvariantCulture));
                    if (number.Size is { } size && number.PageSize is { } pageSize)
                        Set(size, pageSize.ToString(CultureInfo.InvariantCulture));
                    break;
            }
        }
        // A next URL an API hands back often carries the key already: sending it twice is refused by some.
        if (config.Auth is HttpAuth.ApiKey { Key.Place: ParameterPlace.Query } key && !HasParameter(url, key.Key.Name))
            query.Add(new(key.Key.Name, key.Value));

        var request = new HttpRequestMessage(resource.Method, WithQuery(url, query));
        foreach (var (name, value) in config.Headers)
            request.Headers.TryAddWithoutValidation(name, value);
        switch (config.Auth)
        {
            case HttpAuth.Bearer bearer:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer.Token);
                break;
            case HttpAuth.OAuth2ClientCredentials when accessToken is not null:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
                break;
            case HttpAuth.Basic basic:
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes($"{basic.User}:{basic.Password}")));
                break;
            case HttpAuth.ApiKey { Key.Place: ParameterPlace.Header } header:
                request.Headers.TryAddWithoutValidation(header.Key.Name, header.Value);
                break;
        }
        if (resource.Method != HttpMethod.Get && body is not null)
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    /// <summary>Sets <paramref name="path"/> (dotted: <c>filter.fromDateTime</c>) in <paramref name="body"/>, creating the objects on the way.</summary>
    public static void SetField(JsonObject body, string path, string value)
    {
        var names = path.Split('.');
        var at = body;
        foreach (var name in names[..^1])
        {
            if (at[name] is not JsonObject child)
                at[name] = child = [];
            at = child;
        }
        at[names[^1]] = value;
    }

    private static bool HasParameter(string url, string name)
    {
        var at = url.IndexOf('?', StringComparison.Ordinal);
        return at >= 0 && url[(at + 1)..].Split('&').Any(p => Uri.UnescapeDataString(p.Split('=')[0]) == name);
    }

    private static string WithQuery(string url, List<KeyValuePair<string, string>> query)
    {
        if (query.Count == 0)
            return url;
        var text = string.Join("&", query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        return url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + text;
    }
}
