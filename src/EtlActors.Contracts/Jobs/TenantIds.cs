using System.Text.RegularExpressions;

namespace EtlActors.Contracts.Jobs;

/// <summary>Tenant ids: every row carries one, and they may name database objects, so only a safe alphabet is allowed.</summary>
public static partial class TenantIds
{
    /// <summary>Whether <paramref name="tenant"/> is 1-64 letters, digits, '.', '_' or '-'.</summary>
    public static bool IsValid(string? tenant) => tenant is not null && Pattern().IsMatch(tenant);

    /// <summary>Throws when <paramref name="tenant"/> is not valid, with a message a user can act on.</summary>
    /// <exception cref="ArgumentException">The tenant id is not valid.</exception>
    public static string Validate(string? tenant) => IsValid(tenant)
        ? tenant!
        : throw new ArgumentException($"tenant '{tenant}' is not valid: use 1-64 letters, digits, '.', '_' or '-'");

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex Pattern();
}
