namespace EtlActors.Engine.Security;

/// <summary>Who is asking, as a node knows them from their API key.</summary>
/// <param name="Name">As configured (<c>Etl:Security:ApiKeys:N:Principal</c>).</param>
/// <param name="Role">What they may do.</param>
/// <param name="Tenants">The tenants whose jobs they see and drive; ignored when <paramref name="AllTenants"/>.</param>
/// <param name="AllTenants">Every tenant: an admin, or a key configured with <c>*</c>.</param>
public sealed record Principal(string Name, AccessRole Role, IReadOnlySet<string> Tenants, bool AllTenants)
{
    /// <summary>Any caller of a node with <c>Etl:Security:InsecureAnonymousAccess</c>.</summary>
    public static readonly Principal Anonymous = new("anonymous", AccessRole.Admin, new HashSet<string>(), AllTenants: true);

    /// <summary>Whether the principal sees and drives <paramref name="tenantId"/>'s jobs.</summary>
    public bool Sees(string tenantId) => AllTenants || Tenants.Contains(tenantId);

    /// <summary>"principal 'ops' (operator of acme, globex)", for refusals and logs.</summary>
    public override string ToString() =>
        $"principal '{Name}' ({Role.ToString().ToLowerInvariant()}{(AllTenants ? " of every tenant" : " of " + string.Join(", ", Tenants.Order(StringComparer.Ordinal)))})";
}
