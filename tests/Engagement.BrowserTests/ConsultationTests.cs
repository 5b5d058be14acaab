using Microsoft.Playwright;

namespace Engagement.BrowserTests;

/// <summary>The resident's and the moderator's path on a draft open for comment, in both languages, axe-core on every page.</summary>
[Collection(SiteCollection.Name)]
public sealed class ConsultationTests(SiteFixture site)
{
    [Theory]
    [InlineData("zh-CN", "resident1@example.org", "待审核", "139****8888")]
    [InlineData("en-US", "resident2@example.org", "Waiting for review", "139****8888")]
    public async Task A_resident_comments_on_a_paragraph_a_moderator_approves_and_the_public_sees_it_masked(
        string locale, string resident, string pendingLabel, string masked)
    {
        var marker = $"按楼层细化（{locale}）";
        var text = $"第五条的补贴建议{marker}。联系电话13912348888。";

        var page = await site.NewPageAsync(locale);
        await site.SignInAsync(page, resident);
        await page.GotoAsync("/decisions");
        await page.AssertAccessibleAsync(site);
        await page.ClickAsync("a:has-text('加装电梯')");
        await page.AssertAccessibleAsync(site);

        // Comment on paragraph 5 from the paragraph's own link.
        await page.ClickAsync(".comment-on[data-paragraph='5']");
        Assert.Equal("5", await page.InputValueAsync("#Paragraph"));
        await page.FillAsync("#Text", text);
        await page.ClickAsync("#comment-submit");
        await page.WaitForSelectorAsync("#mine");
        var mine = page.Locator("#mine .comment").Filter(new LocatorFilterOptions { HasText = marker });
        Assert.Contains(pendingLabel, await mine.Locator(".comment-status").TextContentAsync());
        await page.AssertAccessibleAsync(site);
        var decisionUrl = page.Url.Split('#')[0];

        // The public does not see it yet.
        var visitor = await site.NewPageAsync(locale);
        await visitor.GotoAsync(decisionUrl);
        Assert.Equal(0, await visitor.Locator("#comments .comment", new PageLocatorOptions { HasText = marker }).CountAsync());

        // The drafting unit's moderator approves it from the queue.
        var moderator = await site.NewPageAsync(locale);
        await site.SignInAsync(moderator, "housing@example.org");
        await moderator.GotoAsync("/moderation");
        await moderator.AssertAccessibleAsync(site);
        var item = moderator.Locator(".queue-item", new PageLocatorOptions { HasText = marker });
        Assert.Contains(masked, await item.Locator("textarea").InputValueAsync());
        await item.Locator("button[id^='approve-']").ClickAsync();
        await moderator.ArriveAtAsync("**/moderation");
        Assert.Equal(0, await moderator.Locator(".queue-item", new PageLocatorOptions { HasText = marker }).CountAsync());
        await moderator.AssertAccessibleAsync(site);

        await visitor.GotoAsync(decisionUrl);
        var published = visitor.Locator("#comments .comment", new PageLocatorOptions { HasText = marker });
        Assert.Contains(masked, await published.TextContentAsync());
        Assert.DoesNotContain("13912348888", await visitor.ContentAsync());
        await visitor.AssertAccessibleAsync(site);

        await page.Context.CloseAsync();
        await visitor.Context.CloseAsync();
        await moderator.Context.CloseAsync();
    }

    [Fact]
    public async Task A_closed_consultation_says_when_it_closed()
    {
        var page = await site.NewPageAsync("zh-CN");
        await site.SignInAsync(page, "resident3@example.org");
        await page.GotoAsync("/decisions?status=closed");
        await page.ClickAsync("a:has-text('嵌入式养老')");
        Assert.Contains("结束", await page.Locator("#consultation-closed").TextContentAsync());
        Assert.Equal(0, await page.Locator("#comment-submit").CountAsync());
        await page.AssertAccessibleAsync(site);
        await page.Context.CloseAsync();
    }
}
