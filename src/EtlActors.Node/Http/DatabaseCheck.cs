using EtlActors.Pipeline.Load;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Serilog;

namespace EtlActors.Node.Http;

/// <summary>
/// Ready only while a database the node needs answers: the journal (no job can start, checkpoint or recover without
/// it) or the default sink. The reason goes to the log, once when it starts failing; the response says only which
/// check failed, since the route needs no credentials and a driver's message can name hosts and users.
/// </summary>
internal sealed class DatabaseCheck(string name, DatabaseAddress address) : IHealthCheck
{
    /// <summary>How long a probe waits for the database: well under a scraper's or kubelet's timeout, so a probe never hangs.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);

    private readonly ILogger _log = Log.ForContext<DatabaseCheck>();
    private int _failing;

    public string Name => name;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var problem = await Reachability.CheckDatabaseAsync(name, address, Limit, cancellationToken);
        // Probes come every few seconds: log when the database goes away and when it is back, not every failure.
        var wasFailing = Interlocked.Exchange(ref _failing, problem is null ? 0 : 1) == 1;
        if (problem is not null && !wasFailing)
            _log.Warning("not ready: {Problem:l}", problem);
        else if (problem is null && wasFailing)
            _log.Information("ready again: the {Check:l} {Database:l} answers", name, address.Description);
        return problem is null
            ? HealthCheckResult.Healthy("reachable")
            : HealthCheckResult.Unhealthy("unreachable (the node's log says why)");
    }
}
