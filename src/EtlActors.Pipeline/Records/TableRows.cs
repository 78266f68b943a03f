namespace EtlActors.Pipeline.Records;

// Rows of a table that a source's mapping names (not one of the data contract's): its shape travels
// with its rows, so a sink creates the table it has not seen and a transformer on another node needs
// no catalogue.

/// <summary>The type of a mapped column, and how both sinks store it.</summary>
public enum ColumnType
{
    /// <summary>Text.</summary>
    String = 1,
    /// <summary>A 64-bit integer.</summary>
    Int = 2,
    /// <summary>An exact decimal (numeric in PostgreSQL, its invariant text in SQLite, which has no exact decimal).</summary>
    Decimal = 3,
    /// <summary>True or false.</summary>
    Bool = 4,
    /// <summary>An instant, stored in UTC.</summary>
    Timestamp = 5,
}

/// <summary>One column of a named table: a validated lower-case identifier and its type.</summary>
public sealed record TableColumn(string Name, ColumnType Type);

/// <summary>
/// A named table: its columns in order and its key (names of some of them). Besides these a sink gives it
/// <c>tenant_id</c>, <c>source</c>, <c>job_id</c> and <c>source_line</c>; its primary key is
/// (tenant_id, source, key…), so tenants never overwrite each other's rows.
/// </summary>
public sealed record TableShape(string Name, IReadOnlyList<TableColumn> Columns, IReadOnlyList<string> Key)
{
    /// <summary>The shape as one string: two shapes are the same table definition when these are equal.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Signature { get; } = $"{Name}({string.Join(",", Columns.Select(c => $"{c.Name}:{c.Type}"))};key={string.Join(",", Key)})";

    /// <summary>Positions of the key columns in <see cref="Columns"/>.</summary>
    public IReadOnlyList<int> KeyIndexes() =>
        Key.Select(k => Columns.Select(c => c.Name).ToList().IndexOf(k)).ToList();
}

/// <summary>
/// One row of a named table. <paramref name="Values"/> follow the shape's columns, each as its type's
/// invariant text (int <c>42</c>, decimal <c>12.50</c>, bool <c>true</c>, timestamp ISO-8601 UTC) or null.
/// <paramref name="SourceLine"/> is the line of the source the row came from: of two versions of a key
/// loaded by one job the later line wins, whatever order batches commit in.
/// </summary>
public sealed record TableRow(string TenantId, string Source, IReadOnlyList<string?> Values, long SourceLine, string JobId);

/// <summary>Rows of one named table.</summary>
public sealed record TableRowSet(TableShape Table, IReadOnlyList<TableRow> Rows);
