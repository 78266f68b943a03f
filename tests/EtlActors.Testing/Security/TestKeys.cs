using EtlActors.Contracts.Security;

namespace EtlActors.Testing.Security;

/// <summary>An API key a test issues: the key a client sends, and the settings a node accepts it with.</summary>
public sealed record TestKey(string Principal, string Role, params string[] Tenants)
{
    /// <summary>The key itself, new for each test key.</summary>
    public string Key { get; } = ApiKeyHash.NewKey();

    /// <summary>The node settings that accept this key as entry <paramref name="index"/> of <c>Etl:Security:ApiKeys</c>.</summary>
    public IEnumerable<KeyValuePair<string, string>> NodeSettings(int index)
    {
        var prefix = $"Etl__Security__ApiKeys__{index}__";
        yield return new($"{prefix}Principal", Principal);
        yield return new($"{prefix}KeySha256", ApiKeyHash.Of(Key));
        yield return new($"{prefix}Role", Role);
        for (var i = 0; i < Tenants.Length; i++)
            yield return new($"{prefix}Tenants__{i}", Tenants[i]);
    }

    /// <summary>An `etl` command's environment with this key.</summary>
    public IReadOnlyDictionary<string, string> ClientEnvironment => new Dictionary<string, string> { ["ETL_API_KEY"] = Key };
}

/// <summary>The keys every test node accepts, as cluster/local.sh issues an admin key.</summary>
public static class TestKeys
{
    /// <summary>
    /// An admin of every tenant: entry 0 of every test node's keys, and the key every `etl` a test starts, and every
    /// test client, sends unless the test says otherwise.
    /// </summary>
    public static readonly TestKey Admin = new("test-admin", "admin");
}
