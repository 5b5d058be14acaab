using Engagement.Web.Platform.Data;

namespace Engagement.Web.Platform.Hosting;

public enum FindingLevel
{
    /// <summary>As it should be for a public site.</summary>
    Ok,
    /// <summary>Unsafe or incomplete for a public site: <c>check-config</c> fails, the site starts and logs a warning.</summary>
    Warning,
    /// <summary>The site refuses to start in Production.</summary>
    Error,
}

public sealed record ConfigurationFinding(FindingLevel Level, string Key, string Message);

/// <summary>
/// What a production site needs from its configuration, as plain rules over <see cref="IConfiguration"/>: the site
/// refuses to start in Production on an <see cref="FindingLevel.Error"/> and logs each <see cref="FindingLevel.Warning"/>;
/// <c>check-config</c> prints them all and fails on either. Checks that need the outside world (the database answering,
/// the certificate opening) are added by <c>check-config</c> itself.
/// </summary>
public static class ConfigurationCheck
{
    public const string DefaultFrom = "noreply@engagement.changning.example";

    public static IReadOnlyList<ConfigurationFinding> Inspect(IConfiguration configuration, string contentRoot)
    {
        var findings = new List<ConfigurationFinding>();
        void Add(FindingLevel level, string key, string message) => findings.Add(new(level, key, message));

        var publicUrl = configuration["Site:PublicUrl"];
        Uri? site = null;
        if (string.IsNullOrWhiteSpace(publicUrl))
        {
            Add(FindingLevel.Error, "Site:PublicUrl", "missing: every link in e-mail (password resets, confirmations, reminders) is built from it, never from the request's Host header. Set it to the address people use, e.g. https://engagement.example.gov.cn");
        }
        else if (!Uri.TryCreate(publicUrl, UriKind.Absolute, out site) || site.Scheme is not ("http" or "https") || site.AbsolutePath != "/" || !string.IsNullOrEmpty(site.Query))
        {
            Add(FindingLevel.Error, "Site:PublicUrl", $"'{publicUrl}' is not a site address such as https://engagement.example.gov.cn (scheme, host, optional port, no path)");
            site = null;
        }
        else if (site.Scheme != "https")
        {
            Add(FindingLevel.Warning, "Site:PublicUrl", $"{publicUrl} is plain http: passwords and sign-in cookies would cross the network readable; serve the site over https");
        }
        else
        {
            Add(FindingLevel.Ok, "Site:PublicUrl", publicUrl);
        }

        var allowed = (configuration["AllowedHosts"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (allowed.Length == 0 || allowed.Contains("*"))
        {
            Add(FindingLevel.Error, "AllowedHosts", "is '*': any Host header is accepted. List the site's host names, e.g. engagement.example.gov.cn (separated by ';')");
        }
        else if (site is not null && !allowed.Any(h => HostMatches(h, site.Host)))
        {
            Add(FindingLevel.Error, "AllowedHosts", $"'{string.Join(';', allowed)}' does not include {site.Host}, the host of Site:PublicUrl: every request to the site would be refused");
        }
        else
        {
            Add(FindingLevel.Ok, "AllowedHosts", string.Join(';', allowed));
        }

        string? providerError = null;
        try { DatabaseSetup.Provider(configuration); } catch (InvalidOperationException e) { providerError = e.Message; }
        if (providerError is not null)
        {
            Add(FindingLevel.Error, "Database:Provider", providerError);
        }
        else if (DatabaseSetup.Provider(configuration) == DatabaseProvider.Postgres)
        {
            Add(string.IsNullOrWhiteSpace(configuration.GetConnectionString("Engagement")) ? FindingLevel.Error : FindingLevel.Ok,
                "ConnectionStrings:Engagement", string.IsNullOrWhiteSpace(configuration.GetConnectionString("Engagement"))
                    ? "empty, while Database:Provider is Postgres" : "PostgreSQL");
        }
        else
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(
                DatabaseSetup.SqliteConnectionString(configuration.GetConnectionString("Engagement"), contentRoot, createFolder: false)).DataSource;
            var inside = Path.GetFullPath(file).StartsWith(Path.GetFullPath(contentRoot).TrimEnd('/') + "/", StringComparison.Ordinal);
            Add(inside ? FindingLevel.Warning : FindingLevel.Ok, "ConnectionStrings:Engagement", inside
                ? $"the SQLite file {file} is inside the application's folder, which an upgrade replaces: give an absolute path in a data folder, e.g. Data Source=/var/lib/engagement/engagement.db"
                : $"SQLite file {file}");
        }

        if (configuration.GetValue("Demo:Enabled", false))
        {
            Add(FindingLevel.Warning, "Demo:Enabled", "is on: demo accounts with a shared password (Demo:Password) are created, the admin's included. Turn it off for a public site");
        }

        if (string.IsNullOrWhiteSpace(configuration["Smtp:Host"]))
        {
            var pickup = Path.GetFullPath(configuration["Outbox:PickupDirectory"] ?? "App_Data/mail-pickup", contentRoot);
            Add(FindingLevel.Warning, "Smtp:Host", $"missing: e-mail is written as files to {pickup} and never sent, yet people cannot sign in before confirming their address by e-mail");
        }
        else
        {
            Add(FindingLevel.Ok, "Smtp:Host", $"{configuration["Smtp:Host"]}:{configuration["Smtp:Port"] ?? "587"}");
        }
        var from = configuration["Outbox:From"];
        Add(string.IsNullOrWhiteSpace(from) || from == DefaultFrom ? FindingLevel.Warning : FindingLevel.Ok, "Outbox:From",
            string.IsNullOrWhiteSpace(from) || from == DefaultFrom
                ? $"is the example address {DefaultFrom}: set the district's own sender (and Outbox:FromName)"
                : from);

        var secureCookies = configuration.GetValue("Security:SecureCookies", true);
        if (!secureCookies)
        {
            Add(FindingLevel.Warning, "Security:SecureCookies", "is off: sign-in cookies are also sent over plain http. Only for a test host without TLS");
        }
        else if (!configuration.GetValue("ForwardedHeaders:Enabled", false) && !ServesHttps(configuration))
        {
            Add(FindingLevel.Warning, "ForwardedHeaders:Enabled", "is off and the site does not listen on https: behind nginx every page would answer that the site must be reached over HTTPS. Set it to true when nginx (deploy/nginx/engagement.conf) terminates TLS in front of every request");
        }
        else
        {
            Add(FindingLevel.Ok, "ForwardedHeaders:Enabled", configuration.GetValue("ForwardedHeaders:Enabled", false) ? "true (TLS ends at the proxy)" : "Kestrel serves https itself");
        }

        foreach (var (key, who) in new[] { ("Accounts:RequireTwoFactorForAdmins", "admins"), ("Accounts:RequireTwoFactorForStaff", "staff") })
        {
            var on = configuration.GetValue(key, true);
            Add(on ? FindingLevel.Ok : FindingLevel.Warning, key, on
                ? $"on: {who} sign in with a password and an authenticator-app code"
                : $"is off: {who} sign in with a password alone, so one leaked password opens the back office. Leave it on for a public site");
        }

        Add(string.IsNullOrWhiteSpace(configuration["DataProtection:CertificatePath"]) ? FindingLevel.Warning : FindingLevel.Ok, "DataProtection:CertificatePath",
            string.IsNullOrWhiteSpace(configuration["DataProtection:CertificatePath"])
                ? "missing: the keys that sign cookies and reset links are stored unencrypted in the database, so every backup holds them. Name a PKCS#12 certificate (docs/DEPLOYMENT.md, \"Keys\")"
                : Path.GetFullPath(configuration["DataProtection:CertificatePath"]!, contentRoot));

        try
        {
            var networks = Telemetry.TelemetrySetup.AllowedNetworks(configuration);
            Add(FindingLevel.Ok, "Metrics:AllowedNetworks", $"/metrics answers {string.Join(", ", networks)}"
                + (configuration["OpenTelemetry:Endpoint"] is { Length: > 0 } otlp ? $"; metrics and traces also go to {otlp}" : ""));
        }
        catch (InvalidOperationException error)
        {
            Add(FindingLevel.Error, "Metrics:AllowedNetworks", error.Message);
        }
        if (configuration["OpenTelemetry:Endpoint"] is { Length: > 0 } endpoint && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
        {
            Add(FindingLevel.Error, "OpenTelemetry:Endpoint", $"'{endpoint}' is not an address such as http://otel-collector:4317");
        }
        return findings;
    }

    /// <summary>Host filtering's rule: an exact name, or <c>*.example.gov.cn</c> for its subdomains.</summary>
    private static bool HostMatches(string pattern, string host) =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(pattern.Split(':')[0], host, StringComparison.OrdinalIgnoreCase);

    private static bool ServesHttps(IConfiguration configuration) =>
        (configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? configuration["URLS"] ?? "").Contains("https://", StringComparison.OrdinalIgnoreCase)
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any(e => (e["Url"] ?? "").StartsWith("https", StringComparison.OrdinalIgnoreCase));
}
