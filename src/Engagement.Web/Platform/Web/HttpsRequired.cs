using System.Net;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Platform.Web;

/// <summary>
/// A page requested over plain HTTP while cookies must be Secure (outside development) cannot be shown: the
/// antiforgery cookie of its forms demands HTTPS, and refuses with an exception. Instead of the empty 500 that would
/// follow, the person gets a page in their language saying to use the https address, and the operator a log line
/// saying what to set (TLS in nginx with <c>ForwardedHeaders:Enabled</c>). What needs no such cookie (downloads,
/// the API, <c>/healthz</c>) is served as before.
/// </summary>
public sealed class HttpsRequired(RequestDelegate next, IStringLocalizer<SharedResource> text, IConfiguration configuration,
    ILogger<HttpsRequired> log)
{
    private int _logged;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.IsHttps)
        {
            await next(context);
            return;
        }
        try
        {
            await next(context);
        }
        catch (Exception error) when (NeedsHttps(error) && !context.Response.HasStarted)
        {
            // Only what needs the Secure cookie fails here (a page with a form); downloads, the API and /healthz do not.
            await WritePageAsync(context);
        }
    }

    private static bool NeedsHttps(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is InvalidOperationException && e.Message.Contains("AntiforgeryOptions.Cookie.SecurePolicy", StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private async Task WritePageAsync(HttpContext context)
    {
        var request = context.Request;
        if (Interlocked.Exchange(ref _logged, 1) == 0)
        {
            log.LogWarning("A page was requested over plain HTTP ({Host}{Path}) while cookies require HTTPS, so it was refused. " +
                "Serve the site over TLS: in nginx (deploy/nginx/engagement.conf) with ForwardedHeaders:Enabled=true so the site sees " +
                "X-Forwarded-Proto: https (now {Forwarded}); Security:SecureCookies=false is only for a test host.",
                request.Host, request.Path, configuration.GetValue("ForwardedHeaders:Enabled", false) ? "on" : "off");
        }
        context.Response.Clear();
        var https = configuration["Site:PublicUrl"] is { Length: > 0 } site && site.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? site.TrimEnd('/') + request.Path + request.QueryString
            : null;
        var culture = System.Globalization.CultureInfo.CurrentUICulture.Name;
        string E(string value) => WebUtility.HtmlEncode(value);
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="{E(culture)}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(text["HttpsRequired.Title"])}</title><link rel="stylesheet" href="/lib/bootstrap/bootstrap.min.css"></head>
            <body><main class="container py-5">
            <h1 class="h3">{E(text["HttpsRequired.Title"])}</h1>
            <p class="lead">{E(text["HttpsRequired.Body"])}</p>
            {(https is null ? "" : $"<p><a class=\"btn btn-primary\" href=\"{E(https)}\">{E(text["HttpsRequired.Link"])}</a></p>")}
            <p class="text-body-secondary">{E(text["HttpsRequired.Operator"])}</p>
            </main></body></html>
            """);
    }
}
