namespace EtlActors.Testing;

/// <summary>
/// A fresh, empty database: <paramref name="ConnectionString"/> for Npgsql, <paramref name="Url"/> for
/// <c>DatabaseAddress.Parse</c> (<c>postgresql://postgres@127.0.0.1:port/name</c>).
/// </summary>
public sealed record TestDatabase(string Name, string ConnectionString, string Url);
