using System.Reflection;
using System.Text.Json;
using Akka.Actor;
using EtlActors.Contracts.Jobs;
using EtlActors.Contracts.Security;
using EtlActors.Dashboard.Access;
using EtlActors.Dashboard.Api;
using EtlActors.Dashboard.Live;
using EtlActors.Dashboard.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EtlActors.Dashboard;

/// <summary>Maps the dashboard into an ASP.NET Core app, as Hangfire's <c>MapHangfireDashboard</c> does.</summary>
public static partial class EtlDashboardEndpointRouteBuilderExtensions
{
    /// <summary>The header every action request of the pages carries: a cross-site form cannot send it, so it cannot act as the user.</summary>
    public const string ActionHeader = "X-Etl-Dashboard";

    /// <summary>
    /// Maps the dashboard under <paramref name="prefix"/> (default the root: <c>/</c> overview, <c>/jobs</c>,
    /// <c>/jobs/{id}</c>, <c>/api/…</c>, <c>/api/events</c> for the pushed updates). Needs <see cref="EtlDashboardServiceCollectionExtensions.AddEtlDashboard"/>.
    /// </summary>
    public static RouteGroupBuilder MapEtlDashboard(this IEndpointRouteBuilder endpoints, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        prefix = prefix.TrimEnd('/');
        var group = endpoints.MapGroup(prefix);
        MapPages(group, prefix);
        MapAssets(group);
        MapApi(group);
        return group;
    }

    private static void MapPages(RouteGroupBuilder group, string prefix)
    {
        group.MapGet("/", (HttpContext c, DashboardAccess a) => Page(c, a, prefix, "overview", "Overview"));
        group.MapGet("/jobs", (HttpContext c, DashboardAccess a) => Page(c, a, prefix, "jobs", "Jobs"));
        group.MapGet("/jobs/{id}", (HttpContext c, DashboardAccess a, string id) => Page(c, a, prefix, "job", "Job " + id, id));
        group.MapPost("/signin", async (HttpContext c, DashboardAccess access) =>
        {
            var form = await c.Request.ReadFormAsync(c.RequestAborted);
            var key = form["key"].ToString().Trim();
            if (key.Length == 0 || access.PrincipalOf(key) is null)
                return Html(PageShell.SignIn(BasePath(c, prefix), "That key is not one this cluster knows.", c.Request.IsHttps), StatusCodes.Status401Unauthorized);
            access.SignIn(c, key, CookiePath(c, prefix));
            return Results.Redirect(BasePath(c, prefix) + "/");
        }).DisableAntiforgery();
        group.MapPost("/signout", (HttpContext c) =>
        {
            DashboardAccess.SignOut(c, CookiePath(c, prefix));
            return Results.Redirect(BasePath(c, prefix) + "/");
        }).DisableAntiforgery();
    }

    private static IResult Page(HttpContext context, DashboardAccess access, string prefix, string page, string title, string? jobId = null)
    {
        context.Response.Headers.CacheControl = "no-store";
        return access.UserOf(context) is { } user
            ? Html(PageShell.Page(BasePath(context, prefix), page, title, user, access.Insecure, jobId))
            : Html(PageShell.SignIn(BasePath(context, prefix), null, context.Request.IsHttps), StatusCodes.Status401Unauthorized);
    }

    private static void MapAssets(RouteGroupBuilder group)
    {
        foreach (var (name, type) in new[] { ("dashboard.js", "text/javascript; charset=utf-8"), ("dashboard.css", "text/css; charset=utf-8") })
        {
            var bytes = ReadAsset(name);
            group.MapGet("/assets/" + name, () => Results.Bytes(bytes, type));
        }
    }

