namespace EtlActors.Contracts.Jobs;

/// <summary>
/// A job's work per phase, totalled over its runs since it last started from its first record: what each phase did,
/// how long it was busy, and how often it failed. Kept with the job's checkpoints, so a job that moves to another
/// node reports the totals so far, up to its last checkpoint.
/// </summary>
/// <param name="Extract">Reading the source.</param>
/// <param name="Transform">Normalising records into rows (quarantined records are its errors).</param>
/// <param name="Load">Writing rows to the sink.</param>
public sealed record JobPhases(PhaseStats Extract, PhaseStats Transform, PhaseStats Load)
{
    /// <summary>No work yet.</summary>
    public static readonly JobPhases None = new(PhaseStats.None, PhaseStats.None, PhaseStats.None);

    /// <summary>Both totals added, phase by phase.</summary>
    public JobPhases Plus(JobPhases other) =>
        new(Extract.Plus(other.Extract), Transform.Plus(other.Transform), Load.Plus(other.Load));
}

/// <summary>One phase's totals.</summary>
/// <param name="Records">Source records the phase handled.</param>
/// <param name="BusySeconds">Time the phase spent on them, summed over its batches (phases overlap, so these add up to more than the run's time).</param>
/// <param name="Errors">Quarantined records for the transform phase; failures that restarted the run for the extract and load phases.</param>
public sealed record PhaseStats(long Records, double BusySeconds, long Errors)
{
    /// <summary>No work yet.</summary>
    public static readonly PhaseStats None = new(0, 0, 0);

    /// <summary>Records per busy second: the phase's own speed; null before it has been busy.</summary>
    public double? RecordsPerSecond => BusySeconds > 0 ? Math.Round(Records / BusySeconds, 1) : null;

    /// <summary>Both totals added.</summary>
    public PhaseStats Plus(PhaseStats other) => new(Records + other.Records, BusySeconds + other.BusySeconds, Errors + other.Errors);
}
