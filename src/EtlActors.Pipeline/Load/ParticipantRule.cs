using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Load;

/// <summary>
/// Which participant name wins: the upsert's WHERE clause on both databases, and the in-batch
/// consolidation, so that any load order ends with the last known name.
/// </summary>
internal static class ParticipantRule
{
    public static bool Replaces(ParticipantRow existing, ParticipantRow incoming) =>
        incoming.DisplayName is not null
        && (existing.DisplayName is null
            || existing.NameSeenAt is null
            || (incoming.NameSeenAt is not null && incoming.NameSeenAt >= existing.NameSeenAt));

    /// <summary>The same rule in SQL; <paramref name="existing"/> names the target table.</summary>
    public static string SqlCondition(string existing) =>
        $"excluded.display_name IS NOT NULL AND ({existing}.display_name IS NULL OR {existing}.name_seen_at IS NULL"
        + $" OR (excluded.name_seen_at IS NOT NULL AND excluded.name_seen_at >= {existing}.name_seen_at))";
}
