using System.Globalization;
using EtlActors.Pipeline.Load;
using EtlActors.Pipeline.Sources;
using Microsoft.Extensions.Configuration;

namespace EtlActors.Engine;

public sealed partial class EtlEngineOptions
{
    /// <summary>The configuration section the options bind from: <c>Etl:BatchSize</c>, <c>Etl__BatchSize</c>.</summary>
    public const string Section = "Etl";

    /// <summary>
    /// The one way every host (node, <c>etl run</c>, tests) reads the engine's settings: the <see cref="Section"/>
    /// section over the defaults documented on each property, then <paramref name="adjust"/>, then validated.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it and its value.</exception>
    public static EtlEngineOptions From(IConfiguration configuration, Action<EtlEngineOptions>? adjust = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new EtlEngineOptions();
        configuration.GetSection(Section).Bind(options);
        adjust?.Invoke(options);
        options.Validate();
        return options;
    }

    /// <summary>Checks every setting a typo could break, naming it as it is configured.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        AtLeast(nameof(BatchSize), BatchSize, 1);
        AtLeast(nameof(CheckpointInterval), CheckpointInterval, 1);
        AtLeast(nameof(TransformParallelism), TransformParallelism, 1);
        AtLeast(nameof(LoadParallelism), LoadParallelism, 1);
        AtLeast(nameof(MaxBatchBytes), MaxBatchBytes, 1024);
        AtLeast(nameof(MaxFrameSize), MaxFrameSize, 32 * 1024);
        AtLeast(nameof(MaxRetries), MaxRetries, 0);
        AtLeast(nameof(MaxQuarantined), MaxQuarantined, 0);
        AtLeast(nameof(MaxConcurrentJobsPerTenant), MaxConcurrentJobsPerTenant, 0);
        AtLeast(nameof(Port), Port, 0);
        if (MemoryLimitMiB is { } memory)
            AtLeast(nameof(MemoryLimitMiB), memory, 64);
        if (MaxQuarantineRatio is < 0 or > 1)
            throw Invalid(nameof(MaxQuarantineRatio), MaxQuarantineRatio, "must be between 0 and 1");
        if (RetryMinBackoff <= TimeSpan.Zero || RetryMaxBackoff < RetryMinBackoff)
            throw Invalid(nameof(RetryMaxBackoff), RetryMaxBackoff, $"must be at least {Section}:{nameof(RetryMinBackoff)} ({RetryMinBackoff}), which must be positive");
        Positive(nameof(HeartbeatInterval), HeartbeatInterval);
        Positive(nameof(HeartbeatPause), HeartbeatPause);
        Positive(nameof(SplitBrainStableAfter), SplitBrainStableAfter);
        if (DownRemovalMargin < TimeSpan.Zero)
            throw Invalid(nameof(DownRemovalMargin), DownRemovalMargin, "must not be negative");
        if (AskTimeout <= TimeSpan.Zero)
            throw Invalid(nameof(AskTimeout), AskTimeout, "must be positive");
        if (RequestLease <= TimeSpan.Zero)
            throw Invalid(nameof(RequestLease), RequestLease, "must be positive");
        if (RequestBudgetMargin < TimeSpan.Zero)
            throw Invalid(nameof(RequestBudgetMargin), RequestBudgetMargin, "must not be negative");
        if (RequestRetryInterval <= TimeSpan.Zero)
            throw Invalid(nameof(RequestRetryInterval), RequestRetryInterval, "must be positive");
        if (!string.IsNullOrWhiteSpace(AppVersion) && !EtlVersion.IsComparable(AppVersion))
            throw Invalid(nameof(AppVersion), AppVersion, "must be a version: up to three numbers separated by dots, optionally followed by -qualifier (0.2.0, 0.2.0-rc1)");
        if (!string.IsNullOrWhiteSpace(SourcesRoot))
        {
            try
            {
                SourceRoot.Under(SourcesRoot);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"{Section}:{nameof(SourcesRoot)} {ex.Message} (it must be the directory jobs' sources are read from)", ex);
            }
        }
        Security.Validate();
        foreach (var (name, url) in Sinks)
        {
            if (!IsSinkName(name))
                throw new ArgumentException($"{Section}:{nameof(Sinks)}:{name}: a sink's name starts with a letter and has only letters, digits, '-' and '_'");
            try
            {
                DatabaseAddress.Parse(url);
            }
            catch (FormatException ex)
            {
                throw new ArgumentException($"{Section}:{nameof(Sinks)}:{name}: {ex.Message}", ex);
            }
        }
        try
        {
            DatabaseAddress.Parse(Journal);
            if (DefaultSink is not null)
                DatabaseAddress.Parse(DefaultSink);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"{Section}:{nameof(Journal)} or {Section}:{nameof(DefaultSink)}: {ex.Message}", ex);
        }
    }

    /// <summary>Whether <paramref name="sink"/> is a name of <see cref="Sinks"/> rather than a URL (it has no ':').</summary>
    public static bool IsSinkName(string sink) => SinkName().IsMatch(sink);

    /// <summary>
    /// Where a job with <paramref name="sink"/> loads: a name of <see cref="Sinks"/> (with its password), or the URL itself.
    /// </summary>
    /// <exception cref="FormatException">The sink is neither a name this node defines nor a valid URL.</exception>
    public DatabaseAddress ResolveSink(string sink)
    {
        if (Sinks.TryGetValue(sink, out var url))
            return DatabaseAddress.Parse(url);
        if (IsSinkName(sink))
            throw new FormatException($"sink '{sink}' is not defined on this node ({Section}:{nameof(Sinks)}:{sink}); every node needs the cluster's named sinks");
        return DatabaseAddress.Parse(sink);
    }

    /// <summary>The sink a job submitted without one loads into, as jobs keep it (no password).</summary>
    internal string DefaultSinkDescription => DatabaseAddress.Parse(DefaultSink ?? Journal).Description;

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$")]
    private static partial System.Text.RegularExpressions.Regex SinkName();

    private static void AtLeast(string name, long value, long minimum)
    {
        if (value < minimum)
            throw Invalid(name, value, $"must be at least {minimum.ToString(CultureInfo.InvariantCulture)}");
    }

    private static void Positive(string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
            throw Invalid(name, value, "must be positive");
    }

    private static ArgumentException Invalid(string name, object value, string rule) =>
        new($"{Section}:{name} {rule} (is {Convert.ToString(value, CultureInfo.InvariantCulture)})");
}