    private static void MapApi(RouteGroupBuilder group)
    {
        var api = group.MapGroup("/api");
        api.MapGet("/me", (HttpContext c, DashboardAccess a) => WithUser(c, a, user => Task.FromResult(Json(new
        {
            principal = user.Principal.Name,
            role = user.Principal.Role.ToString().ToLowerInvariant(),
            tenants = user.Principal.AllTenants ? ["*"] : user.Principal.Tenants.Order(StringComparer.Ordinal).ToArray(),
            mayAct = user.MayAct,
        }))));
        api.MapGet("/overview", (HttpContext c, DashboardAccess a, JobDesk desk, DashboardFeed feed, ActorSystem system) => WithUser(c, a, async user =>
        {
            if (await desk.AskAsync(user, new JobProtocol.ListJobs(), c.RequestAborted) is not JobProtocol.JobList list)
                return Results.StatusCode(StatusCodes.Status502BadGateway);
            return Json(new
            {
                members = ClusterView.Members(system, list.Jobs),
                states = Enum.GetValues<JobState>().ToDictionary(s => s.ToString(), s => list.Jobs.Count(j => j.State == s)),
                rates = feed.Rates(user),
            });
        }));
        api.MapGet("/jobs", (HttpContext c, DashboardAccess a, JobDesk desk) => WithUser(c, a, user => JobListAsync(c, desk, user)));
        api.MapGet("/jobs/{id}", (HttpContext c, DashboardAccess a, JobDesk desk, DashboardFeed feed, string id) => WithUser(c, a, async user =>
        {
            var answer = await desk.AskAsync(user, new JobProtocol.GetJob(new JobId(id)), c.RequestAborted);
            if (answer is not JobStatus { Exists: true } status)
                return Refused(answer) ?? Results.NotFound(new { error = $"no job '{id}' in this cluster" });
            var (samples, checkpoints) = feed.History(status);
            return Json(new { job = JobView.Of(status), samples, checkpoints });
        }));
        api.MapPost("/jobs", (HttpContext c, DashboardAccess a, JobDesk desk) => WithUser(c, a, async user =>
        {
            if (!c.Request.Headers.ContainsKey(ActionHeader) || !user.MayAct)
                return Results.Json(new { error = $"not allowed: {(user.ApiKey is null ? "the insecure development mode is read-only" : $"{user.Principal} may not submit jobs")}" }, statusCode: StatusCodes.Status403Forbidden);
            var form = await c.Request.ReadFromJsonAsync<SubmitForm>(DashboardJson.Options, c.RequestAborted);
            if (form is null || string.IsNullOrWhiteSpace(form.Kind) || string.IsNullOrWhiteSpace(form.Path) || string.IsNullOrWhiteSpace(form.Tenant))
                return Results.BadRequest(new { error = "a job needs a source kind, a source path and a tenant" });
            var spec = new JobSpec(form.Kind.Trim(), form.Path.Trim(), form.Sink?.Trim() ?? "", form.Tenant.Trim(), string.IsNullOrWhiteSpace(form.Mapping) ? null : form.Mapping);
            var id = string.IsNullOrWhiteSpace(form.Id) ? JobId.DefaultFor(spec) : new JobId(form.Id.Trim());
            var answer = await desk.AskAsync(user, new JobProtocol.StartJob(id, spec), c.RequestAborted);
            return (answer is JobProtocol.JobAccepted accepted)
                ? Json(new { id = accepted.JobId.Value, state = accepted.State.ToString() })
                : (Refused(answer) ?? Results.StatusCode(StatusCodes.Status502BadGateway));
        })).DisableAntiforgery();
        api.MapPost("/jobs/{id}/{action}", (HttpContext c, DashboardAccess a, JobDesk desk, string id, string action) => WithUser(c, a, async user =>
        {
            object? command = action switch
            {
                "pause" => new JobProtocol.PauseJob(new JobId(id)),
                "resume" => new JobProtocol.ResumeJob(new JobId(id)),
                "cancel" => new JobProtocol.CancelJob(new JobId(id)),
                _ => null,
            };
            if (command is null)
                return Results.NotFound(new { error = $"no action '{action}'" });
            if (!c.Request.Headers.ContainsKey(ActionHeader))
                return Results.Json(new { error = $"not allowed: an action needs the {ActionHeader} header the dashboard's pages send" }, statusCode: StatusCodes.Status403Forbidden);
            if (!user.MayAct)
                return Results.Json(new { error = "not allowed: " + (user.ApiKey is null ? "the insecure development mode is read-only; sign in with an operator's key" : $"{user.Principal} may not {action} jobs") }, statusCode: StatusCodes.Status403Forbidden);
            var answer = await desk.AskAsync(user, command, c.RequestAborted);
            return (answer is JobStatus status) ? Json(JobView.Of(status)) : (Refused(answer) ?? Results.StatusCode(StatusCodes.Status502BadGateway));
        })).DisableAntiforgery();
        api.MapGet("/jobs/{id}/quarantine", (HttpContext c, DashboardAccess a, JobDesk desk, QuarantineReader reader, string id, long? after, int? limit) => WithUser(c, a, async user =>
        {
            // Through the gate first: it says whether this user may see the job at all, and where it loads.
            var answer = await desk.AskAsync(user, new JobProtocol.GetJob(new JobId(id)), c.RequestAborted);
            if (answer is not JobStatus { Spec: { } spec })
                return Refused(answer) ?? Results.NotFound(new { error = $"no job '{id}' in this cluster" });
            try
            {
                return Json(await reader.ReadAsync(spec.Sink, id, after ?? -1, limit ?? 20, c.RequestAborted));
            }
            catch (Exception ex) when (ex is FormatException or System.Data.Common.DbException or InvalidOperationException)
            {
                // The driver's message may name hosts and users: the page says only that the sink did not answer.
                return Results.Json(new { error = "the job's sink could not be read (the node's log has the details)" }, statusCode: StatusCodes.Status502BadGateway);
            }
        }));
        api.MapGet("/events", (HttpContext c, DashboardAccess a, DashboardFeed feed, IHostApplicationLifetime lifetime) => WithUser(c, a, async user =>
        {
            await StreamAsync(c, feed, user, lifetime.ApplicationStopping);
            return Results.Empty;
        }));
    }

