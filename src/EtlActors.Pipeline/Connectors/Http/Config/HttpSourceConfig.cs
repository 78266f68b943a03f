using System.Text.Json.Nodes;
using EtlActors.Pipeline.Connectors.Files.Mapping;

namespace EtlActors.Pipeline.Connectors.Http.Config;

/// <summary>
/// A paged HTTP API declared in YAML (<c>sources/&lt;name&gt;.yaml</c>): where it is, how to authenticate, how fast
/// it may be called, and the resources to pull with their pagination, incremental cursor and mapping. Values are
/// resolved: <c>${VAR}</c> and <c>${VAR:-default}</c> are replaced from the environment of the process that parsed it
/// (a job carries the unresolved text; the node that runs it parses it again with its own environment).
/// </summary>
/// <param name="Text">The YAML as given, with its <c>${VAR}</c> forms (what a job carries and persists).</param>
/// <param name="BaseUrl">Absolute http(s) URL each resource's path is relative to.</param>
/// <param name="Headers">Headers sent with every request.</param>
/// <param name="Auth">How requests authenticate, or null.</param>
/// <param name="RateLimit">The budget shared by every job that calls <see cref="Host"/>, or null for none.</param>
/// <param name="Timeout">How long one request may take before it is retried.</param>
/// <param name="MaxRetries">Attempts after the first for a 429, 5xx, timeout or dropped connection, per request.</param>
/// <param name="Resources">What to pull, in order; at least one.</param>
public sealed partial record HttpSourceConfig(
    string Text,
    Uri BaseUrl,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    HttpAuth? Auth,
    RateLimit? RateLimit,
    TimeSpan Timeout,
    int MaxRetries,
    IReadOnlyList<HttpResource> Resources)
{
    /// <summary>The host a rate limit is shared by: <c>host:port</c> of <see cref="BaseUrl"/>.</summary>
    public string Host => $"{BaseUrl.Host}:{BaseUrl.Port}";

    /// <summary>The values substituted from the environment (tokens, passwords…): removed from any text shown or logged.</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];
}

/// <summary>One endpoint to pull: its request, where its records are in a response, how it pages, and how its records map to rows.</summary>
/// <param name="Name">Unique in the config; names the resource in errors, positions and raw records.</param>
/// <param name="Path">Relative to the base URL (may hold its own query string).</param>
/// <param name="Method">GET (default) or POST.</param>
/// <param name="Query">Query parameters sent with every page, in order.</param>
/// <param name="Body">JSON body of a POST (null for none); pagination and incremental parameters are set into a copy of it.</param>
/// <param name="Records">JSON path to the array of records in a response body (e.g. <c>data.items</c>); <c>$</c> for a body that is the array.</param>
/// <param name="Pagination">How the next page is asked for.</param>
/// <param name="Incremental">The cursor field that makes a later run fetch only what changed, or null.</param>
/// <param name="Mapping">How each record becomes rows: the same mapping as a files source (JSON paths into the record).</param>
/// <param name="Line">Where the resource is declared in the YAML (for errors).</param>
public sealed record HttpResource(
    string Name,
    string Path,
    HttpMethod Method,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    JsonObject? Body,
    string Records,
    Pagination Pagination,
    Incremental? Incremental,
    FileMapping Mapping,
    long Line = 0)
{
    /// <summary>
    /// Values every record of the resource has when it lacks them, by name (a mapping's <c>from</c> names them): what the
    /// request says and the records do not, such as the channel a Slack history belongs to.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; init; } = [];
}

/// <summary>Where a request parameter goes.</summary>
public enum ParameterPlace
{
    /// <summary>The URL's query string.</summary>
    Query = 1,
    /// <summary>A field of the JSON body (a dotted path such as <c>filter.cursor</c>; missing objects are created).</summary>
    Body = 2,
    /// <summary>A request header (only for an API key).</summary>
    Header = 3,
}

