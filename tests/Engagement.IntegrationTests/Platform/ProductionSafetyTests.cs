using System.Net;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Engagement.IntegrationTests.Platform;

/// <summary>The site with Site:PublicUrl set, as in production: links in e-mail come from it and nothing else.</summary>
public sealed class PublicUrlSqliteFactory : SqliteFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Site:PublicUrl", ProductionSafetyTests<PublicUrlSqliteFactory>.PublicUrl);
    }
}

public sealed class PublicUrlPostgresFactory : PostgresFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Site:PublicUrl", ProductionSafetyTests<PublicUrlPostgresFactory>.PublicUrl);
    }
}

public abstract class ProductionSafetyTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    public const string PublicUrl = "https://engagement.changning.gov.cn:8443";

    [Fact]
    public async Task A_forgot_password_request_with_a_forged_host_mails_a_link_to_the_public_address()
    {
        var browser = factory.CreateBrowser();
        var page = await browser.GetPageAsync("/account/forgot-password");
        browser.DefaultRequestHeaders.Host = "evil.example";
        var sent = await browser.SubmitAsync(page, "/account/forgot-password", new Dictionary<string, string> { ["Email"] = "resident2@example.org" });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var mail = await factory.WaitForTextAsync("resident2@example.org", "/account/reset-password");
        Assert.StartsWith(PublicUrl + "/account/reset-password?", mail.Link());
        Assert.DoesNotContain("evil.example", (mail.HtmlBody ?? "") + mail.TextBody);
    }

    [Theory]
    [InlineData("zh-CN", "请使用安全（https）地址访问", "前往安全地址")]
    [InlineData("en", "Please use the secure (https) address", "Go to the secure address")]
    public async Task A_page_requested_over_plain_http_while_cookies_need_https_explains_itself_in_the_visitors_language(string language, string title, string link)
    {
        var plain = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://localhost"), AllowAutoRedirect = false });
        plain.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        foreach (var path in new[] { "/", "/account/login", "/decisions?q=%E5%8A%A0%E8%A3%85" })
        {
            var response = await plain.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var page = await response.ParseAsync();
            Assert.Equal(title, page.QuerySelector("h1")!.TextContent);
            Assert.Equal(language, page.DocumentElement.GetAttribute("lang"));
            Assert.Equal(PublicUrl + path, page.QuerySelector("a.btn")!.GetAttribute("href"));
            Assert.Contains(link, page.Body!.TextContent);
        }
        // Monitoring and the API are not pages: they still answer over plain http.
        Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync("/api/v1/decisions")).StatusCode);
    }
}

public sealed class ProductionSafetyTests_Sqlite(PublicUrlSqliteFactory factory) : ProductionSafetyTests<PublicUrlSqliteFactory>(factory);
public sealed class ProductionSafetyTests_Postgres(PublicUrlPostgresFactory factory) : ProductionSafetyTests<PublicUrlPostgresFactory>(factory);

/// <summary>Instances starting together on an empty database: one applies the migrations, the others wait and find them applied.</summary>
public sealed class ConcurrentMigrationTests
{
    private static EngagementDbContext Context(DatabaseProvider provider, string connectionString)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider.ToString(), ["ConnectionStrings:Engagement"] = connectionString,
        }).Build();
        var services = new ServiceCollection().AddLogging().AddOutputCache().AddSingleton<Engagement.Web.Platform.Web.PublicPageCacheInvalidation>();
        services.AddDatabase(configuration, new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { ContentRootPath = Path.GetTempPath() });
        return services.BuildServiceProvider().CreateScope().ServiceProvider.GetRequiredService<EngagementDbContext>();
    }

    private static async Task FourAtOnceAsync(DatabaseProvider provider, string connectionString)
    {
        var contexts = Enumerable.Range(0, 4).Select(_ => Context(provider, connectionString)).ToList();
        var all = (await contexts[0].Database.GetPendingMigrationsAsync()).ToList();
        var applied = await Task.WhenAll(contexts.Select(db => Task.Run(() => DatabaseSetup.MigrateAsync(db))));
        // Exactly one instance applied each migration; the others found nothing left to do.
        Assert.Equal(all, applied.SelectMany(a => a).Order());
        Assert.Single(applied, a => a.Count > 0);
        Assert.Empty(await contexts[0].Database.GetPendingMigrationsAsync());
        foreach (var db in contexts) await db.DisposeAsync();
    }

    [Fact]
    public async Task Four_instances_migrating_an_empty_postgres_database_at_once_do_not_collide()
    {
        var name = $"engagement_race_{Guid.NewGuid():N}";
        var connection = await PostgresServer.CreateDatabaseAsync(name);
        try
        {
            await FourAtOnceAsync(DatabaseProvider.Postgres, connection);
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(name);
        }
    }

    [Fact]
    public async Task Four_instances_migrating_an_empty_sqlite_file_at_once_do_not_collide()
    {
        var file = Path.Combine(Path.GetTempPath(), $"engagement-race-{Guid.NewGuid():N}.db");
        try
        {
            await FourAtOnceAsync(DatabaseProvider.Sqlite, $"Data Source={file}");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(file + suffix);
        }
    }
}
