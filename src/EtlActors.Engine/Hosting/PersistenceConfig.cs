using Akka.Configuration;
using EtlActors.Pipeline.Load;

namespace EtlActors.Engine;

/// <summary>
/// The SQL journal and snapshot store. HOCON because Akka.Persistence.Sql.Hosting, the package with a
/// builder API for this, is not in the registry here.
/// </summary>
internal static class PersistenceConfig
{
    public static Config For(string journal)
    {
        var address = DatabaseAddress.Parse(journal);
        var (provider, connection) = address.Kind == DatabaseKind.PostgreSql
            ? ("PostgreSQL.15", address.ToConnectionString())
            : ("SQLite.MS", address.ToConnectionString());
        var plugin = $$"""
            connection-string = {{Quote(connection)}}
            provider-name = "{{provider}}"
            auto-initialize = on
            """;
        return ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
                  {{plugin}}
                }
              }
              query.journal.sql {
                class = "Akka.Persistence.Sql.Query.SqlReadJournalProvider, Akka.Persistence.Sql"
                {{plugin}}
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
                  {{plugin}}
                }
              }
            }
            """);
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
