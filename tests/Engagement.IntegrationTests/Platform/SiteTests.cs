using System.Net;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Platform.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.IntegrationTests.Platform;

public abstract class SiteTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    [Fact]
    public async Task Chinese_is_the_default_language()
    {
        var page = await factory.CreateBrowser().GetPageAsync("/");
        Assert.Equal("zh-CN", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("参与长宁区政府决策", page.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task English_when_the_browser_asks_for_it()
    {
        var page = await factory.CreateBrowser("en-GB,en;q=0.9").GetPageAsync("/");
        Assert.Equal("en", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Take part in Changning District's decisions", page.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task The_language_switch_is_remembered_over_the_browser_setting()
    {
        var browser = factory.CreateBrowser("en");
        var page = await browser.GetPageAsync("/account/login");
        var response = await browser.SubmitAsync(page, "/preferences/language", button: "culture=zh-CN");
        Assert.Equal("/account/login", response.Headers.Location?.OriginalString);

        var again = await browser.GetPageAsync("/account/login");
        Assert.Equal("zh-CN", again.DocumentElement.GetAttribute("lang"));
        Assert.Equal("English", again.QuerySelector("#switch-language")!.TextContent.Trim());
    }

    [Fact]
    public async Task The_elder_friendly_switch_is_remembered()
    {
        var browser = factory.CreateBrowser();
        var page = await browser.GetPageAsync("/");
        Assert.Equal("false", page.QuerySelector("#switch-elder")!.GetAttribute("aria-pressed"));
        await browser.SubmitAsync(page, "/preferences/elder");

        var again = await browser.GetPageAsync("/");
        Assert.Contains("elder", again.DocumentElement.ClassList);
        Assert.Equal("true", again.QuerySelector("#switch-elder")!.GetAttribute("aria-pressed"));

        await browser.SubmitAsync(again, "/preferences/elder");
        Assert.DoesNotContain("elder", (await browser.GetPageAsync("/")).DocumentElement.ClassList);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("en")]
    public async Task Home_page_lists_what_every_feature_has_open_in_the_demo(string? language)
    {
        // What is open now, asked of each feature's own data by its own rule (not through the home page's sources).
        var now = factory.Clock.GetUtcNow();
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Engagement.Web.Platform.Data.EngagementDbContext>();
        var open = new Dictionary<string, List<string>>
        {
            ["Consultation"] = (await db.Set<Engagement.Web.Features.Consultation.Decision>().ToListAsync()).Where(d => d.IsOpenForComment(now)).Select(d => $"/decisions/{d.Id}").ToList(),
            ["Meeting"] = (await db.Set<Engagement.Web.Features.Meetings.Meeting>().ToListAsync()).Where(m => m.IsTakingApplications(now)).Select(m => $"/meetings/{m.Id}").ToList(),
            ["Event"] = (await db.Set<Engagement.Web.Features.OpenMonth.OpenEvent>().ToListAsync()).Where(e => e.RegistrationOpensAt <= now && now < e.RegistrationClosesAt).Select(e => $"/events/{e.Id}").ToList(),
            ["LiveSession"] = await db.Set<Engagement.Web.Features.Live.LiveSession>().Where(s => s.Status == Engagement.Web.Features.Live.LiveSessionStatus.Open).Select(s => "/live/" + s.JoinCode).ToListAsync(),
        };
        var page = await factory.CreateBrowser(language).GetPageAsync("/");
        foreach (var (kind, urls) in open)
        {
            // The demo has something open in every feature, so a missing source cannot hide behind an empty state.
            Assert.True(urls.Count > 0, $"the demo has nothing open for {kind}");
            var section = page.QuerySelector($"#open-{kind}")!.ParentElement!;
            Assert.Null(section.QuerySelector(".empty-state"));
            var links = section.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ToList();
            foreach (var url in urls) Assert.Contains(url, links);
        }
    }

    [Fact]
    public async Task Home_page_shows_today_on_the_working_day_calendar()
    {
        var page = await factory.CreateBrowser().GetPageAsync("/");
        // The fake clock is Monday 23 November 2026, an ordinary working day.
        Assert.Contains("2026年11月23日", page.QuerySelector("#today-status")!.TextContent);
        Assert.Contains("工作日", page.QuerySelector("#today-status")!.TextContent);
    }

    [Theory]
    [InlineData(null, "页面不存在")]
    [InlineData("en", "Page not found")]
    public async Task An_unknown_page_is_a_localized_404(string? language, string heading)
    {
        var page = await factory.CreateBrowser(language).GetPageAsync("/no/such/page", HttpStatusCode.NotFound);
        Assert.Equal(heading, page.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task An_unknown_api_path_is_problem_json()
    {
        var response = await factory.CreateClient().GetAsync("/api/v1/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers()
    {
        var response = await factory.CreateBrowser().GetAsync("/");
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task Cookies_are_http_only_secure_and_same_site()
    {
        var browser = factory.CreateBrowser();
        var page = await browser.GetAsync("/account/login");
        var login = await browser.SubmitAsync(await page.ParseAsync(), "/account/login",
            new Dictionary<string, string> { ["Email"] = "resident2@example.org", ["Password"] = EngagementFactory.Password });
        var cookies = login.Headers.GetValues("Set-Cookie").Concat(page.Headers.GetValues("Set-Cookie")).ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, c =>
        {
            Assert.Contains("httponly", c.ToLowerInvariant());
            Assert.Contains("secure", c.ToLowerInvariant());
            Assert.Contains("samesite", c.ToLowerInvariant());
        });
    }

    [Fact]
    public async Task Health_reports_the_database()
    {
        var response = await factory.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_openapi_document_lists_every_api_endpoint_and_nothing_else()
    {
        var document = await (await factory.CreateClient().GetAsync("/openapi/v1.json")).JsonAsync();
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/working-days/deadline", paths);
        Assert.Contains("/api/v1/working-days/calendars/{year}", paths);
        Assert.Contains("/api/v1/auth/login", paths);
        Assert.All(paths, p => Assert.StartsWith("/api/", p));

        // Every API route the app maps is in the document.
        var mapped = factory.Services.GetServices<Microsoft.AspNetCore.Routing.EndpointDataSource>()
            .SelectMany(s => s.Endpoints).OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => p.StartsWith("/api/"))
            .Select(p => System.Text.RegularExpressions.Regex.Replace(p, @"\{(\w+)(:[^}]*)?\}", "{$1}").TrimEnd('/'))
            .Distinct().ToList();
        Assert.NotEmpty(mapped);
        Assert.All(mapped, p => Assert.Contains(p, paths));
    }

    [Fact]
    public async Task Audit_records_cannot_be_edited_or_deleted_through_the_application()
    {
        await factory.WithDbAsync(async db =>
        {
            db.AuditEntries.Add(new AuditEntry { At = EngagementFactory.Now, Actor = "test", Action = "test.append", EntityType = "Test", EntityId = "1" });
            await db.SaveChangesAsync();
            return 0;
        });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => factory.WithDbAsync(async db =>
        {
            var entry = await db.AuditEntries.FirstAsync(a => a.Action == "test.append");
            entry.Action = "test.changed";
            return await db.SaveChangesAsync();
        }));
        Assert.Contains("append-only", error.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => factory.WithDbAsync(async db =>
        {
            db.AuditEntries.Remove(await db.AuditEntries.FirstAsync(a => a.Action == "test.append"));
            return await db.SaveChangesAsync();
        }));
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "test.append")));
    }
}

public sealed class SiteTests_Sqlite(SqliteFactory factory) : SiteTests<SqliteFactory>(factory);
public sealed class SiteTests_Postgres(PostgresFactory factory) : SiteTests<PostgresFactory>(factory);
