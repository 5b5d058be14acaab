using System.Reflection;

namespace Engagement.Web.Platform.Hosting;

/// <summary>
/// Where appsettings.json is read and relative paths in configuration (the SQLite file, the mail pickup folder, the
/// data-protection certificate) resolve: the application's own folder, never the working directory. A service or a
/// cron job started from <c>/</c> must open the same database as the operator who ran it by hand.
/// </summary>
public static class ContentRoot
{
    /// <summary>
    /// The content root for the site's own process: null (the host's default) when one is given explicitly
    /// (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c>) or when another program hosts the site (the tests'
    /// WebApplicationFactory sets its own).
    /// </summary>
    public static string? Resolve(string[] args)
    {
        if (args.Any(a => a.TrimStart('-', '/').StartsWith("contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT")))
        {
            return null;
        }
        if (Assembly.GetEntryAssembly()?.GetName().Name != typeof(ContentRoot).Assembly.GetName().Name) return null;
        return ApplicationDirectory(AppContext.BaseDirectory);
    }

    /// <summary>
    /// A published site's folder; for a site run from source (<c>dotnet run</c>, binaries in
    /// <c>src/Engagement.Web/bin/&lt;configuration&gt;/&lt;framework&gt;/</c>) the project folder, as <c>dotnet run</c> has always used.
    /// </summary>
    public static string ApplicationDirectory(string baseDirectory)
    {
        var binaries = new DirectoryInfo(baseDirectory);
        var project = binaries.Parent?.Parent is { Name: "bin" } bin ? bin.Parent : null;
        return project is not null && File.Exists(Path.Combine(project.FullName, "Engagement.Web.csproj"))
            ? project.FullName
            : binaries.FullName;
    }
}
