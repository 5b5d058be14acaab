namespace Engagement.Web.Platform.Hosting;

/// <summary>
/// Before a Production site takes requests: refuse to start, saying why, on what would make it unsafe to serve
/// (<see cref="ConfigurationCheck"/>'s errors: no Site:PublicUrl, AllowedHosts "*"), and log a warning for each
/// thing that works but should not go unnoticed (mail to the pickup folder, unencrypted keys, forwarded headers off).
/// </summary>
public static class StartupChecks
{
    public static bool RefuseUnsafeProduction(this WebApplication app)
    {
        if (!app.Environment.IsProduction()) return true;
        var findings = ConfigurationCheck.Inspect(app.Configuration, app.Environment.ContentRootPath);
        foreach (var finding in findings.Where(f => f.Level == FindingLevel.Warning))
        {
            app.Logger.LogWarning("Configuration: {Key} {Message}", finding.Key, finding.Message);
        }
        var errors = findings.Where(f => f.Level == FindingLevel.Error).ToList();
        foreach (var error in errors)
        {
            app.Logger.LogCritical("Configuration: {Key} {Message}", error.Key, error.Message);
            Console.Error.WriteLine($"Refusing to start: {error.Key} {error.Message}");
        }
        if (errors.Count > 0)
        {
            Console.Error.WriteLine("Fix the settings above (docs/DEPLOYMENT.md lists them; 'Engagement.Web check-config' checks them all), then start again.");
        }
        return errors.Count == 0;
    }

    /// <summary>Mail that only lands in a folder, in Production: shown to admins on their home page as well as logged.</summary>
    public static bool MailGoesToPickupFolder(IConfiguration configuration, IHostEnvironment environment) =>
        environment.IsProduction() && string.IsNullOrWhiteSpace(configuration["Smtp:Host"]);
}
