using Microsoft.Playwright;

namespace Engagement.BrowserTests;

/// <summary>A resident applies to attend a meeting; anyone recomputes a finished draw in their own browser; axe-core on every page.</summary>
[Collection(SiteCollection.Name)]
public sealed class MeetingTests(SiteFixture site)
{
    [Fact]
    public async Task A_resident_applies_to_the_coming_meeting_and_sees_their_public_number()
    {
        var page = await site.NewPageAsync("zh-CN");
        await site.SignInAsync(page, "resident3@example.org");
        await page.GotoAsync("/meetings");
        await page.AssertAccessibleAsync(site);
        await page.ClickAsync("a:has-text('第十七次常务会议')");
        await page.AssertAccessibleAsync(site);

        // Leaving out the consent keeps what was typed and says why.
        await page.FillAsync("#RealName", "周文静");
        await page.FillAsync("#Phone", "13912345678");
        await page.CheckAsync("#category-small-business");
        await page.CheckAsync("#connection-Works");
        await page.FillAsync("#Statement", "在江苏路经营社区早餐店十年，关注老小区加装电梯后的施工和停车问题。");
        await page.ClickAsync("#submit-application");
        Assert.Contains("同意", await page.Locator("#Consent-error").TextContentAsync());
        Assert.Equal("周文静", await page.InputValueAsync("#RealName"));
        await page.AssertAccessibleAsync(site);

        await page.CheckAsync("#Consent");
        await page.ClickAsync("#submit-application");
        await page.WaitForSelectorAsync("#mine");
        var number = await page.Locator("#mine").TextContentAsync();
        Assert.Matches("[2-9A-HJ-NP-Z]{8}", number!);
        Assert.DoesNotContain("13912345678", await page.ContentAsync());
        await page.AssertAccessibleAsync(site);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("zh-CN", "一致")]
    [InlineData("en-US", "Matches")]
    public async Task Anyone_recomputes_a_finished_draw_in_their_browser(string locale, string match)
    {
        var page = await site.NewPageAsync(locale);
        await page.GotoAsync("/meetings");
        await page.ClickAsync("a:has-text('第十五次常务会议')");
        await page.WaitForSelectorAsync("#draw-result");
        Assert.True(await page.Locator("#draw-result tbody tr").CountAsync() >= 30);
        Assert.True(await page.Locator("#replacements li").CountAsync() >= 1);
        await page.AssertAccessibleAsync(site);

        await page.ClickAsync("#check-link");
        await page.ClickAsync("#run-check");
        await page.WaitForSelectorAsync("#check-status[data-result]");
        Assert.Equal("match", await page.GetAttributeAsync("#check-status", "data-result"));
        Assert.Equal(4, await page.Locator("#check-results tr.table-success").CountAsync());
        Assert.Contains(match, await page.Locator("#check-status").TextContentAsync());
        await page.AssertAccessibleAsync(site);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Staff_pages_for_meetings_are_accessible()
    {
        var page = await site.NewPageAsync("en-US");
        await site.SignInAsync(page, "admin@example.org");
        await page.GotoAsync("/staff/meetings");
        await page.AssertAccessibleAsync(site);
        await page.ClickAsync("#staff-meetings a:has-text('第十五次常务会议')");
        await page.WaitForSelectorAsync("#applications");
        await page.AssertAccessibleAsync(site);
        await page.Context.CloseAsync();
    }
}
