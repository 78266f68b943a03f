using System.Security.Cryptography;
using System.Text;

namespace EtlActors.Contracts.Security;

/// <summary>
/// How a caller says who is asking. The cluster's certificate decides who may connect; an API key decides what
/// the connected caller may do. Every command a client sends to <c>/user/jobs</c> or <c>/user/cluster-admin</c>
/// travels inside <see cref="Authenticated"/>; a node answers a command it refuses with <see cref="NotAllowed"/>.
/// </summary>
public static class SecurityProtocol
{
    /// <summary>A command with the API key of the caller who sends it.</summary>
    /// <param name="ApiKey">The caller's key, as issued (nodes keep only its <see cref="ApiKeyHash"/>).</param>
    /// <param name="Command">A message of <c>JobProtocol</c> or <c>ClusterProtocol</c>.</param>
    public sealed record Authenticated(string ApiKey, object Command)
    {
        /// <summary>The command without the key, so that a log line or a dead letter never shows it.</summary>
        public override string ToString() => $"Authenticated {{ ApiKey = ***, Command = {Command} }}";
    }

    /// <summary>A command the node refused for the caller's key, role or tenants, or for where it loads.</summary>
    /// <param name="Reason">Why, starting with <c>not allowed:</c>, e.g. "not allowed: principal 'ops-a' is a viewer; pausing a job needs operator".</param>
    public sealed record NotAllowed(string Reason);
}

/// <summary>The form in which nodes keep API keys: never the key itself, only this hash of it.</summary>
public static class ApiKeyHash
{
    /// <summary>
    /// The lowercase hex SHA-256 of the key's UTF-8 bytes (what <c>printf %s "$key" | sha256sum</c> prints).
    /// A fast hash is enough here: keys are 32 random bytes, not passwords a person chose, so there is nothing to guess.
    /// </summary>
    public static string Of(string apiKey)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)));
    }

    /// <summary>A new key: 32 random bytes, as base64url text (43 characters).</summary>
    public static string NewKey() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
