using Microsoft.Playwright;

namespace Engagement.BrowserTests;

/// <summary>Every page reachable from the home page passes the accessibility check, in both languages, signed out and as an admin.</summary>
[Collection(SiteCollection.Name)]
public sealed class CrawlTests(SiteFixture site)
{
    [Theory]
    [InlineData("zh-CN", null, 6)]
    [InlineData("en-US", null, 6)]
    [InlineData("zh-CN", "admin@example.org", 8)]
    [InlineData("en-US", "admin@example.org", 8)]
    [InlineData("zh-CN", "resident2@example.org", 3)]
    public async Task Every_page_reachable_from_home_is_accessible(string locale, string? account, int atLeast)
    {
        var page = await site.NewPageAsync(locale);
        if (account is not null)
        {
            await site.SignInAsync(page, account);
        }

        var seen = new HashSet<string>();
        var queue = new Queue<string>(["/"]);
        while (queue.Count > 0 && seen.Count < 40)
        {
            var path = queue.Dequeue();
            if (!seen.Add(path)) continue;
            var response = await page.GotoAsync(path);
            Assert.True(response is { Ok: true }, $"{path} answered {response?.Status}");
            await page.AssertAccessibleAsync(site);

            var links = await page.EvalOnSelectorAllAsync<string[]>("a[href]", "els => els.map(e => e.getAttribute('href'))");
            foreach (var href in links)
            {
                if (href is null || !href.StartsWith('/') || href.StartsWith("//")) continue;
                // Machine-readable documents, not pages.
                if (href.StartsWith("/openapi") || href.StartsWith("/api/") || href.StartsWith("/profile/download")) continue;
                var target = href.Split('#')[0];
                if (Path.GetExtension(target.Split('?')[0]) is ".csv" or ".json" or ".pdf" or ".ics" or ".svg") continue;
                if (!seen.Contains(target)) queue.Enqueue(target);
            }
        }
        Assert.True(seen.Count >= atLeast, $"only {seen.Count} pages reached: {string.Join(", ", seen)}");
        await page.Context.CloseAsync();
    }
}
