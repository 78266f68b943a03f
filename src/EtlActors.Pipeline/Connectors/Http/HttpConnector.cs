using System.Text;
using System.Text.RegularExpressions;
using EtlActors.Pipeline.Connectors.Files.Transform;
using EtlActors.Pipeline.Connectors.Http.Config;
using EtlActors.Pipeline.Connectors.Http.Extract;
using EtlActors.Pipeline.Records;
using EtlActors.Pipeline.Transform;

namespace EtlActors.Pipeline.Connectors.Http;

/// <summary>
/// A paged HTTP API declared in a YAML source config (<see cref="HttpSourceConfig"/>). A job carries the config's
/// text as its mapping, with its <c>${VAR}</c>s unresolved: the node that runs the job resolves them from its own
/// environment, so secrets are never in the journal, a status or a log. Its position is a page cursor with the
/// incremental watermarks (see HttpPosition), and its records normalise by their resource's mapping.
/// </summary>
public sealed partial class HttpConnector : ISourceConnector
{
    /// <summary>The kind's name.</summary>
    public const string KindName = "http";

    // Connections are pooled per host for every job of the process; DNS changes are seen within a few minutes.
    private static readonly HttpClient Client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan, // each attempt has the config's timeout (HttpFetcher)
    };

    /// <inheritdoc />
    public string Kind => KindName;

    /// <summary>The job's path only names its config (shown in statuses); the config travels with the job.</summary>
    public bool ReadsFiles => false;

    /// <inheritdoc />
    public bool ReadsPages => true;

    /// <summary>A YAML file with top-level <c>base_url:</c> and <c>resources:</c> keys.</summary>
    public bool Recognizes(SourceSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.Head.IsEmpty)
            return false;
        var text = Encoding.UTF8.GetString(sample.Head.Span);
        return BaseUrlKey().IsMatch(text) && ResourcesKey().IsMatch(text);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ExtractedRecord> ReadAsync(SourceRead read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (read.Mapping is null)
            throw new SourceFormatException(read.Path, "an http source's job carries its source config, and this one has none");
        HttpSourceConfig config;
        try
        {
            config = HttpConfigs.Resolve(read.Mapping, read.Path);
        }
        catch (HttpSourceConfigException ex)
        {
            throw new SourceFormatException(read.Path, ex.Message, inner: ex); // bad config or a missing variable: not retried
        }
        return HttpSourceReader.ReadAsync(config, read.Path, read, Client, cancellationToken);
    }

    /// <inheritdoc />
    public void Normalize(ExtractedRecord record, TransformContext context, TransformResult into)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(context);
        var config = HttpConfigs.Shape(context.Mapping ?? throw new InvalidOperationException("an http job carries no source config"));
        var name = record.Hints?.GetValueOrDefault(HttpRecords.ResourceHint);
        var resource = config.Resources.FirstOrDefault(r => r.Name == name) ?? config.Resources[0];
        FilesNormalizer.Normalize(record, context, into, resource.Mapping);
    }

    /// <summary>The first resource's mapping's <c>source</c> (default <c>files</c>; configs name theirs).</summary>
    public string RowSource(string? mapping) => mapping is null ? Kind : HttpConfigs.Shape(mapping).Resources[0].Mapping.Source;

    /// <summary>The table the first resource that loads one names.</summary>
    public string? RowTable(string? mapping) =>
        mapping is null ? null : HttpConfigs.Shape(mapping).Resources.Select(r => r.Mapping.Table?.Name).FirstOrDefault(t => t is not null);

    [GeneratedRegex(@"^base_url\s*:", RegexOptions.Multiline)]
    private static partial Regex BaseUrlKey();

    [GeneratedRegex(@"^resources\s*:", RegexOptions.Multiline)]
    private static partial Regex ResourcesKey();
}
