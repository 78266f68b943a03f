using EtlActors.Contracts.Security;
using EtlActors.Engine;
using EtlActors.Engine.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace EtlActors.Dashboard.Access;

/// <summary>
/// Who a request comes from: its <c>Authorization: Bearer</c> API key, or the key the sign-in form stored in the
/// dashboard's cookie (encrypted with ASP.NET Core Data Protection, so the cookie is useless to anyone who reads it off
/// a disk and the browser's script cannot read it at all).
/// </summary>
internal sealed class DashboardAccess(EtlEngineOptions options, IDataProtectionProvider protection)
{
    public const string CookieName = "etl-dashboard";

    private readonly AccessPolicy _policy = AccessPolicy.From(options);
    private readonly IDataProtector _protector = protection.CreateProtector("EtlActors.Dashboard.ApiKey.v1");

    /// <summary>Whether the node runs in the insecure development mode, where the dashboard is open and read-only.</summary>
    public bool Insecure => options.Security.InsecureAnonymousAccess;

    /// <summary>The user of <paramref name="context"/>; null when the request has no valid key and the node needs one.</summary>
    public DashboardUser? UserOf(HttpContext context)
    {
        var key = BearerKey(context) ?? CookieKey(context);
        if (key is not null && PrincipalOf(key) is { } principal)
            return new DashboardUser(principal, key);
        return Insecure ? new DashboardUser(Principal.Anonymous, null) : null;
    }

    /// <summary>The principal of <paramref name="apiKey"/>; null for a key this cluster does not know.</summary>
    public Principal? PrincipalOf(string apiKey) =>
        _policy.Admit(new SecurityProtocol.Authenticated(apiKey, new object())).Principal;

    /// <summary>Stores the key in the sign-in cookie: HttpOnly, SameSite=Strict, and Secure whenever the page came over HTTPS.</summary>
    public void SignIn(HttpContext context, string apiKey, string path) =>
        context.Response.Cookies.Append(CookieName, _protector.Protect(apiKey), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = path,
            IsEssential = true,
        });

    public static void SignOut(HttpContext context, string path) =>
        context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = path });

    private static string? BearerKey(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 ? header[7..].Trim() : null;
    }

    private string? CookieKey(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var cookie) || string.IsNullOrEmpty(cookie))
            return null;
        try
        {
            return _protector.Unprotect(cookie);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null; // issued by another node, or before this node restarted: sign in again
        }
    }
}
