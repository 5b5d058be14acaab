using Microsoft.Playwright;

namespace Engagement.BrowserTests;

/// <summary>A resident applies to attend a meeting; anyone recomputes a finished draw in their own browser; axe-core on every page.</summary>
[Collection(SiteCollection.Name)]
public sealed class MeetingTests(SiteFixture site)
{
    [Theory]
    [InlineData("zh-CN", "resident3@example.org", "同意", "错误：", "周文静")]
    [InlineData("en-US", "resident4@example.org", "accept the rules", "Error: ", "Zhou Wenjing")]
    public async Task A_resident_applies_to_the_coming_meeting_by_keyboard_and_sees_their_public_number(string locale, string resident, string consentError, string errorPrefix, string name)
    {
        var page = await site.NewPageAsync(locale);
        await site.SignInAsync(page, resident);
        await page.GotoAsync("/meetings");
        await page.AssertAccessibleAsync(site);
        await page.ClickAsync("a:has-text('第十七次常务会议')");
        await page.AssertAccessibleAsync(site);

        // With the keyboard alone. Leaving out the consent keeps what was typed, says why, and puts focus on the summary.
        async Task TypeInto(string selector, string value)
        {
            await page.FocusAsync(selector);
            await page.Keyboard.TypeAsync(value);
        }
        async Task Press(string selector, string key)
        {
            await page.FocusAsync(selector);
            await page.Keyboard.PressAsync(key);
        }
        await TypeInto("#RealName", name);
        await TypeInto("#Phone", "13912345678");
        await Press("#category-small-business", "Space");
        await Press("#connection-Works", "Space");
        await TypeInto("#Statement", "在江苏路经营社区早餐店十年，关注老小区加装电梯后的施工和停车问题。");
        await page.RunAndWaitForNavigationAsync(() => Press("#submit-application", "Enter"));
        Assert.Contains(consentError, await page.Locator("#Consent-error").TextContentAsync());
        Assert.Equal(name, await page.InputValueAsync("#RealName"));
        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.id === 'error-summary'");
        Assert.StartsWith(errorPrefix, await page.TitleAsync());
        await page.AssertAccessibleAsync(site);

        // The summary's link takes focus to the consent box; Space ticks it, Enter sends; the confirmation has focus.
        await page.Locator("#error-summary a[data-field]").First.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("Consent", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Keyboard.PressAsync("Space");
        await page.RunAndWaitForNavigationAsync(() => Press("#submit-application", "Enter"));
        await page.WaitForSelectorAsync("#mine");
        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.id === 'status-message'");
        var number = await page.Locator("#mine").TextContentAsync();
        Assert.Matches("[2-9A-HJ-NP-Z]{8}", number!);
        Assert.DoesNotContain("13912345678", await page.ContentAsync());
        await page.AssertAccessibleAsync(site);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("zh-CN", "一致", "承诺值")]
    [InlineData("en-US", "Matches", "commitment")]
    public async Task Anyone_recomputes_a_finished_draw_in_their_browser_and_a_tampered_one_is_caught_at_its_step(string locale, string match, string commitmentStep)
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
        Assert.Equal(7, await page.Locator("#check-results tr.table-success").CountAsync());
        Assert.Contains(match, await page.Locator("#check-status").TextContentAsync());
        await page.AssertAccessibleAsync(site);

        // The same page fed a JSON whose secret was swapped: the commitment step is named as the first that fails.
        await page.RouteAsync("**/api/v1/meetings/*/draw", async route =>
        {
            var response = await route.FetchAsync();
            var json = System.Text.Json.Nodes.JsonNode.Parse(await response.TextAsync())!;
            var secret = json["secret"]!.GetValue<string>();
            json["secret"] = (secret[0] == 'a' ? "b" : "a") + secret[1..];
            await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = json.ToJsonString() });
        });
        await page.ClickAsync("#run-check");
        await page.WaitForSelectorAsync("#check-status[data-result='differs']");
        Assert.Equal("commitment", await page.GetAttributeAsync("#check-status", "data-failed-part"));
        Assert.Contains(commitmentStep, await page.Locator("#check-status").TextContentAsync());
        Assert.Equal(1, await page.Locator("tr[data-part='commitment'].table-danger").CountAsync());
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

    [Fact]
    public async Task The_whole_path_apply_freeze_seed_draw_check_decline_and_opinions()
    {
        // An admin creates a meeting whose applications close at the next minute (15 to 75 seconds from now).
        var china = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        var close = new DateTime(china.Year, china.Month, china.Day, china.Hour, china.Minute, 0).AddMinutes(china.Second < 45 ? 1 : 2);
        var admin = await site.NewPageAsync("zh-CN");
        await site.SignInAsync(admin, "admin@example.org");
        await admin.GotoAsync("/staff/meetings");
        await admin.FillAsync("#Title", "区政府第十六次常务会议（专题）");
        await admin.FillAsync("#Place", "长宁区政府 第二会议室");
        await admin.FillAsync("#HeldAt", close.AddDays(1).ToString("yyyy-MM-ddTHH:mm"));
        await admin.FillAsync("#Seats", "1");
        await admin.FillAsync("#ResidentSeats", "1");
        await admin.FillAsync("#SmallBusinessSeats", "0");
        await admin.FillAsync("#ApplicationsOpenAt", close.AddMinutes(-10).ToString("yyyy-MM-ddTHH:mm"));
        await admin.FillAsync("#ApplicationsCloseAt", close.ToString("yyyy-MM-ddTHH:mm"));
        await admin.FillAsync("#PublicSource", "专题测试随机源");
        await admin.FillAsync("#PublicDrawNumber", "2026150");
        await admin.FillAsync("#PublicDrawAt", close.AddMinutes(1).ToString("yyyy-MM-ddTHH:mm"));
        await admin.Locator("input[name='TopicIds']").First.CheckAsync();
        await admin.ClickAsync("#create-meeting");
        await admin.WaitForSelectorAsync("#applications");
        var meetingId = admin.Url.Split('/').Last();
        await admin.AssertAccessibleAsync(site);

        // Two residents apply as ordinary residents.
        var applicants = new Dictionary<string, IPage>();
        foreach (var email in new[] { "resident1@example.org", "resident2@example.org" })
        {
            var page = await site.NewPageAsync("zh-CN");
            await site.SignInAsync(page, email);
            await page.GotoAsync($"/meetings/{meetingId}");
            await page.FillAsync("#RealName", email.StartsWith("resident1") ? "王建平" : "李美玲");
            await page.FillAsync("#Phone", email.StartsWith("resident1") ? "13811112222" : "13833334444");
            await page.CheckAsync("#category-resident");
            await page.CheckAsync("#connection-Lives");
            await page.CheckAsync("#Consent");
            await page.ClickAsync("#submit-application");
            await page.WaitForSelectorAsync("#mine");
            applicants[email] = page;
        }
        await applicants["resident1@example.org"].AssertAccessibleAsync(site);

        // The window closes; the list is frozen on the next look, with the server's commitment.
        var wait = new DateTimeOffset(close, TimeSpan.FromHours(8)) - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2);
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        await admin.GotoAsync($"/staff/meetings/{meetingId}");
        Assert.Matches("[0-9a-f]{64}", await admin.Locator("#meeting-state").TextContentAsync() ?? "");
        Assert.Matches("^[0-9a-f]{64}$", await admin.Locator("#staff-commitment").TextContentAsync() ?? "");
        // The announced draw takes place a minute later; its result is entered then.
        wait = new DateTimeOffset(close.AddMinutes(1), TimeSpan.FromHours(8)) - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2);
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        await admin.FillAsync("#seed", "2026150期：05 09 14 22 26 31 + 07");
        await admin.ClickAsync("#enter-seed");
        await admin.WaitForSelectorAsync("#record-opinion");

        // Anyone recomputes the draw in the browser.
        var visitor = await site.NewPageAsync("en-US");
        await visitor.GotoAsync($"/meetings/{meetingId}/check");
        await visitor.ClickAsync("#run-check");
        await visitor.WaitForSelectorAsync("#check-status[data-result]");
        Assert.Equal("match", await visitor.GetAttributeAsync("#check-status", "data-result"));

        // The selected resident declines; the seat passes to the other, the first on the waitlist.
        string? selected = null;
        foreach (var (email, page) in applicants)
        {
            await page.GotoAsync($"/meetings/{meetingId}");
            if (await page.Locator("#decline-seat").CountAsync() > 0) selected = email;
        }
        Assert.NotNull(selected);
        var decliner = applicants[selected!];
        await decliner.ClickAsync("#decline-seat");
        await decliner.WaitForSelectorAsync("#replacements li");
        await decliner.AssertAccessibleAsync(site);
        var other = applicants.Single(p => p.Key != selected).Value;
        await other.GotoAsync($"/meetings/{meetingId}");
        Assert.Equal(1, await other.Locator("#confirm-seat").CountAsync());
        await other.ClickAsync("#confirm-seat");
        await other.WaitForSelectorAsync("#my-standing");

        // The admin records what the representative said; it appears on the meeting and the topic's decision page.
        await admin.GotoAsync($"/staff/meetings/{meetingId}");
        await admin.FillAsync("#text", "建议在专题会议后一个月内公布落实情况。");
        await admin.SelectOptionAsync("#decisionId", new SelectOptionValue { Index = 1 });
        await admin.SelectOptionAsync("#outcome", "adopted");
        await admin.ClickAsync("#record-opinion");
        await admin.WaitForSelectorAsync("#applications");
        await visitor.GotoAsync($"/meetings/{meetingId}");
        Assert.Contains("一个月内公布", await visitor.Locator("#opinions").TextContentAsync());
        await visitor.AssertAccessibleAsync(site);
        await visitor.ClickAsync("#topics-heading + ul a");
        Assert.Contains("一个月内公布", await visitor.Locator("#representative-opinions").TextContentAsync());
        await visitor.AssertAccessibleAsync(site);

        foreach (var page in applicants.Values) await page.Context.CloseAsync();
        await admin.Context.CloseAsync();
        await visitor.Context.CloseAsync();
    }
}
