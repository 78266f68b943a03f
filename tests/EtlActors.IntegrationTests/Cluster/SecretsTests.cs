using System.Text;
using System.Text.Json;
using EtlActors.Contracts.Jobs;
using EtlActors.IntegrationTests.Support;
using EtlActors.Testing.Http;
using EtlActors.Testing.Processes;
using EtlActors.Testing.Security;
using Npgsql;

namespace EtlActors.IntegrationTests.Cluster;

/// <summary>
/// Jobs that need a sink password, an API token, a query-string key, a certificate password and an API key, one of
/// them failing on purpose: none of those secrets appears in a node's log, a command's output, a status, an error, or
/// a row of the journal.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SecretsTests(ClusterFixture fixture) : IDisposable
{
    private const string SinkPassword = "pw-5ecret-77b1";
    private const string Token = "tok-5ecret-9f2e7c";
    private const string QueryKey = "qk-5ecret-41aa";
    private static readonly TestKey Operator = new("loader", "operator", "acme");

    private readonly TempFolder _dir = new();

    [Fact]
    public async Task No_secret_appears_in_any_log_line_output_status_error_or_journal_row()
    {
        await using var api = await StubApi.StartAsync(new StubApiOptions
        {
            Records = 300,
            PageSize = 50,
            TenantsByToken = new Dictionary<string, string> { [Token] = "acme" },
        });
        var journal = await fixture.Server.CreateDatabaseAsync("secrets_journal");
        var warehouse = await fixture.Server.CreateDatabaseAsync("secrets_warehouse");
        await using var cluster = await LocalCluster.StartAsync(1, journal.Url, new LocalClusterOptions
        {
            ApiKeys = [Operator],
            Settings = new Dictionary<string, string>
            {
                // The server trusts loopback: the password is not checked, only carried.
                ["Etl__Sinks__warehouse"] = warehouse.Url.Replace("@", ":" + SinkPassword + "@", StringComparison.Ordinal),
                ["Etl__MaxRetries"] = "0",
                ["API_URL"] = api.BaseUrl,
                ["API_TOKEN"] = Token,
                ["QUERY_KEY"] = QueryKey,
            },
        });
        var outputs = new StringBuilder();
        async Task<ProcessResult> Etl(params string[] args)
        {
            var result = await EtlProcess.RunAsync(_dir.Path, Operator.ClientEnvironment, [.. args, .. cluster.ClusterArgs]);
            outputs.AppendLine(result.ToString());
            return result;
        }
        var bearer = _dir.File("bearer.yaml");
        await File.WriteAllTextAsync(bearer, Config("auth: { type: bearer, token: \"${API_TOKEN}\" }"));
        var keyed = _dir.File("keyed.yaml");
        await File.WriteAllTextAsync(keyed, Config("auth: { type: api_key, in: query, name: api_key, value: \"${QUERY_KEY}\" }"));

        Assert.Equal(0, (await Etl("submit", bearer, "--sink", "warehouse", "--tenant", "acme", "--job-id", "with-token")).ExitCode);
        Assert.Equal(0, (await Etl("submit", keyed, "--sink", "warehouse", "--tenant", "acme", "--job-id", "with-key")).ExitCode);
        await using var admin = cluster.Client();
        var completed = await cluster.WaitForJobAsync(admin, new JobId("with-token"), s => s.State == JobState.Completed, TimeSpan.FromMinutes(3), "completed");
        // The stub takes only the bearer token, so the keyed job fails on its first page, with the URL in its error.
        var failed = await cluster.WaitForJobAsync(admin, new JobId("with-key"), s => s.State == JobState.Failed, TimeSpan.FromMinutes(3), "failed");
        Assert.Equal(300, completed.Totals!.Messages);
        Assert.Contains("401", failed.Error);
        Assert.Contains("api_key=", failed.Error);
        foreach (var id in new[] { "with-token", "with-key" })
        {
            await Etl("jobs", "show", id);
            await Etl("jobs", "show", id, "--json");
        }
        await Etl("jobs", "list", "--json");
        await Etl("jobs", "watch", "with-key");

        var statuses = JsonSerializer.Serialize(await admin.ListAsync()) + JsonSerializer.Serialize(new[] { completed, failed });
        var journalRows = await AllRowsAsync(journal.ConnectionString);
        var places = new Dictionary<string, string>
        {
            ["node log"] = cluster.Seed.Process.Output(),
            ["etl output"] = outputs.ToString(),
            ["statuses and errors"] = statuses,
            ["journal rows"] = journalRows,
            ["sink rows"] = await AllRowsAsync(warehouse.ConnectionString),
        };
        // The scan reads what it should: the journal's payloads hold the jobs' specs (decoded from bytea).
        Assert.Contains("with-token", journalRows);
        Assert.Contains("${API_TOKEN}", journalRows);
        var secrets = new Dictionary<string, string>
        {
            ["sink password"] = SinkPassword,
            ["API token"] = Token,
            ["query key"] = QueryKey,
            ["API key"] = Operator.Key,
            ["admin API key"] = TestKeys.Admin.Key,
            ["certificate password"] = DevCertificates.Shared.Password,
        };
        var found = from place in places from secret in secrets where place.Value.Contains(secret.Value, StringComparison.Ordinal) select $"{secret.Key} in {place.Key}";
        Assert.Empty(found);
    }

    /// <summary>Every row of every table of the database as text, bytea columns decoded as UTF-8 (the journal's payloads).</summary>
    private static async Task<string> AllRowsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"SELECT * FROM {table}", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                for (var i = 0; i < reader.FieldCount; i++)
                    text.Append(reader.IsDBNull(i) ? "" : reader.GetValue(i) is byte[] bytes ? Encoding.UTF8.GetString(bytes) : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)).Append('\t');
            text.AppendLine();
        }
        return text.ToString();
    }

    private static string Config(string auth) => StubApiConfigs.Items(50, auth, "max_retries: 0");

    public void Dispose() => _dir.Dispose();
}
