using Microsoft.Playwright;

namespace Engagement.BrowserTests;

/// <summary>A resident signs up for an open day and cancels; staff check a resident in at the door; axe-core on every page.</summary>
[Collection(SiteCollection.Name)]
public sealed class EventTests(SiteFixture site)
{
    [Theory]
    [InlineData("zh-CN", "resident1@example.org")]
    [InlineData("en-US", "resident2@example.org")]
    public async Task A_resident_registers_for_an_open_day_sees_the_check_in_code_and_cancels(string locale, string resident)
    {
        var page = await site.NewPageAsync(locale);
        await site.SignInAsync(page, resident);
        await page.GotoAsync("/events");
        await page.AssertAccessibleAsync(site);
        await page.ClickAsync("a:has-text('城运中心周末开放日')");
        await page.AssertAccessibleAsync(site);
        await page.SelectOptionAsync("#companions", "1");
        await page.ClickAsync("#register");
        await page.WaitForSelectorAsync("#check-in-qr");
        Assert.Matches("[2-9A-HJ-NP-Z]{10}", await page.Locator("#my-registration").TextContentAsync() ?? "");
        await page.AssertAccessibleAsync(site);
        // Cancelling asks first: "no" keeps the place, "yes" gives it back.
        string? asked = null;
        void Dismiss(object? _, IDialog dialog) { asked = dialog.Message; _ = dialog.DismissAsync(); }
        page.Dialog += Dismiss;
        await page.ClickAsync("#cancel-registration");
        Assert.Contains(locale.StartsWith("en") ? "next person waiting" : "候补", asked);
        Assert.True(await page.Locator("#check-in-qr").IsVisibleAsync());
        page.Dialog -= Dismiss;
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await page.ClickAsync("#cancel-registration");
        await page.WaitForSelectorAsync("#register");
        await page.AssertAccessibleAsync(site);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Staff_check_a_resident_in_at_the_door()
    {
        var resident = await site.NewPageAsync("zh-CN");
        await site.SignInAsync(resident, "resident3@example.org");
        await resident.GotoAsync("/events");
        await resident.ClickAsync("a:has-text('城运中心周末开放日')");
        await resident.ClickAsync("#register");
        await resident.WaitForSelectorAsync("#check-in-qr");
        var text = await resident.Locator("#my-registration").TextContentAsync() ?? "";
        var code = System.Text.RegularExpressions.Regex.Match(text, "[2-9A-HJ-NP-Z]{10}").Value;
        var eventUrl = resident.Url.Split('#')[0];

        var staff = await site.NewPageAsync("zh-CN");
        await site.SignInAsync(staff, "admin@example.org");
        await staff.GotoAsync("/staff/events");
        await staff.AssertAccessibleAsync(site);
        await staff.GotoAsync(eventUrl.Replace("/events/", "/staff/events/") + "/check-in");
        await staff.AssertAccessibleAsync(site);
        // The QR code on the resident's phone, read by the page's scanner (the frame a camera would give).
        var qr = Convert.ToBase64String(await resident.Locator("#check-in-qr").ScreenshotAsync());
        var read = await staff.EvaluateAsync<string?>(@"async (png) => {
            const image = new Image();
            image.src = 'data:image/png;base64,' + png;
            await image.decode();
            return window.engagementCheckInDecode(image, image.naturalWidth, image.naturalHeight);
        }", qr);
        Assert.Equal(code, read);
        await staff.WaitForSelectorAsync("#check-in-result");
        Assert.Contains("签到成功", await staff.Locator("#check-in-result").TextContentAsync());
        await staff.AssertAccessibleAsync(site);
        await staff.FillAsync("#code", code);
        await staff.ClickAsync("#check-in");
        await staff.WaitForSelectorAsync("#check-in-result.alert-danger");
        await resident.Context.CloseAsync();
        await staff.Context.CloseAsync();
    }

    [Theory]
    [InlineData("zh-CN", "resident1@example.org")]
    [InlineData("en-US", "resident2@example.org")]
    public async Task A_resident_answers_the_questionnaire_and_sees_the_results_with_charts(string locale, string resident)
    {
        var page = await site.NewPageAsync(locale);
        await site.SignInAsync(page, resident);
        await page.GotoAsync("/events");
        // Last month's open day, which they attended: its questionnaire is open to them.
        await page.ClickAsync("a:has-text('城运中心十一月开放日')");
        await page.ClickAsync("#questionnaire-link");
        await page.AssertAccessibleAsync(site);
        // The required rating left out: the page says which question needs an answer.
        await page.ClickAsync("#submit-answers");
        await page.WaitForSelectorAsync("#answer-error");
        await page.AssertAccessibleAsync(site);
        await page.Locator("fieldset").First.Locator("input[value='5']").CheckAsync();
        await page.Locator("fieldset").Nth(1).Locator("input").First.CheckAsync();
        await page.ClickAsync("#submit-answers");
        await page.WaitForSelectorAsync("#responses");
        Assert.True(await page.EvaluateAsync<bool>("Array.from(document.querySelectorAll('canvas.result-chart')).every(c => !!Chart.getChart(c))"));
        await page.AssertAccessibleAsync(site);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_resident_proposes_a_theme_and_votes_and_the_programme_has_the_Open_Month_and_a_calendar_feed()
    {
        var page = await site.NewPageAsync("zh-CN");
        await site.SignInAsync(page, "resident3@example.org");
        await page.GotoAsync("/events/themes");
        await page.AssertAccessibleAsync(site);
        var form = page.Locator("form[action$='/proposals']").First;
        await form.Locator("textarea").FillAsync("开放区图书馆古籍修复室");
        await form.Locator("button").ClickAsync();
        var row = page.Locator("tr", new PageLocatorOptions { HasText = "古籍修复室" });
        await row.Locator("button[id^='vote-']").ClickAsync();
        await page.WaitForSelectorAsync("tr:has-text('古籍修复室') .votes");
        Assert.Equal("1", (await page.Locator("tr", new PageLocatorOptions { HasText = "古籍修复室" }).Locator(".votes").TextContentAsync())!.Trim());
        await page.AssertAccessibleAsync(site);

        await page.GotoAsync("/events?openMonth=true");
        Assert.True(await page.Locator("#programme .open-month").CountAsync() >= 3);
        await page.AssertAccessibleAsync(site);
        var feed = await page.APIRequest.GetAsync("/events/calendar.ics");
        Assert.StartsWith("BEGIN:VCALENDAR", await feed.TextAsync());
        await page.Context.CloseAsync();
    }
}
