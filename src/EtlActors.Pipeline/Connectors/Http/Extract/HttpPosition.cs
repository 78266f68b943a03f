using System.Text.Json;
using System.Text.Json.Serialization;

namespace EtlActors.Pipeline.Connectors.Http.Extract;

/// <summary>
/// Where an HTTP source's reading is, as the token persisted with a job's checkpoint: the resource, the request of
/// the page to fetch (null: its first page), the ordinal of that page's first record, and each incremental
/// resource's watermarks. Tokens are JSON so that a later release can read an older one; fields only get added.
/// </summary>
/// <param name="Resource">Index of the resource being read; the resource count when every one is read.</param>
/// <param name="Page">The page to fetch next, or null for the resource's first page.</param>
/// <param name="PageStart">Ordinal of that page's first record.</param>
/// <param name="Watermarks">By resource name: what this run sends, and the highest cursor value loaded so far.</param>
internal sealed record HttpPosition(
    [property: JsonPropertyName("r")] int Resource,
    [property: JsonPropertyName("p")] PageRequest? Page,
    [property: JsonPropertyName("o")] long PageStart,
    [property: JsonPropertyName("w")] IReadOnlyDictionary<string, Watermark>? Watermarks)
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static HttpPosition Start { get; } = new(0, null, 0, null);

    public string ToToken() => JsonSerializer.Serialize(this, Json);

    /// <summary>The position in <paramref name="token"/>; a token that is not one fails the job naming <paramref name="source"/>.</summary>
    public static HttpPosition Parse(string? token, string source)
    {
        if (token is null)
            return Start;
        try
        {
            return JsonSerializer.Deserialize<HttpPosition>(token, Json) ?? Start;
        }
        catch (JsonException ex)
        {
            throw new Records.SourceFormatException(source, $"the job's checkpoint position is not an HTTP source's ({ex.Message})");
        }
    }
}

/// <summary>How to ask for one page: by the cursor, next URL, offset or page number that pagination gave; all null for a first page.</summary>
internal sealed record PageRequest(
    [property: JsonPropertyName("cursor")] string? Cursor = null,
    [property: JsonPropertyName("url")] string? Url = null,
    [property: JsonPropertyName("offset")] long? Offset = null,
    [property: JsonPropertyName("page")] long? Number = null);

/// <summary>
/// An incremental resource's watermarks: <paramref name="Since"/> is what every request of this run sends (fixed for
/// the run, so a resumed run continues the same listing), <paramref name="Max"/> the highest cursor value loaded.
/// </summary>
internal sealed record Watermark(
    [property: JsonPropertyName("since")] string? Since,
    [property: JsonPropertyName("max")] string? Max);