/// <summary>A named request parameter and where it goes.</summary>
public sealed record Parameter(string Name, ParameterPlace Place);

/// <summary>How a resource asks for its next page. Every kind stops at a page with no records.</summary>
public abstract record Pagination
{
    /// <summary>One request, one page.</summary>
    public sealed record None : Pagination;

    /// <summary>The response holds a cursor at <paramref name="CursorPath"/>; the next request sends it as <paramref name="Into"/>. No cursor (missing, null, empty) ends.</summary>
    public sealed record Cursor(string CursorPath, Parameter Into) : Pagination;

    /// <summary>The response holds the next page's URL (absolute or relative to the base) at <paramref name="NextPath"/>; none ends.</summary>
    public sealed record NextUrl(string NextPath) : Pagination;

    /// <summary>RFC 8288 <c>Link: &lt;url&gt;; rel="next"</c>; none ends.</summary>
    public sealed record LinkHeader : Pagination;

    /// <summary><paramref name="Offset"/> starts at 0 and grows by the records of each page; <paramref name="Limit"/> = <paramref name="PageSize"/>. A page shorter than the size ends.</summary>
    public sealed record OffsetLimit(Parameter Offset, Parameter Limit, int PageSize) : Pagination;

    /// <summary><paramref name="Page"/> starts at <paramref name="FirstPage"/> and grows by one; <paramref name="Size"/> (optional) = <paramref name="PageSize"/>.</summary>
    public sealed record PageNumber(Parameter Page, int FirstPage, Parameter? Size, int? PageSize) : Pagination;
}

/// <summary>How a watermark is compared and moved back by the lookback.</summary>
public enum WatermarkType
{
    /// <summary>ISO-8601 date-time text (<c>2024-05-01T10:00:00Z</c>).</summary>
    Timestamp = 1,
    /// <summary>Unix seconds, possibly with a fraction (<c>1714557600</c>, Slack's <c>1714557600.000200</c>).</summary>
    Unix = 2,
    /// <summary>Unix milliseconds.</summary>
    UnixMs = 3,
}

/// <summary>
/// An incremental resource: the highest <paramref name="Field"/> of the loaded records (the watermark) is kept with
/// the job's checkpoint; the next run sends it, minus <paramref name="Lookback"/>, as <paramref name="Param"/>.
/// </summary>
/// <param name="Field">JSON path of the cursor field in a record (e.g. <c>updatedAt</c>).</param>
/// <param name="Param">The request parameter that takes the watermark (<c>updated_since</c>, <c>oldest</c>, <c>filter.fromDateTime</c>…).</param>
/// <param name="Type">How the field's values are compared.</param>
/// <param name="Lookback">How far before the watermark the next run starts, so records written late are not missed.</param>
/// <param name="Initial">What the first run sends, or null to send nothing.</param>
public sealed record Incremental(string Field, Parameter Param, WatermarkType Type, TimeSpan Lookback, string? Initial);

/// <summary>How requests authenticate. Secret values come from <c>${VAR}</c>s.</summary>
public abstract record HttpAuth
{
    /// <summary><c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    public sealed record Bearer(string Token) : HttpAuth;

    /// <summary>An API key in a header or a query parameter.</summary>
    public sealed record ApiKey(Parameter Key, string Value) : HttpAuth;

    /// <summary><c>Authorization: Basic</c> of user and password.</summary>
    public sealed record Basic(string User, string Password) : HttpAuth;

    /// <summary>OAuth2 client credentials: a token is fetched from <paramref name="TokenUrl"/> and sent as a bearer token until it expires.</summary>
    public sealed record OAuth2ClientCredentials(Uri TokenUrl, string ClientId, string ClientSecret, string? Scope) : HttpAuth;
}

/// <summary>A per-host budget: at most <paramref name="RequestsPerSecond"/> requests started in any second and <paramref name="Concurrent"/> at once, across the cluster.</summary>
public sealed record RateLimit(double RequestsPerSecond, int Concurrent);
