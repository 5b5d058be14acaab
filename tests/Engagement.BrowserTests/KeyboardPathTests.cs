using Microsoft.Playwright;

namespace Engagement.BrowserTests;

/// <summary>
/// Residents' paths with the keyboard alone, checking where focus is after every step: comment on a paragraph, leave
/// a message, register for an event. A confirmation after a redirect has focus (so it is seen and read out), and a
/// link into a page takes focus with it.
/// </summary>
[Collection(SiteCollection.Name)]
public sealed class KeyboardPathTests(SiteFixture site)
{
    private static Task<string> FocusedAsync(IPage page) =>
        page.EvaluateAsync<string>("() => { const e = document.activeElement; return e ? (e.id || e.tagName.toLowerCase()) : ''; }");

    private static async Task SendAsync(IPage page, string selector)
    {
        await page.FocusAsync(selector);
        await page.RunAndWaitForNavigationAsync(() => page.Keyboard.PressAsync("Enter"), new PageRunAndWaitForNavigationOptions { WaitUntil = WaitUntilState.Load });
    }

    [Theory]
    [InlineData("zh-CN", "resident1@example.org")]
    [InlineData("en-US", "resident2@example.org")]
    public async Task Comment_on_a_paragraph_leave_a_message_and_register_for_an_event_with_the_keyboard(string locale, string resident)
    {
        var page = await site.NewPageAsync(locale);
        await site.SignInAsync(page, resident);

        // A paragraph's "comment on this" link takes focus to the comment form, which the next Tab enters.
        await page.GotoAsync("/decisions");
        await page.ClickAsync("a:has-text('加装电梯')");
        await SendAsync(page, ".comment-on[data-paragraph='3']");
        Assert.Equal("comment-form", await FocusedAsync(page));
        Assert.Equal("3", await page.InputValueAsync("#Paragraph"));
        await page.FocusAsync("#Text");
        await page.Keyboard.TypeAsync("建议在小区公告栏公示加装电梯的费用分摊方案。");
        await SendAsync(page, "#comment-submit");
        await page.WaitForSelectorAsync("#status-message");
        Assert.Equal("status-message", await FocusedAsync(page));
        await page.AssertAccessibleAsync(site);

        // A message: sent, and the confirmation has focus on the page it lands on.
        await page.GotoAsync("/messages");
        await page.FocusAsync("#Text");
        await page.Keyboard.TypeAsync("请问长宁区开放日活动是否可以带老人一起参加？");
        await SendAsync(page, "#message-submit");
        await page.WaitForSelectorAsync("#status-message");
        Assert.Equal("status-message", await FocusedAsync(page));
        await page.AssertAccessibleAsync(site);

        // An event: registered, the confirmation has focus; cancelled again so other walks find the seat.
        await page.GotoAsync("/events");
        await page.ClickAsync("a:has-text('城运中心周末开放日')");
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        if (await page.Locator("#cancel-registration").CountAsync() > 0)
        {
            await SendAsync(page, "#cancel-registration");
            await page.WaitForSelectorAsync("#register");
        }
        await SendAsync(page, "#register");
        await page.WaitForSelectorAsync("#status-message");
        Assert.Equal("status-message", await FocusedAsync(page));
        await page.AssertAccessibleAsync(site);
        await SendAsync(page, "#cancel-registration");
        await page.WaitForSelectorAsync("#register");
        await page.Context.CloseAsync();
    }
}
