using Microsoft.Playwright;

namespace Engagement.BrowserTests;

/// <summary>
/// What is on, told to whoever wants to know: a resident chooses what to follow with the keyboard and stops it again,
/// the enterprise page, and the home page fed by every feature on a phone, in both languages and axe-clean.
/// </summary>
[Collection(SiteCollection.Name)]
public sealed class SubscriptionTests(SiteFixture site)
{
    [Theory]
    [InlineData("zh-CN", "resident1@example.org", "养老", "每周一")]
    [InlineData("en-US", "resident4@example.org", "Elder care", "Monday")]
    public async Task A_resident_follows_a_topic_and_a_street_by_keyboard_sees_it_on_the_profile_and_stops_it(string locale, string resident, string topic, string weekly)
    {
        var page = await site.NewPageAsync(locale);
        await site.SignInAsync(page, resident);
        await page.GotoAsync("/profile");
        await page.Locator("#subscriptions-link").FocusAsync();
        await page.RunAndWaitForNavigationAsync(() => page.Keyboard.PressAsync("Enter"));
        await page.AssertAccessibleAsync(site);

        await page.FocusAsync("#topic-elder-care");
        await page.Keyboard.PressAsync("Space");
        await page.Locator("input[name='streets']").First.FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await page.FocusAsync("#delivery-weekly");
        await page.Keyboard.PressAsync("Space");
        await page.FocusAsync("#save-subscriptions");
        await page.RunAndWaitForNavigationAsync(() => page.Keyboard.PressAsync("Enter"));
        // The confirmation is where focus lands, so it is read out.
        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.id === 'status-message'");
        Assert.Contains("2", await page.Locator("#status-message").TextContentAsync());
        Assert.True(await page.IsCheckedAsync("#topic-elder-care"));
        Assert.True(await page.IsCheckedAsync("#delivery-weekly"));

        await page.GotoAsync("/profile");
        var summary = await page.Locator("#subscriptions-summary").TextContentAsync();
        Assert.Contains(topic, summary);
        Assert.Contains(weekly, summary);
        await page.AssertAccessibleAsync(site);

        // Stopping: untick everything and save.
        await page.GotoAsync("/profile/subscriptions");
        await page.UncheckAsync("#topic-elder-care");
        await page.Locator("input[name='streets']").First.UncheckAsync();
        await page.RunAndWaitForNavigationAsync(() => page.ClickAsync("#save-subscriptions"));
        await page.GotoAsync("/me");
        Assert.DoesNotContain(topic, await page.Locator("#subscriptions-summary").TextContentAsync());
        await page.AssertAccessibleAsync(site);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("zh-CN", "企业专属页")]
    [InlineData("en-US", "For enterprises")]
    public async Task The_enterprise_page_is_reached_from_every_page_and_lists_enterprise_matters(string locale, string heading)
    {
        var page = await site.NewPageAsync(locale);
        await page.GotoAsync("/");
        await page.RunAndWaitForNavigationAsync(() => page.ClickAsync("footer a[href='/enterprise']"));
        Assert.Equal(heading, await page.Locator("h1").TextContentAsync());
        Assert.Contains("临空", await page.Locator("main").TextContentAsync());
        await page.AssertAccessibleAsync(site);
        await page.GotoAsync("/feeds");
        await page.AssertAccessibleAsync(site);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task The_home_page_on_a_phone_shows_something_open_from_every_feature_and_fits_the_screen(string locale)
    {
        var page = await site.NewPageAsync(locale);
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/");
        foreach (var kind in new[] { "Consultation", "Meeting", "Event", "LiveSession" })
        {
            var section = page.Locator($"section:has(#open-{kind})");
            Assert.Equal(0, await section.Locator(".empty-state").CountAsync());
            Assert.True(await section.Locator("a").CountAsync() > 0, $"nothing open for {kind} on the home page");
        }
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390);
        await page.AssertAccessibleAsync(site);

        // Wide tables (events, statistics, staff queues) become cards labelled by their columns, and still read as tables.
        foreach (var url in new[] { "/events", "/statistics", "/feeds" })
        {
            await page.GotoAsync(url);
            var table = page.Locator("main table.stack-on-phone").First;
            Assert.Equal("block", await table.Locator("tbody tr").First.EvaluateAsync<string>("tr => getComputedStyle(tr).display"));
            Assert.Equal("table", await table.GetAttributeAsync("role"));
            Assert.True(await table.Locator("td[data-label]").CountAsync() > 0, $"{url}: cells carry no column label");
            Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, $"{url} is wider than the phone");
            await page.AssertAccessibleAsync(site);
        }

        // The projector speaks the site's font, not a serif fallback.
        await page.GotoAsync("/live/DEMO26/projector");
        var font = await page.EvaluateAsync<string>("() => getComputedStyle(document.body).fontFamily");
        Assert.StartsWith("system-ui", font);
        await page.Context.CloseAsync();
    }
}
