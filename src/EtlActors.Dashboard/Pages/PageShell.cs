using System.Text.Encodings.Web;
using EtlActors.Dashboard.Access;

namespace EtlActors.Dashboard.Pages;

/// <summary>
/// The HTML of the pages: a header and an empty main that <c>dashboard.js</c> fills from the JSON routes and keeps up to
/// date from the event stream; and the sign-in form, rendered whole on the server, so a visitor without a key is sent
/// nothing about the cluster.
/// </summary>
internal static class PageShell
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>A page for <paramref name="user"/>: <paramref name="page"/> is overview, jobs or job.</summary>
    public static string Page(string basePath, string page, string title, DashboardUser user, bool insecure, string? jobId = null)
    {
        var who = user.ApiKey is null
            ? "<span class=\"who insecure\">insecure development mode: read-only</span>"
            : $"""
              <span class="who">{E(user.Principal.Name)} · {E(user.Principal.Role.ToString().ToLowerInvariant())}</span>
              <form method="post" action="{E(basePath)}/signout" class="inline"><button type="submit" class="link">Sign out</button></form>
              """;
        return Document(basePath, title, $"""
            <header>
              <nav>
                <a href="{E(basePath)}/" class="brand">EtlActors</a>
                <a href="{E(basePath)}/"{Current(page, "overview")}>Overview</a>
                <a href="{E(basePath)}/jobs"{Current(page, "jobs")}>Jobs</a>
              </nav>
              <div class="session">{who}<span id="live" class="live off" title="live updates">offline</span></div>
            </header>
            {(insecure && user.ApiKey is null ? "<p class=\"banner\">This node runs with Etl:Security:InsecureAnonymousAccess: anyone who reaches it sees every job.</p>" : "")}
            <main id="app" data-page="{E(page)}" data-base="{E(basePath)}" data-job="{E(jobId ?? "")}" data-may-act="{(user.MayAct ? "true" : "false")}">
              <p class="muted">Loading…</p>
            </main>
            <script src="{E(basePath)}/assets/dashboard.js"></script>
            """);
    }

    /// <summary>The sign-in form, with <paramref name="problem"/> above it when the last key was refused.</summary>
    public static string SignIn(string basePath, string? problem, bool overHttps) => Document(basePath, "Sign in", $"""
        <header><nav><span class="brand">EtlActors</span></nav></header>
        <main class="signin">
          <h1>Sign in</h1>
          <p>Give the API key you were issued (<code>etl keys new</code>). You will see the jobs of your tenants, and act on them if your role allows.</p>
          {(problem is null ? "" : $"<p class=\"error\" role=\"alert\">{E(problem)}</p>")}
          {(overHttps ? "" : "<p class=\"warning\">This page came over plain HTTP: on a shared network, serve the dashboard over HTTPS (Etl:Http:CertificatePath) so the key is not readable on the wire.</p>")}
          <form method="post" action="{E(basePath)}/signin">
            <label for="key">API key</label>
            <input id="key" name="key" type="password" autocomplete="current-password" required>
            <button type="submit">Sign in</button>
          </form>
        </main>
        """);

    private static string Document(string basePath, string title, string body) => $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>{E(title)} · EtlActors</title>
          <link rel="stylesheet" href="{E(basePath)}/assets/dashboard.css">
        </head>
        <body>
        {body}
        </body>
        </html>
        """;

    private static string Current(string page, string link) => page == link ? " aria-current=\"page\"" : "";

    private static string E(string text) => Html.Encode(text);
}