    private static async Task<IResult> JobListAsync(HttpContext context, JobDesk desk, DashboardUser user)
    {
        var query = context.Request.Query;
        var tenant = NullIfEmpty(query["tenant"]);
        JobState? state = Enum.TryParse<JobState>(query["state"], ignoreCase: true, out var s) ? s : null;
        var search = NullIfEmpty(query["q"]);
        var page = Math.Max(1, int.TryParse(query["page"], out var p) ? p : 1);
        var size = Math.Clamp(int.TryParse(query["size"], out var z) ? z : 25, 1, 200);
        var answer = await desk.AskAsync(user, new JobProtocol.ListJobs(null, tenant), context.RequestAborted);
        if (answer is not JobProtocol.JobList list)
            return Refused(answer) ?? Results.StatusCode(StatusCodes.Status502BadGateway);
        var matching = list.Jobs.Where(j => (state is null || j.State == state)
            && (search is null || j.JobId.Value.Contains(search, StringComparison.OrdinalIgnoreCase))).ToList();
        return Json(new
        {
            total = matching.Count,
            page,
            size,
            jobs = matching.Skip((page - 1) * size).Take(size).Select(JobView.Of),
            tenants = list.Jobs.Select(j => j.Spec?.TenantId).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal),
        });
    }

    private static async Task<IResult> WithUser(HttpContext context, DashboardAccess access, Func<DashboardUser, Task<IResult>> then)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (access.UserOf(context) is not { } user)
            return Results.Json(new { error = "sign in with an API key (the sign-in form, or Authorization: Bearer <key>)" }, statusCode: StatusCodes.Status401Unauthorized);
        try
        {
            return await then(user);
        }
        catch (AskTimeoutException)
        {
            return Results.Json(new { error = "the cluster did not answer in time" }, statusCode: StatusCodes.Status504GatewayTimeout);
        }
    }

    private static IResult? Refused(object answer) => answer switch
    {
        SecurityProtocol.NotAllowed no => Results.Json(new { error = no.Reason }, statusCode: StatusCodes.Status403Forbidden),
        JobProtocol.JobRejected rejected => Results.Json(new { error = rejected.Reason, state = rejected.State.ToString() }, statusCode: StatusCodes.Status409Conflict),
        _ => null,
    };

    private static IResult Json(object value) => Results.Json(value, DashboardJson.Options);

    private static IResult Html(string html, int status = StatusCodes.Status200OK) => Results.Content(html, "text/html; charset=utf-8", null, status);

    private static string BasePath(HttpContext context, string prefix) => (context.Request.PathBase + prefix).ToString().TrimEnd('/');

    private static string CookiePath(HttpContext context, string prefix) => BasePath(context, prefix) is { Length: > 0 } path ? path : "/";

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static byte[] ReadAsset(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("EtlActors.Dashboard.Assets." + name)
            ?? throw new InvalidOperationException($"the dashboard's {name} is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

/// <summary>The submit form's fields, as the jobs page sends them: what <c>etl submit</c> takes.</summary>
internal sealed record SubmitForm(string? Id, string? Kind, string? Path, string? Tenant, string? Sink, string? Mapping);
