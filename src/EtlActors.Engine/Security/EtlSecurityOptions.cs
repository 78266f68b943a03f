using EtlActors.Contracts.Security;

namespace EtlActors.Engine;

/// <summary>
/// Who may drive the cluster, bound from <c>Etl:Security</c>. The certificate (see <see cref="EtlTlsOptions"/>)
/// lets a client connect; the API key it sends with each command says which principal is asking, and so what it may do.
/// With no key configured every command from a client is refused, unless <see cref="InsecureAnonymousAccess"/>.
/// </summary>
public sealed class EtlSecurityOptions
{
    /// <summary>The keys this node accepts, by hash, each mapped to a principal, a role and tenants.</summary>
    public List<ApiKeyOptions> ApiKeys { get; set; } = [];

    /// <summary>
    /// True: a client's command needs no key and counts as an admin of every tenant. Only for a cluster nobody else
    /// can reach. Default false. A key sent anyway is still checked, so keyed principals keep their limits.
    /// </summary>
    public bool InsecureAnonymousAccess { get; set; }

    internal const string Section = EtlEngineOptions.Section + ":Security";

    /// <summary>Checks every key's hash, role and tenants, naming the key's entry as configured.</summary>
    /// <exception cref="ArgumentException">An entry is incomplete or names an unknown role.</exception>
    public void Validate()
    {
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            var key = ApiKeys[i];
            var at = $"{Section}:{nameof(ApiKeys)}:{i}";
            if (string.IsNullOrWhiteSpace(key.Principal))
                throw new ArgumentException($"{at}:{nameof(ApiKeyOptions.Principal)} is not set: name who holds the key (it appears in logs)");
            if (key.KeySha256 is not { Length: 64 } hash || !hash.All(Uri.IsHexDigit))
                throw new ArgumentException($"{at}:{nameof(ApiKeyOptions.KeySha256)} must be the 64 hex digits of the key's SHA-256 (etl keys new prints it), never the key itself");
            if (!hashes.Add(hash.ToLowerInvariant()))
                throw new ArgumentException($"{at}: the same key is configured twice");
            if (!Enum.TryParse<AccessRole>(key.Role, ignoreCase: true, out var role) || !Enum.IsDefined(role))
                throw new ArgumentException($"{at}:{nameof(ApiKeyOptions.Role)} must be viewer, operator or admin (is '{key.Role}')");
            if (role != AccessRole.Admin && key.Tenants.Count == 0)
                throw new ArgumentException($"{at}:{nameof(ApiKeyOptions.Tenants)} is empty: a {role.ToString().ToLowerInvariant()} needs the tenants it may see ('*' for all)");
        }
    }
}

/// <summary>One API key a node accepts (<c>Etl:Security:ApiKeys:N</c>).</summary>
public sealed class ApiKeyOptions
{
    /// <summary>Who holds the key: a person or a service; named in logs and refusals.</summary>
    public string Principal { get; set; } = "";

    /// <summary>The key's hash (<see cref="ApiKeyHash.Of"/>: lowercase hex SHA-256); the key itself is never configured.</summary>
    public string KeySha256 { get; set; } = "";

    /// <summary><c>viewer</c> (show, list, watch), <c>operator</c> (also submit, pause, resume, cancel) or <c>admin</c> (also cluster commands, every tenant).</summary>
    public string Role { get; set; } = "";

    /// <summary>The tenants whose jobs the principal sees and drives; <c>*</c> for every tenant. An admin has every tenant.</summary>
    public List<string> Tenants { get; set; } = [];
}

/// <summary>What a principal may do, each role including the one before.</summary>
public enum AccessRole
{
    /// <summary>Show, list and watch its tenants' jobs; see the cluster's membership.</summary>
    Viewer = 1,
    /// <summary>Also submit, pause, resume and cancel its tenants' jobs.</summary>
    Operator = 2,
    /// <summary>Every tenant, and the cluster commands: leave, down, shards.</summary>
    Admin = 3,
}
