namespace Engagement.Web.Platform.Web;

/// <summary>
/// Absolute links for e-mail: Site:PublicUrl when set (the address people know, behind any proxy), else the address
/// of the request being served, else the bare path (a background job without configuration).
/// </summary>
public sealed class SiteLinks(IConfiguration configuration, IHttpContextAccessor http)
{
    /// <summary>A link people may follow from our pages: absolute http or https only (no javascript:, data: ...).</summary>
    public static bool IsWebAddress(string? value, int maxLength = 500) =>
        value is not null && value.Length <= maxLength && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    public string Absolute(string path)
    {
        var configured = configuration["Site:PublicUrl"];
        var root = !string.IsNullOrWhiteSpace(configured) ? configured
            : http.HttpContext is { } context ? $"{context.Request.Scheme}://{context.Request.Host}"
            : "";
        return root.TrimEnd('/') + path;
    }
}
