using System.Globalization;
using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Load;

/// <summary>
/// What both sinks say about a named table (<see cref="TableShape"/>). Names are validated identifiers and are
/// quoted as well, so a column called <c>order</c> or <c>user</c> is a column, not a keyword.
/// </summary>
internal static class TableSql
{
    /// <summary>Columns every named table has besides the mapped ones: the row's tenant and source lead the key.</summary>
    public static readonly string[] Stamps = ["tenant_id", "source", "source_line", "job_id"];

    public static string Quote(string identifier) => $"\"{identifier}\"";

    /// <summary>The primary key: tenant and source first, so one tenant's key never overwrites another's.</summary>
    public static IReadOnlyList<string> PrimaryKey(TableShape shape) => ["tenant_id", "source", .. shape.Key];

    public static string KeyList(TableShape shape) => string.Join(", ", PrimaryKey(shape).Select(Quote));

    /// <summary>Columns an upsert writes, in order: tenant_id, source, the mapped ones, source_line (then job_id).</summary>
    public static IReadOnlyList<string> InsertColumns(TableShape shape) =>
        ["tenant_id", "source", .. shape.Columns.Select(c => c.Name), "source_line"];

    /// <summary>
    /// The upsert's SET list and WHERE (<paramref name="target"/> names the stored row). A row loaded by the same
    /// job replaces the stored one only from the same or a later line of the source; another job's row always does
    /// (job_id names the last job that loaded it); nothing is written when nothing would change, so a replayed
    /// batch changes nothing.
    /// </summary>
    public static (string Set, string Where) Update(TableShape shape, string target, string isDistinctFrom)
    {
        var values = shape.Columns.Where(c => !shape.Key.Contains(c.Name)).Select(c => Quote(c.Name)).Append("source_line").ToList();
        var set = string.Join(", ", values.Select(c => $"{c} = excluded.{c}")) + ", job_id = excluded.job_id";
        var changed = string.Join(" OR ", values.Append("job_id").Select(c => $"{target}.{c} {isDistinctFrom} excluded.{c}"));
        var where = $"({target}.job_id {isDistinctFrom} excluded.job_id OR excluded.source_line >= {target}.source_line) AND ({changed})";
        return (set, where);
    }

    /// <summary>The instant a timestamp value holds (its text is ISO-8601, see <see cref="TableRow.Values"/>).</summary>
    public static DateTimeOffset Instant(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime();

    /// <summary>The table's primary key differs from the one the mapping declares: loading would mean something else.</summary>
    public static ArgumentException KeyMismatch(TableShape shape, IEnumerable<string> existing) =>
        new($"table '{shape.Name}' exists with primary key ({string.Join(", ", existing)}), but the mapping's key makes it "
            + $"({string.Join(", ", PrimaryKey(shape))}): use another table name, or the same key");
}
