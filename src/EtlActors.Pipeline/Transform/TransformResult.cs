using EtlActors.Pipeline.Records;

namespace EtlActors.Pipeline.Transform;

/// <summary>Who is transforming: stamped on every row.</summary>
/// <param name="Mapping">The job's mapping (YAML text), for connectors that need one, else null.</param>
public sealed record TransformContext(string TenantId, string Source, string JobId, DateTimeOffset ExtractedAt, string? Mapping = null);

/// <summary>Rows produced from a run of records; becomes (part of) a <see cref="LoadBatch"/>.</summary>
public sealed class TransformResult
{
    public List<ConversationRow> Conversations { get; } = [];
    public List<ParticipantRow> Participants { get; } = [];
    public List<MessageRow> Messages { get; } = [];
    public List<RawRecordRow> RawRecords { get; } = [];
    public List<QuarantineRow> Quarantined { get; } = [];
    private readonly List<TableRowSet> _tables = [];
    private readonly Dictionary<string, List<TableRow>> _tableRows = [];

    /// <summary>Rows of tables a mapping names, one set per table, rows in the order added.</summary>
    public IReadOnlyList<TableRowSet> Tables => _tables;

    /// <summary>Adds <paramref name="row"/> to the rows of <paramref name="table"/>.</summary>
    public void AddTableRow(TableShape table, TableRow row) => RowsOf(table).Add(row);

    /// <summary>Adds <paramref name="rows"/> to the rows of <paramref name="table"/>, keeping their order.</summary>
    public void AddTableRows(TableShape table, IEnumerable<TableRow> rows) => RowsOf(table).AddRange(rows);

    private List<TableRow> RowsOf(TableShape table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var signature = table.Signature;
        if (!_tableRows.TryGetValue(signature, out var rows))
        {
            _tableRows.Add(signature, rows = []);
            _tables.Add(new TableRowSet(table, rows)); // the set reads the list that grows
        }
        return rows;
    }

    public void AddRange(TransformResult other)
    {
        Conversations.AddRange(other.Conversations);
        Participants.AddRange(other.Participants);
        Messages.AddRange(other.Messages);
        RawRecords.AddRange(other.RawRecords);
        Quarantined.AddRange(other.Quarantined);
        foreach (var set in other.Tables)
            AddTableRows(set.Table, set.Rows);
    }

    /// <summary>Empties every list, keeping their capacity, so one result can take record after record.</summary>
    public void Clear()
    {
        Conversations.Clear();
        Participants.Clear();
        Messages.Clear();
        RawRecords.Clear();
        Quarantined.Clear();
        _tables.Clear();
        _tableRows.Clear();
    }

    public LoadBatch ToBatch(string jobId, long firstOffset, long lastOffset) =>
        new(jobId, firstOffset, lastOffset, Conversations, Participants, Messages, RawRecords, Quarantined, _tables.Count == 0 ? null : _tables);
}
