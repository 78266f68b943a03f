using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EtlActors.Testing.Http;

/// <summary>
/// A paged HTTP API on loopback for tests of HTTP sources: Gong-, HubSpot- and Slack-like endpoints and a generic
/// <c>/items</c>, all serving one record store sorted by (updatedAt, id), with an incremental filter each, optional
/// auth (bearer, API key, Basic, OAuth2 client credentials), scripted faults, and a log of every request to assert
/// rate limits, retries and re-fetches against. Start one per test; dispose it at the end.
/// </summary>
public sealed class StubApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly StubRecordStore _store;
    private readonly StubRequestLog _log;
    private readonly CancellationTokenSource _stopping;
    private int _disposed;

    private StubApi(StubApiOptions options, WebApplication app, StubRecordStore store, StubRequestLog log, StubFaults faults, CancellationTokenSource stopping)
    {
        Options = options;
        _app = app;
        _store = store;
        _log = log;
        Faults = faults;
        _stopping = stopping;
        BaseUrl = app.Urls.Single().TrimEnd('/');
    }

    public StubApiOptions Options { get; }

    /// <summary><c>http://127.0.0.1:PORT</c>, without a trailing slash.</summary>
    public string BaseUrl { get; }

    /// <summary>The faults still to be served; add to it before or during a run.</summary>
    public StubFaults Faults { get; }

    /// <summary>The records as the server holds them now, sorted by (UpdatedAt, Id): what a complete run should have loaded.</summary>
    public IReadOnlyList<StubRecord> Records => _store.Snapshot();

    /// <summary>Every request answered so far, in order of arrival.</summary>
    public IReadOnlyList<StubRequest> Log => _log.Snapshot();

    /// <summary>Figures over <see cref="Log"/> as it is now.</summary>
    public StubApiStats Stats => new(_log.Snapshot());

    /// <summary>Starts a stub on a free loopback port; it serves until disposed.</summary>
    public static async Task<StubApi> StartAsync(StubApiOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new StubApiOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // A test's output should show its own lines, not a line per request.
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var store = new StubRecordStore(options);
        var log = new StubRequestLog();
        var faults = new StubFaults();
        var stopping = new CancellationTokenSource();
        IStubEndpoint[] endpoints =
        [
            new GongEndpoint(options.PageSize),
            new HubSpotEndpoint(options.PageSize),
            new SlackEndpoint(options.PageSize, Math.Max(1, options.Conversations)),
            new ItemsEndpoint(options.PageSize),
        ];
        var handler = new StubRequestHandler(store, faults, log, new StubAuth(options, log), endpoints, stopping.Token);
        // One terminal handler rather than routes, so that a wrong path or method is logged like any request.
        app.Run(handler.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            stopping.Dispose();
            throw;
        }
        return new StubApi(options, app, store, log, faults, stopping);
    }

    /// <summary>The absolute URL of <paramref name="pathAndQuery"/> (<c>/items?limit=10</c>) on this stub.</summary>
    public string Url(string pathAndQuery) => BaseUrl + pathAndQuery;

    /// <summary>Stores a record as given (the test chooses its times), replacing the one with its id.</summary>
    public StubRecord Upsert(StubRecord record) => _store.Upsert(record);

    /// <summary>Adds <paramref name="count"/> new records, each changed later than any record before.</summary>
    public IReadOnlyList<StubRecord> AddRecords(int count) => _store.Add(count);

    /// <summary>Changes the text of each record, with a newer UpdatedAt than any record before and one more Version.</summary>
    public IReadOnlyList<StubRecord> UpdateRecords(params IEnumerable<long> ids) => _store.Update(ids);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        // Slow responses still waiting end at once rather than holding the shutdown.
        await _stopping.CancelAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
