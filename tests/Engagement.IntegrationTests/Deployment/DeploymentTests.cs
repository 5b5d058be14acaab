using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Engagement.IntegrationTests.Faults;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.IntegrationTests.Live;
using Npgsql;

namespace Engagement.IntegrationTests.Deployment;

/// <summary>
/// docs/DEPLOYMENT.md followed step by step from a fresh publish, on loopback: the blocks marked <c>&lt;!-- test: NAME --&gt;</c>
/// in the document are read and run as written, with this machine's folders, ports and names put in place of
/// <c>/etc/engagement</c>, <c>/opt/engagement/current</c> and the database's. No systemd as PID 1 here, so the units are
/// checked with <c>systemd-analyze verify</c> and the instances started as the unit would start them.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class DeploymentTests : IAsyncLifetime
{
    private readonly string _work = Directory.CreateTempSubdirectory("engagement-deploy-").FullName;
    private readonly string _name = $"engagement_deploy_{Guid.NewGuid():N}"[..30];
    private readonly string _password = "role-" + Guid.NewGuid().ToString("N")[..12];
    private readonly List<SiteProcess> _instances = [];
    private Nginx? _nginx;

    private string Etc => Path.Combine(_work, "etc");
    private string Current => Path.Combine(_work, "opt", "current");
    private string EnvFile => Path.Combine(Etc, "engagement.env");
    private static string Root => SiteProcess.RepositoryRoot();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_nginx is not null) await _nginx.DisposeAsync();
        foreach (var instance in _instances) await instance.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(_name);
        await PostgresServer.DropDatabaseAsync(_name + "_restored");
        await using var connection = new NpgsqlConnection(PostgresServer.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS \"{_name}\"", connection);
        await drop.ExecuteNonQueryAsync();
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { }
    }

    /// <summary>The fenced block after <c>&lt;!-- test: NAME --&gt;</c> in docs/DEPLOYMENT.md.</summary>
    private static string Block(string name)
    {
        var doc = File.ReadAllText(Path.Combine(Root, "docs", "DEPLOYMENT.md"));
        var match = Regex.Match(doc, $@"<!-- test: {name} -->\s*```\w*\n(.*?)```", RegexOptions.Singleline);
        Assert.True(match.Success, $"docs/DEPLOYMENT.md has no block marked 'test: {name}'");
        return match.Groups[1].Value;
    }

    /// <summary>A documented shell block with this machine's paths, run by bash; the operator's runuser prefixes dropped (the test is one user).</summary>
    private async Task<CommandResult> RunDocumentedAsync(string script, IReadOnlyDictionary<string, string>? environment = null)
    {
        script = script.Replace("runuser -u engagement -- ", "").Replace("runuser -u postgres -- ", "")
            .Replace("/opt/engagement/current", Current).Replace("/etc/engagement", Etc);
        script = string.Join('\n', script.Split('\n').Where(l => !Regex.IsMatch(l, @"^\s*(chgrp|chown|chmod)\b")));
        var settings = new Dictionary<string, string> { ["ENV_FILE"] = EnvFile, ["SITE_DIR"] = Current };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) settings[key] = value;
        return await SiteCommand.RunProcessAsync("bash", ["-euo", "pipefail", "-c", script], settings, workingDirectory: _work);
    }

    [Fact]
    public async Task A_fresh_publish_deployed_by_the_documented_steps_serves_an_admin_who_creates_a_unit_through_nginx()
    {
        var server = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString);
        _nginx = new Nginx(Path.Combine(_work, "nginx"));
        Directory.CreateDirectory(Path.Combine(_work, "nginx"));
        var publicUrl = _nginx.Https;

        // Step 3: publish into a folder of its own; "current" points at it. (The build is already done by ./test.sh.)
        var release = Path.Combine(_work, "opt", "releases", "1");
        var publish = await SiteCommand.RunProcessAsync("dotnet", ["publish", Path.Combine(Root, "src", "Engagement.Web"), "-c", "Release", "--no-build", "-o", release, "-nologo"],
            workingDirectory: Root, timeout: TimeSpan.FromMinutes(5));
        Assert.True(publish.ExitCode == 0, publish.All);
        Directory.CreateSymbolicLink(Current, release);
        foreach (var shipped in new[] { "wwwroot/css/site.css", "deploy/site-command.sh", "deploy/backup.sh", "deploy/engagement.env.example", "deploy/units.changning.csv", "deploy/systemd/engagement@.service" })
        {
            Assert.True(File.Exists(Path.Combine(Current, shipped)), $"the published site lacks {shipped}");
        }

        // Step 2: the role and the database, with the documented SQL.
        await using (var admin = new NpgsqlConnection(PostgresServer.ConnectionString))
        {
            await admin.OpenAsync();
            var sql = Regex.Replace(Block("database"), @"\bengagement\b", _name).Replace("CHANGE-ME", _password);
            foreach (var statement in sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                await using var command = new NpgsqlCommand(statement, admin);
                await command.ExecuteNonQueryAsync();
            }
        }

        // Step 4: the settings, from the shipped example with this machine's values.
        Directory.CreateDirectory(Etc);
        var certificatePassword = "dp-" + Guid.NewGuid().ToString("N")[..10];
        var values = new Dictionary<string, string>
        {
            ["Site__PublicUrl"] = publicUrl, ["AllowedHosts"] = "localhost;127.0.0.1",
            ["ConnectionStrings__Engagement"] = $"Host={server.Host};Port={server.Port};Database={_name};Username={_name};Password={_password}",
            ["Redis__Configuration"] = RedisServer.Configuration, ["Redis__ChannelPrefix"] = _name,
            ["Smtp__Host"] = "127.0.0.1", ["Smtp__Port"] = SiteProcess.FreePort().ToString(), ["Smtp__UseStartTls"] = "false",
            ["Outbox__PickupDirectory"] = Path.Combine(_work, "mail"),
            ["DataProtection__CertificatePath"] = Path.Combine(Etc, "dataprotection.pfx"), ["DataProtection__CertificatePassword"] = certificatePassword,
        };
        var example = await File.ReadAllLinesAsync(Path.Combine(Current, "deploy", "engagement.env.example"));
        var settings = example.Select(line => line.Split('=', 2) is [var key, _] && values.TryGetValue(key, out var value) ? $"{key}={value}" : line).ToList();
        Assert.All(values.Keys, key => Assert.Contains(example, l => l.StartsWith(key + "=")));
        await File.WriteAllLinesAsync(EnvFile, settings);

        // Step 5: the key certificate, by the documented openssl commands.
        var certificate = await RunDocumentedAsync(Block("certificate").Replace("CHANGE-ME", certificatePassword));
        Assert.True(certificate.ExitCode == 0, certificate.All);
        Assert.True(File.Exists(Path.Combine(Etc, "dataprotection.pfx")));
        Assert.False(File.Exists(Path.Combine(Etc, "dataprotection.key")), "the private key file is left beside the certificate");

        // Step 6: check-config is satisfied (the database answers and is still empty).
        var check = await RunDocumentedAsync(Block("check-config"));
        Assert.True(check.ExitCode == 0, check.All);
        Assert.Contains("ready for Production", check.Output);

        // Step 7: the units pass systemd's own checks with this machine's paths.
        var units = Path.Combine(_work, "units");
        Directory.CreateDirectory(units);
        foreach (var unit in new[] { "engagement@.service", "engagement-backup.service", "engagement-backup.timer" })
        {
            var text = (await File.ReadAllTextAsync(Path.Combine(Current, "deploy", "systemd", unit)))
                .Replace("/opt/engagement/current", Current).Replace("/etc/engagement", Etc);
            await File.WriteAllTextAsync(Path.Combine(units, unit), text);
        }
        var verify = await SiteCommand.RunProcessAsync("systemd-analyze", ["verify", "./engagement@5081.service", "./engagement-backup.service", "./engagement-backup.timer"], workingDirectory: units);
        Assert.True(verify.ExitCode == 0, verify.All);

        // Both instances start at once on the empty database: one applies the migrations, the other waits for it.
        var environment = settings.Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        _instances.Add(new SiteProcess(environment, Current));
        _instances.Add(new SiteProcess(environment, Current));
        await Task.WhenAll(_instances.Select(i => i.StartAsync()));
        Assert.Single(_instances, i => i.Log.Contains("Applying database migration 20261122184300_Foundation"));

        // Step 8: the first admin and the district's units, by the documented commands.
        var firstAdmin = await RunDocumentedAsync(Block("first-admin"));
        Assert.True(firstAdmin.ExitCode == 0, firstAdmin.All);
        Assert.Contains("30 added", firstAdmin.Output);
        var link = Regex.Match(firstAdmin.Output, @"https://\S+/account/reset-password\S+").Value;
        Assert.StartsWith(publicUrl + "/account/reset-password?email=admin%40changning.gov.cn&code=", link);

        // Step 9: nginx as shipped; the admin follows the link through it, chooses a password, signs in and adds a unit.
        await _nginx.StartAsync(_instances[0].Port, _instances[1].Port);
        var cookies = new CookieContainer();
        using var browser = Nginx.Client(publicUrl, cookies);
        await FirstAdminFlow.SignInThroughLinkAsync(browser, link, "admin@changning.gov.cn", "Changning-admin-2026");
        Assert.All(cookies.GetAllCookies(), c => Assert.True(c.Secure, $"cookie {c.Name} is not Secure"));
        await FirstAdminFlow.AddUnitAsync(browser, "北新泾街道", "区体育局", "District Sports Bureau");
        for (var i = 0; i < 2; i++) Assert.Contains("区体育局", await browser.GetStringAsync("/admin/units")); // both instances

        // A forged Host header gets no answer from nginx, and a 400 from an instance reached directly.
        using (var forged = new HttpRequestMessage(HttpMethod.Get, "/account/forgot-password"))
        {
            forged.Headers.Host = "evil.example";
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => browser.SendAsync(forged));
        }
        using var direct = new HttpClient { BaseAddress = new Uri(_instances[0].BaseUrl) };
        using (var forged = new HttpRequestMessage(HttpMethod.Get, "/healthz"))
        {
            forged.Headers.Host = "evil.example";
            Assert.Equal(HttpStatusCode.BadRequest, (await direct.SendAsync(forged)).StatusCode);
        }
        // Plain http through nginx goes to https; plain http reaching an instance is told, in the visitor's language.
        using var plain = Nginx.Client($"http://localhost:{_nginx.HttpPort}");
        var redirect = await plain.GetAsync("/decisions");
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal($"https://localhost/decisions", redirect.Headers.Location!.ToString().Replace($":{_nginx.HttpPort}", ""));
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/"))
        {
            request.Headers.Host = "localhost";
            request.Headers.AcceptLanguage.ParseAdd("en");
            var refused = await direct.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("Please use the secure (https) address", await refused.Content.ReadAsStringAsync());
        }

        // The keys in the database are encrypted with the certificate.
        await using (var db = new NpgsqlConnection(values["ConnectionStrings__Engagement"]))
        {
            await db.OpenAsync();
            await using var keys = new NpgsqlCommand("SELECT \"Xml\" FROM \"DataProtectionKeys\"", db);
            await using var reader = await keys.ExecuteReaderAsync();
            var count = 0;
            while (await reader.ReadAsync())
            {
                count++;
                var xml = reader.GetString(0);
                Assert.Contains("EncryptedXml", xml);
                Assert.DoesNotContain("<masterKey", xml);
            }
            Assert.True(count > 0);
        }

        // Step 11: the nightly backup script, then the documented restore into a new database.
        var backups = Path.Combine(_work, "backups");
        var backup = await SiteCommand.RunProcessAsync("bash", [Path.Combine(Current, "deploy", "backup.sh")],
            environment.Concat([new("BACKUP_DIR", backups), new("SITE_DIR", Current)]).ToDictionary(p => p.Key, p => p.Value), workingDirectory: "/");
        Assert.True(backup.ExitCode == 0, backup.All);
        var dump = Directory.GetFiles(backups, "engagement-*.dump").Single();
        var restore = Regex.Replace(Block("restore"), @"/var/backups/engagement/engagement-[\d-]+\.dump", dump)
            .Replace("engagement_restored", _name + "_restored").Replace("--owner=engagement", $"--owner={_name}").Replace("--role=engagement", $"--role={_name}");
        var restored = await RunDocumentedAsync(restore, new Dictionary<string, string>
        {
            ["PGHOST"] = server.Host!, ["PGPORT"] = server.Port.ToString(), ["PGUSER"] = server.Username ?? "postgres",
        });
        Assert.True(restored.ExitCode == 0, restored.All);
        await using (var copy = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(values["ConnectionStrings__Engagement"]) { Database = _name + "_restored" }.ToString()))
        {
            await copy.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM \"Units\" WHERE \"Name\" = '区体育局'", copy);
            Assert.Equal(1L, await count.ExecuteScalarAsync());
        }
    }
}
