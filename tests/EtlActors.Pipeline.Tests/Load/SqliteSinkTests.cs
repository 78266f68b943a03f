using System.Data.Common;
using EtlActors.Pipeline.Load;
using Microsoft.Data.Sqlite;
using static EtlActors.Pipeline.Tests.Load.SampleRows;

namespace EtlActors.Pipeline.Tests.Load;

public sealed class SqliteSinkTests : SinkContractTests
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "etl-sqlite-tests-" + Guid.NewGuid().ToString("N")[..12]);

    private string DatabaseFile => Path.Combine(_folder, "nested", "folder", "etl.db");

    protected override Task<DatabaseAddress> CreateAddressAsync() => Task.FromResult(DatabaseAddress.Parse("sqlite:" + DatabaseFile));

    protected override DbConnection OpenConnection()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabaseFile, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    protected override string Table(string name) => name;

    protected override DateTimeOffset? ReadTime(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.ParseExact(reader.GetString(ordinal), "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", null, System.Globalization.DateTimeStyles.AssumeUniversal);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task The_file_and_its_folder_are_created_in_wal_mode()
    {
        Assert.True(File.Exists(DatabaseFile));
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Timestamps_are_stored_as_iso_8601_utc_text()
    {
        await LoadAsync(Batch(participants: [Participant("p", "P", new DateTimeOffset(2024, 1, 2, 5, 4, 5, 678, TimeSpan.FromHours(2)))]));

        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name_seen_at FROM participants";
        Assert.Equal("2024-01-02T03:04:05.678Z", await command.ExecuteScalarAsync());
    }

    [Fact]
    public void The_description_is_the_full_file_path()
    {
        Assert.Equal("sqlite:" + Path.GetFullPath(DatabaseFile), Sink.Description);
    }
}
