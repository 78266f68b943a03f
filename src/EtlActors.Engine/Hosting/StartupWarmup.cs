using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using LinqToDB.Mapping;

namespace EtlActors.Engine;

/// <summary>
/// Compiles linq2db's query pipeline on a pool thread while the process does its own single-threaded start
/// (command line, preflight, actor system) on the other core. The SQL journal builds its queries through linq2db, and
/// in a short <c>etl run</c> its first use was half the wall time, most of it JIT-compiling linq2db's generic code
/// (bench/README.md, "Start-up"). Warming System.Text.Json's metadata for the persisted types as well gained nothing.
/// </summary>
public static class StartupWarmup
{
    [Table("warmup")]
    private sealed class Row
    {
        [Column, PrimaryKey, Identity] public long Ordering { get; set; }
        [Column, NotNull] public string PersistenceId { get; set; } = "";
        [Column] public long SequenceNumber { get; set; }
        [Column] public bool Deleted { get; set; }
        [Column] public byte[]? Message { get; set; }
        [Column] public string? Manifest { get; set; }
    }

    /// <summary>Starts the warm-up. The task never fails: a warm-up that cannot run costs only its time.</summary>
    public static Task Start() => Task.Run(async () =>
    {
        try
        {
            // On an in-memory database of the kind an embedded journal is: a table check, an insert and the shapes of a
            // recovery's queries. The journal's own mapping is still built when it starts.
            await using var db = new DataConnection(new DataOptions().UseConnectionString(ProviderName.SQLiteMS, "Data Source=:memory:"));
            await db.CreateTableAsync<Row>(tableOptions: TableOptions.CreateIfNotExists);
            await db.InsertAsync(new Row { PersistenceId = "warmup", SequenceNumber = 1, Message = [1], Manifest = "m" });
            var id = "warmup";
            long from = 0;
            _ = await db.GetTable<Row>().Where(r => r.PersistenceId == id && r.SequenceNumber >= from && !r.Deleted)
                .OrderBy(r => r.SequenceNumber).Take(100).ToListAsync();
            _ = await db.GetTable<Row>().Where(r => r.PersistenceId == id).Select(r => (long?)r.SequenceNumber).MaxAsync();
        }
        catch (Exception)
        {
            // Nothing depends on it.
        }
    });
}
