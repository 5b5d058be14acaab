using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Engagement.BrowserTests;

/// <summary>
/// Takes the screenshots of docs/GUIDE.md (Chinese) and docs/GUIDE.en.md (English) from the real pages of the demo
/// site, as staff, hosts and admins see them, and checks that every picture the guides show is one this test takes:
/// the guide cannot drift from the product.
/// </summary>
[Collection(SiteCollection.Name)]
public sealed class GuideTests(SiteFixture site)
{
    /// <summary>(file name, account, address, what to wait for) in the order the guides use them.</summary>
    private static readonly (string Name, string Account, string Path, string Ready)[] Shots =
    [
        ("staff-home", "civil@example.org", "/staff", "#work-Comments"),
        ("staff-messages", "civil@example.org", "/staff/messages", "#queue-count"),
        ("staff-moderation", "housing@example.org", "/moderation", "#queue-count"),
        ("staff-reports", "civil@example.org", "/staff/reports", "h1"),
        ("staff-check-in", "staff@example.org", "/staff/events/1/check-in?q=%E7%8E%8B", "#search"),
        ("staff-faq", "housing@example.org", "/staff/faq?page=%2Fmessages", "#candidates"),
        ("staff-topics", "housing@example.org", "/staff/decisions", "h1"),
        ("host-console", "host@example.org", "/live/DEMO26/host", "#host-join-code"),
        ("host-projector", "host@example.org", "/live/DEMO26/projector", "main"),
        ("staff-two-factor", "civil@example.org", "/profile/two-factor", "#shared-key"),
        ("staff-sessions", "civil@example.org", "/profile#sessions", "#session-list"),
        ("admin-home", "admin@example.org", "/admin", "h1"),
        ("admin-calendars", "admin@example.org", "/admin/calendars", "h1"),
        ("admin-audit", "admin@example.org", "/admin/audit", "h1"),
        ("admin-topics", "admin@example.org", "/admin/topics", "#topic-elder-care"),
        ("resident-subscriptions", "resident3@example.org", "/profile/subscriptions", "#save-subscriptions"),
        ("public-statistics", "", "/statistics", "#months"),
    ];

    [Theory]
    [InlineData("zh-CN", "zh", "GUIDE.md")]
    [InlineData("en-US", "en", "GUIDE.en.md")]
    public async Task The_guide_shows_the_real_pages(string locale, string folder, string guide)
    {
        var output = Path.Combine(SiteFixture.RepositoryRoot, "docs", "guide", folder);
        Directory.CreateDirectory(output);
        var pages = new Dictionary<string, IPage>();
        foreach (var (name, account, path, ready) in Shots)
        {
            if (!pages.TryGetValue(account, out var page))
            {
                page = await site.NewPageAsync(locale);
                if (account.Length > 0) await site.SignInAsync(page, account);
                pages[account] = page;
            }
            await page.GotoAsync(path);
            await page.WaitForSelectorAsync(ready);
            await page.WaitForTimeoutAsync(300); // charts and live counts settle
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(output, name + ".png"), FullPage = false });
        }
        foreach (var page in pages.Values) await page.Context.CloseAsync();

        // Every picture the guide shows is one taken here, and every one taken here is in the guide.
        var text = await File.ReadAllTextAsync(Path.Combine(SiteFixture.RepositoryRoot, "docs", guide));
        var shown = Regex.Matches(text, $@"\(guide/{folder}/([a-z-]+)\.png\)").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(Shots.Select(s => s.Name).Order(), shown.Order());
    }
}
