using EtlActors.Pipeline.Load;
using Npgsql;

namespace EtlActors.Pipeline.Tests.Load;

public sealed class DatabaseAddressTests
{
    private const string Usage = "sink must be sqlite:<file> or postgresql://user@host:port/database";

    [Fact]
    public void A_relative_sqlite_file_resolves_against_the_working_directory()
    {
        var address = DatabaseAddress.Parse("sqlite:data/etl.db");

        Assert.Equal(DatabaseKind.Sqlite, address.Kind);
        Assert.Equal(Path.GetFullPath("data/etl.db"), address.SqlitePath);
        Assert.Equal("sqlite:" + Path.GetFullPath("data/etl.db"), address.Description);
        Assert.Equal(address.Description, address.ToString());
    }

    [Fact]
    public void An_absolute_sqlite_file_is_kept_and_becomes_the_data_source()
    {
        var address = DatabaseAddress.Parse("sqlite:/var/lib/etl/target.db");

        Assert.Equal("/var/lib/etl/target.db", address.SqlitePath);
        Assert.Equal("/var/lib/etl/target.db", new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(address.ToConnectionString()).DataSource);
        Assert.IsType<SqliteSink>(SinkFactory.Create(address));
    }

    [Fact]
    public void A_postgresql_url_gives_every_part_and_a_description_without_the_password()
    {
        var address = DatabaseAddress.Parse("postgresql://loader:s3cr%40t@db.example.org:6543/warehouse?schema=chat_2024");

        Assert.Equal(DatabaseKind.PostgreSql, address.Kind);
        Assert.Equal(("loader", "db.example.org", 6543, "warehouse", "chat_2024"), (address.User, address.Host, address.Port, address.Database, address.Schema));
        var connection = new NpgsqlConnectionStringBuilder(address.ToConnectionString());
        Assert.Equal(("db.example.org", 6543, "warehouse", "loader", "s3cr@t"), (connection.Host, connection.Port, connection.Database, connection.Username, connection.Password));
        Assert.Equal("postgresql://loader@db.example.org:6543/warehouse?schema=chat_2024", address.Description);
        Assert.Equal(address.Description, address.ToString());
        Assert.IsType<PostgresSink>(SinkFactory.Create(address));
    }

    [Fact]
    public void Port_and_schema_have_defaults_and_postgres_is_an_alias()
    {
        var address = DatabaseAddress.Parse("postgres://etl@localhost/etl");

        Assert.Equal((5432, "etl"), (address.Port, address.Schema));
        Assert.Equal("postgresql://etl@localhost:5432/etl", address.Description);
    }

    [Fact]
    public void A_password_holding_an_at_sign_splits_at_the_last_one()
    {
        var address = DatabaseAddress.Parse("postgresql://u:p@ss@host/db");

        Assert.Equal("p@ss", new NpgsqlConnectionStringBuilder(address.ToConnectionString()).Password);
        Assert.Equal("postgresql://u@host:5432/db", address.Description);
    }

    [Fact]
    public void An_ipv6_host_keeps_its_brackets_in_the_description_only()
    {
        var address = DatabaseAddress.Parse("postgresql://u@[::1]:5433/db");

        Assert.Equal(("::1", 5433), (address.Host, address.Port));
        Assert.Equal("postgresql://u@[::1]:5433/db", address.Description);
    }

    [Fact]
    public void Without_a_password_in_the_url_pgpassword_is_used()
    {
        var previous = Environment.GetEnvironmentVariable("PGPASSWORD");
        Environment.SetEnvironmentVariable("PGPASSWORD", "from-env");
        try
        {
            var fromEnv = DatabaseAddress.Parse("postgresql://u@host/db");
            var fromUrl = DatabaseAddress.Parse("postgresql://u:from-url@host/db");

            Assert.Equal("from-env", new NpgsqlConnectionStringBuilder(fromEnv.ToConnectionString()).Password);
            Assert.Equal("from-url", new NpgsqlConnectionStringBuilder(fromUrl.ToConnectionString()).Password);
            Assert.DoesNotContain("from-env", fromEnv.Description, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PGPASSWORD", previous);
        }
    }

    [Theory]
    [InlineData("mysql://u:hunter2@host/db", "it starts with neither sqlite: nor postgresql://")]
    [InlineData("", "it starts with neither sqlite: nor postgresql://")]
    [InlineData("sqlite:", "the SQLite file name is missing")]
    [InlineData("postgresql://u:hunter2@host", "the /database part is missing")]
    [InlineData("postgresql://u:hunter2@host:54x32/db", "the port must be a number from 1 to 65535")]
    [InlineData("postgresql://u:hunter2@host:70000/db", "the port must be a number from 1 to 65535")]
    [InlineData("postgresql://:hunter2@host/db", "the user is missing (user@host)")]
    [InlineData("postgresql://hunter2host/db", "the user is missing (user@host)")]
    [InlineData("postgresql://u:hunter2@/db", "the host is missing")]
    [InlineData("postgresql://u:hunter2@host/", "the database name is missing or contains '/'")]
    [InlineData("postgresql://u:hunter2@host/db?sslmode=require", "unknown parameter 'sslmode' (only ?schema=<name> is supported)")]
    [InlineData("postgresql://u:hunter2@host/db?schema=Chat-Archive", "schema 'Chat-Archive' is not a plain identifier (lower-case letters, digits and '_', not starting with a digit)")]
    [InlineData("postgresql://u:hunter2@host/db?schema=1st", "schema '1st' is not a plain identifier (lower-case letters, digits and '_', not starting with a digit)")]
    public void Bad_text_is_refused_with_a_clear_message_that_never_shows_the_password(string text, string problem)
    {
        var error = Assert.Throws<FormatException>(() => DatabaseAddress.Parse(text));

        Assert.Equal($"{Usage}: {problem}", error.Message);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}

public sealed class SinkFailureTests
{
    [Fact]
    public async Task A_failed_connection_names_neither_the_password_nor_the_connection_string()
    {
        var address = DatabaseAddress.Parse("postgresql://loader:hunter2@127.0.0.1:1/etl");
        await using var sink = SinkFactory.Create(address);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => sink.EnsureSchemaAsync(default));

        // Every message in the chain, not ToString(): its stack trace can hold this test's own name.
        var messages = string.Join("\n", Chain(error).Select(e => $"{e.GetType().Name}: {e.Message}"));
        Assert.DoesNotContain("hunter2", messages, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", messages, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("postgresql://loader@127.0.0.1:1/etl", sink.Description);
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                    yield return inner;
        }
    }
}
