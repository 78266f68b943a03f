namespace EtlActors.Pipeline.Load;

/// <summary>
/// Whether a loader's next batch tries a COPY straight into the target tables. Most batches are new rows (a job's
/// first pass over its source), and for them a plain COPY does the work of the staged <c>INSERT … ON CONFLICT</c>
/// at a third of the server's CPU. A batch that collides (a job resumed over rows it had loaded, a job run again)
/// is rolled back to a savepoint and staged, so each collision costs a failed COPY; after one the loader stages the
/// next batches (1, then 2, 4 … up to <see cref="MaxStaged"/> after collisions in a row) before it tries again,
/// which bounds that cost when a whole job runs over rows already there.
/// </summary>
internal sealed class DirectCopyPolicy
{
    /// <summary>The most batches staged without trying a direct COPY, after repeated collisions.</summary>
    public const int MaxStaged = 64;

    private int _stageNext;
    private int _afterCollision = 1;

    /// <summary>True when the next batch should try the direct COPY; a false answer uses up one staged batch.</summary>
    public bool TryDirect()
    {
        if (_stageNext == 0)
            return true;
        _stageNext--;
        return false;
    }

    /// <summary>The direct COPY went through: the rows are new again.</summary>
    public void Copied() => _afterCollision = 1;

    /// <summary>The direct COPY met a row already there (or another loader's): stage for a while, longer each time.</summary>
    public void Collided()
    {
        _stageNext = _afterCollision;
        _afterCollision = Math.Min(_afterCollision * 2, MaxStaged);
    }
}

/// <summary>How a batch's messages and raw records went into PostgreSQL.</summary>
internal enum LoadPath
{
    /// <summary>Staged and upserted (nothing to copy, or the policy said stage).</summary>
    Staged,

    /// <summary>COPYed straight into the tables.</summary>
    Direct,

    /// <summary>A direct COPY met a row already there; rolled back and staged.</summary>
    Collided,
}
