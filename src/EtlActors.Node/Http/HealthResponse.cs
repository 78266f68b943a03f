using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EtlActors.Node.Http;

/// <summary>
/// A health route's body: the overall status and each check's, e.g.
/// <c>{"status":"Unhealthy","checks":{"cluster":{"status":"Healthy","description":"member Up"},"journal":{"status":"Unhealthy",…}}}</c>.
/// </summary>
internal static class HealthResponse
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new Body(report.Status.ToString(),
            report.Entries.ToDictionary(e => e.Key, e => new Check(e.Value.Status.ToString(), e.Value.Description), StringComparer.Ordinal));
        return JsonSerializer.SerializeAsync(context.Response.Body, body, Json, context.RequestAborted);
    }

    private sealed record Body(string Status, IReadOnlyDictionary<string, Check> Checks);

    private sealed record Check(string Status, string? Description);
}
