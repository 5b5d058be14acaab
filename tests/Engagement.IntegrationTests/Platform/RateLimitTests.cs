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
