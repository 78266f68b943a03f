namespace EtlActors.Engine.Jobs;

/// <summary>
/// When a failed run is restarted from its checkpoint: exponential backoff with a random share, so jobs failing
/// together do not retry together, and a budget of failures in a row (a loaded batch starts the count over).
/// </summary>
public sealed record RetryPolicy(int MaxRetries, TimeSpan MinBackoff, TimeSpan MaxBackoff, double RandomFactor)
{
    public static RetryPolicy From(EtlEngineOptions options) =>
        new(options.MaxRetries, options.RetryMinBackoff, options.RetryMaxBackoff, options.RetryRandomFactor);

    /// <summary>Whether one more restart is allowed after <paramref name="failuresInARow"/> of them.</summary>
    public bool Allows(int failuresInARow) => failuresInARow < MaxRetries;

    /// <summary>The pause before restart number <paramref name="attempt"/> (1-based); <paramref name="random"/> is in [0, 1).</summary>
    public TimeSpan Delay(int attempt, double random)
    {
        var exponential = MinBackoff.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var capped = Math.Min(exponential, MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 + (random * RandomFactor)));
    }
}

/// <summary>How many records a job may quarantine before it fails: a count, and a share checked once enough records are in.</summary>
public sealed record ErrorBudget(long MaxQuarantined, double MaxRatio, long RatioCheckAfter = 1000)
{
    public static ErrorBudget From(EtlEngineOptions options) => new(options.MaxQuarantined, options.MaxQuarantineRatio);

    /// <summary>Why the budget is spent, for the user, or null while it is not.</summary>
    public string? Spent(long processed, long quarantined, string? sourcePath, string jobId)
    {
        var overCount = quarantined > MaxQuarantined;
        var overRatio = processed >= RatioCheckAfter && quarantined > MaxRatio * processed;
        if (!overCount && !overRatio)
            return null;
        var limit = overCount ? $"{MaxQuarantined} records" : $"{MaxRatio:P0} of records";
        return $"{sourcePath}: error budget spent: {quarantined} of {processed} records quarantined (limit {limit}); see the quarantine table for job_id '{jobId}'";
    }
}
