using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Engagement.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Engagement.IntegrationTests.Platform;

/// <summary>
/// The operator's commands of docs/DEPLOYMENT.md run as the built program, from <c>/</c> as a service or cron job
/// would: what they do, and what they refuse (a missing, foreign, empty or running database), with exit codes.
/// </summary>
[Collection(Faults.RunsAlone.Name)]
public sealed class SiteCommandTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("engagement-commands-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { }
    }

    private Dictionary<string, string> Sqlite(string file, params (string, string)[] more)
    {
        var settings = new Dictionary<string, string> { ["ConnectionStrings__Engagement"] = $"Data Source={file}", ["Database__Provider"] = "Sqlite" };
        foreach (var (key, value) in more) settings[key] = value;
        return settings;
    }

    [Fact]
    public async Task Backup_refuses_a_missing_or_foreign_database_and_writes_nothing()
    {
        var missing = Path.Combine(_work, "no-such", "engagement.db");
        var target = Path.Combine(_work, "backup.db");
        var result = await SiteCommand.RunAsync(Sqlite(missing), "backup", target);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"There is no database at {missing}", result.Error);
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(missing), "the refused backup created the database it looked for");

        var foreign = Path.Combine(_work, "foreign.db");
        await using (var connection = new SqliteConnection($"Data Source={foreign};Pooling=false"))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);";
            await create.ExecuteNonQueryAsync();
        }
        result = await SiteCommand.RunAsync(Sqlite(foreign), "backup", target);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("holds no Engagement site", result.Error);
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(target + ".partial"));
    }

    [Fact]
    public async Task A_relative_database_path_is_under_the_application_folder_whatever_the_working_directory()
    {
        var name = $"commands-test-{Guid.NewGuid():N}.db";
        var applicationData = Path.Combine(SiteProcess.RepositoryRoot(), "src", "Engagement.Web", "App_Data", name);
        try
        {
            var result = await SiteCommand.RunProcessAsync("dotnet", [SiteCommand.BuiltSite, "migrate"], Sqlite($"App_Data/{name}"), workingDirectory: _work);
            Assert.Equal(0, result.ExitCode);
            Assert.Contains(applicationData, result.Output);
            Assert.True(File.Exists(applicationData));
            Assert.False(File.Exists(Path.Combine(_work, "App_Data", name)));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm", ".lock" }) File.Delete(applicationData + suffix);
        }
    }

    [Fact]
    public async Task First_admin_and_units_from_the_command_line_then_the_admin_signs_in_and_restore_waits_for_the_site_to_stop()
    {
        var file = Path.Combine(_work, "site", "engagement.db");
        await using var site = new SiteProcess(Sqlite(file, ("Outbox__PickupDirectory", Path.Combine(_work, "mail")), ("RateLimiting__Enabled", "false")));
        var settings = Sqlite(file, ("Site__PublicUrl", site.BaseUrl));

        // Before the database exists, and before it has tables: refused, and nothing created.
        var refused = await SiteCommand.RunAsync(settings, "create-admin", "admin@changning.gov.cn");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("there is no database", refused.Error);
        Assert.False(File.Exists(file));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await using (var empty = new SqliteConnection($"Data Source={file};Pooling=false"))
        {
            await empty.OpenAsync();
        }
        refused = await SiteCommand.RunAsync(settings, "import-units", Path.Combine(SiteProcess.RepositoryRoot(), "deploy", "units.changning.csv"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("has no Engagement tables", refused.Error);

        Assert.Equal(0, (await SiteCommand.RunAsync(settings, "migrate")).ExitCode);
        var admin = await SiteCommand.RunAsync(settings, "create-admin", "admin@changning.gov.cn", "区政务公开办管理员");
        Assert.True(admin.ExitCode == 0, admin.All);
        Assert.Matches(@"password \(shown once\): [A-Za-z0-9]{20}", admin.Output);
        var link = Regex.Match(admin.Output, @"http://\S+/account/reset-password\S+").Value;
        Assert.StartsWith(site.BaseUrl + "/account/reset-password?email=admin%40changning.gov.cn&code=", link);

        // A unit file with one bad kind imports nothing; the shipped list imports, and again changes nothing.
        var bad = Path.Combine(_work, "bad.csv");
        await File.WriteAllTextAsync(bad, "name,nameEn,kind\n区民政局,Civil Affairs,委办局\n华阳路街道,Huayang,居委会\n");
        var badImport = await SiteCommand.RunAsync(settings, "import-units", bad);
        Assert.Equal(1, badImport.ExitCode);
        Assert.Contains("bad.csv:3: '居委会' is not a kind of unit", badImport.Error);
        var units = Path.Combine(SiteProcess.RepositoryRoot(), "deploy", "units.changning.csv");
        Assert.Contains("30 added, 0 updated, 0 unchanged", (await SiteCommand.RunAsync(settings, "import-units", units)).Output);
        Assert.Contains("0 added, 0 updated, 30 unchanged", (await SiteCommand.RunAsync(settings, "import-units", units)).Output);

        // The admin chooses a password through the link, signs in, and adds a unit on the admin pages.
        await site.StartAsync();
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(site.BaseUrl) };
        await FirstAdminFlow.SignInThroughLinkAsync(browser, link, "admin@changning.gov.cn", "Changning-admin-2026");
        await FirstAdminFlow.AddUnitAsync(browser, "仙霞新村街道", "区体育局", "District Sports Bureau");
        Assert.Contains("区体育局", await browser.GetStringAsync("/admin/units"));

        // While the site runs: a backup works, a restore is refused and leaves the site's data alone.
        var backup = Path.Combine(_work, "nightly.db");
        Assert.Equal(0, (await SiteCommand.RunAsync(settings, "backup", backup)).ExitCode);
        var restore = await SiteCommand.RunAsync(settings, "restore", backup);
        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("stop every instance", restore.Error);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/admin/units")).StatusCode);

        // Stopped: the restore goes through, and the site comes back with what the backup held.
        site.Kill();
        restore = await SiteCommand.RunAsync(settings, "restore", backup);
        Assert.True(restore.ExitCode == 0, restore.All);
        Assert.True(File.Exists(file + ".before-restore"));
    }

    [Fact]
    public async Task Check_config_names_what_is_missing_and_passes_a_complete_production_configuration()
    {
        var defaults = await SiteCommand.RunAsync(new Dictionary<string, string>(), "check-config");
        Assert.Equal(1, defaults.ExitCode);
        Assert.Contains("MISSING Site:PublicUrl", defaults.Output);
        Assert.Contains("MISSING AllowedHosts", defaults.Output);
        Assert.Contains("UNSAFE  Smtp:Host", defaults.Output);
        Assert.Contains("UNSAFE  DataProtection:CertificatePath", defaults.Output);

        var database = $"engagement_check_{Guid.NewGuid():N}";
        await PostgresServer.CreateDatabaseAsync(database);
        try
        {
            var complete = new Dictionary<string, string>
            {
                ["Site__PublicUrl"] = "https://engagement.changning.gov.cn", ["AllowedHosts"] = "engagement.changning.gov.cn",
                ["Database__Provider"] = "Postgres",
                ["ConnectionStrings__Engagement"] = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { Database = database }.ToString(),
                ["Smtp__Host"] = "smtp.changning.gov.cn", ["Outbox__From"] = "engagement@changning.gov.cn", ["ForwardedHeaders__Enabled"] = "true",
                ["DataProtection__CertificatePath"] = SiteCommand.WriteCertificate(Path.Combine(_work, "dp.pfx"), "cert-password"),
                ["DataProtection__CertificatePassword"] = "cert-password",
            };
            var ready = await SiteCommand.RunAsync(complete, "check-config");
            Assert.True(ready.ExitCode == 0, ready.All);
            Assert.Contains("answers and is empty", ready.Output);
            Assert.Contains("check-config: ready for Production", ready.Output);

            complete["DataProtection__CertificatePassword"] = "wrong";
            var wrongPassword = await SiteCommand.RunAsync(complete, "check-config");
            Assert.Equal(1, wrongPassword.ExitCode);
            Assert.Contains("could not be opened", wrongPassword.Output);
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
        }
    }
}
