namespace Engagement.Web.Platform.Web;

/// <summary>
/// Absolute links for e-mail and calendars: Site:PublicUrl, the address people know, behind any proxy. Never the
/// request's Host header in Production (the site refuses to start there without Site:PublicUrl): a forgot-password
/// request sent with <c>Host: evil.example</c> must not mail a link to evil.example. Elsewhere, without the setting,
/// the request's own address (a developer's machine), else the bare path (a background job).
/// </summary>
public sealed class SiteLinks(IConfiguration configuration, IHttpContextAccessor http, IHostEnvironment environment)
{
    /// <summary>A link people may follow from our pages: absolute http or https only (no javascript:, data: ...).</summary>
    public static bool IsWebAddress(string? value, int maxLength = 500) =>
        value is not null && value.Length <= maxLength && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    public string Absolute(string path)
    {
        var configured = configuration["Site:PublicUrl"];
        var root = !string.IsNullOrWhiteSpace(configured) ? configured
            : !environment.IsProduction() && http.HttpContext is { } context ? $"{context.Request.Scheme}://{context.Request.Host}"
            : "";
        return root.TrimEnd('/') + path;
    }
}
