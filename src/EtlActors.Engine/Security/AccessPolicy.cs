using EtlActors.Contracts.Cluster;
using EtlActors.Contracts.Jobs;
using EtlActors.Contracts.Security;
using EtlActors.Pipeline.Load;

namespace EtlActors.Engine.Security;

/// <summary>
/// Who may do what on this node, and where a client may have a job load: the decisions the gates
/// (<see cref="JobGate"/>, the cluster admin) act on, as plain functions of the configuration. Every refusal
/// starts with <c>not allowed:</c> and says what would be allowed instead.
/// </summary>
public sealed class AccessPolicy
{
    private readonly Dictionary<string, Principal> _byHash;
    private readonly bool _anonymous;
    private readonly IReadOnlyDictionary<string, string> _sinks;
    private readonly IReadOnlySet<string> _sinkHosts;
    private readonly string _defaultSink;

    private AccessPolicy(Dictionary<string, Principal> byHash, bool anonymous, IReadOnlyDictionary<string, string> sinks, IReadOnlySet<string> sinkHosts, string defaultSink)
    {
        _byHash = byHash;
        _anonymous = anonymous;
        _sinks = sinks;
        _sinkHosts = sinkHosts;
        _defaultSink = defaultSink;
    }

    /// <summary>The policy of a node configured with <paramref name="options"/> (validated).</summary>
    public static AccessPolicy From(EtlEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var byHash = options.Security.ApiKeys.ToDictionary(
            k => k.KeySha256.ToLowerInvariant(),
            k =>
            {
                var role = Enum.Parse<AccessRole>(k.Role, ignoreCase: true);
                return new Principal(k.Principal, role, k.Tenants.Where(t => t != "*").ToHashSet(StringComparer.Ordinal),
                    AllTenants: role == AccessRole.Admin || k.Tenants.Contains("*"));
            },
            StringComparer.Ordinal);
        return new AccessPolicy(byHash, options.Security.InsecureAnonymousAccess, options.Sinks,
            options.SinkHosts.ToHashSet(StringComparer.OrdinalIgnoreCase), options.DefaultSinkDescription);
    }

    /// <summary>
    /// Who sent <paramref name="message"/> and the command inside it: a command in <see cref="SecurityProtocol.Authenticated"/>
    /// is its key's principal's; a bare one is anonymous's, on a node that allows that.
    /// </summary>
    public Admission Admit(object message) => message switch
    {
        SecurityProtocol.Authenticated { ApiKey: var key, Command: var command } => _byHash.TryGetValue(ApiKeyHash.Of(key), out var principal)
            ? new Admission(principal, command, null)
            : new Admission(null, command, "not allowed: the API key is not one this cluster knows (check ETL_API_KEY, or ask an admin for a key)"),
        _ when _anonymous => new Admission(Principal.Anonymous, message, null),
        _ => new Admission(null, message, "not allowed: no API key given, and this cluster needs one (set ETL_API_KEY, or EtlClientOptions.ApiKey)"),
    };

    /// <summary>Why <paramref name="principal"/>'s role does not allow <paramref name="command"/>; null when it does.</summary>
    public static string? RoleRefusal(Principal principal, object command)
    {
        if (Needs(command) is not var (role, what))
            return $"not allowed: {command.GetType().Name} is not a command this node takes from clients";
        return principal.Role >= role
            ? null
            : $"not allowed: {principal} may not {what}; that needs the {role.ToString().ToLowerInvariant()} role";
    }

    /// <summary>Why <paramref name="principal"/> may not touch a job of <paramref name="tenantId"/>; null when it may.</summary>
    public static string? TenantRefusal(Principal principal, JobId jobId, string tenantId) => principal.Sees(tenantId)
        ? null
        : $"not allowed: job '{jobId}' is not in the tenants of {principal}";

    /// <summary>Why a listing of <paramref name="tenantId"/>'s jobs is refused; null when it is allowed.</summary>
    public static string? ListRefusal(Principal principal, string? tenantId) => tenantId is null || principal.Sees(tenantId)
        ? null
        : $"not allowed: tenant '{tenantId}' is not one of {principal}'s";

    /// <summary>
    /// Why a client may not have a job load into <paramref name="sink"/>; null when it may: the cluster's default sink
    /// (empty), a sink the configuration names, or a PostgreSQL URL whose host is on the allow-list. A node never
    /// connects to a database a client invents, and never writes a SQLite file a client names.
    /// </summary>
    public string? SinkRefusal(string sink)
    {
        if (string.IsNullOrWhiteSpace(sink) || _sinks.ContainsKey(sink) || sink == _defaultSink)
            return null;
        var named = _sinks.Count == 0 ? "none is configured (Etl:Sinks)" : "this cluster defines " + string.Join(", ", _sinks.Keys.Order(StringComparer.Ordinal));
        if (EtlEngineOptions.IsSinkName(sink))
            return $"not allowed: no sink named '{sink}' ({named})";
        DatabaseAddress address;
        try
        {
            address = DatabaseAddress.Parse(sink);
        }
        catch (FormatException ex)
        {
            return $"not allowed: {ex.Message}";
        }
        if (address.Kind == DatabaseKind.Sqlite)
            return $"not allowed: a SQLite sink is a file on the node, which a client may not choose; use a named sink ({named})";
        return _sinkHosts.Contains(address.Host!)
            ? null
            : $"not allowed: sink host '{address.Host}' is not on this cluster's allow-list (Etl:SinkHosts: {(_sinkHosts.Count == 0 ? "empty" : string.Join(", ", _sinkHosts.Order(StringComparer.Ordinal)))}); use a named sink ({named})";
    }

    /// <summary>Whether <paramref name="command"/> changes a job, so that taking it is worth an audit line.</summary>
    public static bool Changes(object command) => command is JobProtocol.StartJob or JobProtocol.PauseJob or JobProtocol.ResumeJob or JobProtocol.CancelJob
        or ClusterProtocol.LeaveMember or ClusterProtocol.DownMember;

    private static (AccessRole Role, string What)? Needs(object command) => command switch
    {
        JobProtocol.GetJob => (AccessRole.Viewer, "show a job"),
        JobProtocol.ListJobs => (AccessRole.Viewer, "list jobs"),
        ClusterProtocol.GetClusterState => (AccessRole.Viewer, "see the cluster's members"),
        JobProtocol.StartJob => (AccessRole.Operator, "submit a job"),
        JobProtocol.PauseJob => (AccessRole.Operator, "pause a job"),
        JobProtocol.ResumeJob => (AccessRole.Operator, "resume a job"),
        JobProtocol.CancelJob => (AccessRole.Operator, "cancel a job"),
        ClusterProtocol.GetShards => (AccessRole.Admin, "see the cluster's shards"),
        ClusterProtocol.LeaveMember => (AccessRole.Admin, "make a node leave the cluster"),
        ClusterProtocol.DownMember => (AccessRole.Admin, "mark a node down"),
        // Debug shows what a viewer may not see (other tenants' jobs), and a flood of it can fill a disk.
        ClusterProtocol.SetLogLevel => (AccessRole.Admin, "change a node's log level"),
        _ => null,
    };
}

/// <summary>Who sent a message, and the command in it; or, when <see cref="Refusal"/> is set, why it is refused.</summary>
public sealed record Admission(Principal? Principal, object Command, string? Refusal);
