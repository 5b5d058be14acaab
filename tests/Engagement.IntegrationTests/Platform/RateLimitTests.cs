using System.Net;
using System.Net.Http.Json;
using Engagement.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Engagement.IntegrationTests.Platform;

public sealed class RateLimitedFactory : SqliteFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimiting:Enabled", "true");
        builder.UseSetting("RateLimiting:AuthPermitsPerMinute", "3");
    }
}

public sealed class RateLimitTests(RateLimitedFactory factory) : IClassFixture<RateLimitedFactory>
{
    [Fact]
    public async Task Sign_in_attempts_beyond_the_limit_are_refused_with_429()
    {
        var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "nobody@example.org", password = "whatever-1" })).StatusCode);
        }
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized,
            HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);

        // Pages get a page that says what happened.
        var browser = factory.CreateBrowser();
        var page = await browser.GetPageAsync("/account/login");
        var refused = await browser.SubmitAsync(page, "/account/login", new Dictionary<string, string> { ["Email"] = "nobody@example.org", ["Password"] = "whatever-1" });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("操作过于频繁", (await refused.ParseAsync()).QuerySelector("h1")!.TextContent);

        // Reading pages is not limited.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
    }
}

/// <summary>Comments limited to 2 a minute per account; sign-in not limited, so tokens can be had.</summary>
public sealed class CommentRateLimitedFactory : SqliteFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimiting:Enabled", "true");
        builder.UseSetting("RateLimiting:AuthPermitsPerMinute", "100");
        builder.UseSetting("RateLimiting:CommentsPerMinute", "2");
    }
}

public sealed class CommentRateLimitTests(CommentRateLimitedFactory factory) : IClassFixture<CommentRateLimitedFactory>
{
    [Fact]
    public async Task Comment_posting_is_limited_per_account()
    {
        var id = await factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Set<Engagement.Web.Features.Consultation.Decision>().Where(d => d.Title.Contains("加装电梯")).Select(d => d.Id)));
        var token = await factory.CreateClient().TokenAsync("resident1@example.org");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            statuses.Add((await client.PostAsJsonAsync($"/api/v1/decisions/{id}/comments", new { text = $"限流测试意见{i}" })).StatusCode);
        }
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses);
        // Another account is not held back by the first.
        var other = await factory.CreateClient().AsAsync("resident2@example.org");
        Assert.Equal(HttpStatusCode.Created, (await other.PostAsJsonAsync($"/api/v1/decisions/{id}/comments", new { text = "另一位居民的意见" })).StatusCode);
    }
}
