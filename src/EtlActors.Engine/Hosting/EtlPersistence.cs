using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using EtlActors.Pipeline.Load;
using LinqToDB;

namespace EtlActors.Engine;

/// <summary>
/// The SQL journal and snapshot store (Akka.Persistence.Sql) on the journal's database, SQLite or PostgreSQL,
/// under the plugin ids <c>akka.persistence.journal.sql</c> and <c>akka.persistence.snapshot-store.sql</c>,
/// creating their tables on first use. Every other setting keeps the plugin's defaults, which journals
/// written by earlier releases were written with.
/// </summary>
public static class EtlPersistence
{
    public const string JournalPluginId = "akka.persistence.journal.sql";
    public const string SnapshotPluginId = "akka.persistence.snapshot-store.sql";

    // Both hosting packages define these option types: the SQL plugin's are meant.
    /// <summary>The journal's and snapshot store's options for <paramref name="journal"/>.</summary>
    public static (Akka.Persistence.Sql.Hosting.SqlJournalOptions Journal, Akka.Persistence.Sql.Hosting.SqlSnapshotOptions Snapshots) Options(DatabaseAddress journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var provider = journal.Kind == DatabaseKind.PostgreSql ? ProviderName.PostgreSQL15 : ProviderName.SQLiteMS;
        var connection = journal.ToConnectionString();
        return (
            new Akka.Persistence.Sql.Hosting.SqlJournalOptions(isDefaultPlugin: true)
            {
                ConnectionString = connection,
                ProviderName = provider,
                AutoInitialize = true,
            },
            new Akka.Persistence.Sql.Hosting.SqlSnapshotOptions(isDefaultPlugin: true)
            {
                ConnectionString = connection,
                ProviderName = provider,
                AutoInitialize = true,
            });
    }

    /// <summary>Adds the journal and snapshot store on <paramref name="journal"/>. (Its connectivity check is not used: it throws with linq2db 6.)</summary>
    public static AkkaConfigurationBuilder WithEtlPersistence(this AkkaConfigurationBuilder builder, DatabaseAddress journal)
    {
        var (journalOptions, snapshotOptions) = Options(journal);
        return builder.WithSqlPersistence(journalOptions, snapshotOptions);
    }
}
