using System.Collections.Concurrent;

namespace EtlActors.Pipeline.Connectors.Files.Mapping;

/// <summary>
/// Parsed mappings by their text: every batch a transformer entity gets carries its job's mapping, and parsing
/// the YAML once per batch would cost more than the batch's rows. A process sees few distinct mappings.
/// </summary>
internal static class MappingCache
{
    /// <summary>The name a mapping carried by a job goes by in errors (the CLI checked it under its file's name).</summary>
    public const string JobMappingName = "the job's mapping";

    private const int Capacity = 64;
    private static readonly ConcurrentDictionary<string, FileMapping> Parsed = new(StringComparer.Ordinal);

    public static FileMapping Get(string text)
    {
        if (Parsed.TryGetValue(text, out var mapping))
            return mapping;
        mapping = FileMapping.Parse(text, JobMappingName);
        if (Parsed.Count >= Capacity)
            Parsed.Clear(); // rare: many jobs with different mappings on one node; parsing again is correct, only slower
        return Parsed.GetOrAdd(text, mapping);
    }
}
