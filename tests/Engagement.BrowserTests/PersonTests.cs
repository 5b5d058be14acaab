using Microsoft.Playwright;

namespace Engagement.BrowserTests;

/// <summary>What a person does on the site, in a real browser, with the accessibility check on every page visited.</summary>
[Collection(SiteCollection.Name)]
public sealed class PersonTests(SiteFixture site)
{
    [Theory]
    [InlineData("zh-CN", "参与长宁区政府决策")]
    [InlineData("en-US", "Take part in Changning District's decisions")]
    public async Task The_home_page_speaks_the_browsers_language_and_is_accessible(string locale, string heading)
    {
        var page = await site.NewPageAsync(locale);
        await page.GotoAsync("/");
        Assert.Equal(heading, await page.Locator("h1").TextContentAsync());
        Assert.Equal(locale.StartsWith("en") ? "en" : "zh-CN", await page.Locator("html").GetAttributeAsync("lang"));
        await page.AssertAccessibleAsync(site);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_resident_signs_up_confirms_by_email_and_signs_in()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/");
        await page.ClickAsync("#register-link");
        await page.AssertAccessibleAsync(site);

        // A mistake first: the message sits beside the field and what was typed stays.
        await page.FillAsync("#Email", "xinhua.resident@example.org");
        await page.FillAsync("#DisplayName", "新华路居民");
        await page.FillAsync("#Phone", "1381234");
        await page.FillAsync("#Password", "xinhua-2026");
        await page.FillAsync("#ConfirmPassword", "xinhua-2026");
        await page.ClickAsync("#register-submit");
        Assert.Contains("11位手机号码", await page.Locator("#Phone-error").TextContentAsync());
        Assert.Equal("新华路居民", await page.InputValueAsync("#DisplayName"));
        await page.AssertAccessibleAsync(site);

        await page.FillAsync("#Phone", "13812345678");
        await page.FillAsync("#Password", "xinhua-2026");
        await page.FillAsync("#ConfirmPassword", "xinhua-2026");
        await page.ClickAsync("#register-submit");
        await page.ArriveAtAsync("**/account/check-email");
        await page.AssertAccessibleAsync(site);

        var link = await site.WaitForLinkAsync("xinhua.resident@example.org", "确认");
        await page.GotoAsync(new Uri(link).PathAndQuery);
        Assert.Contains("已确认", await page.Locator("#confirm-result").TextContentAsync());
        await page.AssertAccessibleAsync(site);

        await page.GotoAsync("/account/login");
        await page.FillAsync("#Email", "xinhua.resident@example.org");
        await page.FillAsync("#Password", "xinhua-2026");
        await page.ClickAsync("#login-submit");
        await page.ArriveAtAsync(site.BaseUrl + "/");
        await page.ClickAsync("#me-link");
        await page.ClickAsync("a[href='/profile']");
        Assert.Equal("xinhua.resident@example.org", await page.Locator("#profile-email").TextContentAsync());
        await page.AssertAccessibleAsync(site);

        await page.ClickAsync("#sign-out");
        Assert.True(await page.Locator("#sign-in-link").IsVisibleAsync());
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("zh-CN", "我的", "已签到")]
    [InlineData("en-US", "Mine", "checked in")]
    public async Task A_resident_sees_what_they_did_and_where_each_stands_on_one_page(string locale, string heading, string checkedIn)
    {
        var page = await site.NewPageAsync(locale);
        await site.SignInAsync(page, "resident3@example.org");
        await page.ClickAsync("#me-link");
        Assert.Equal(heading, await page.Locator("h1").TextContentAsync());
        Assert.Contains(checkedIn, await page.Locator("section:has(#my-registrations)").TextContentAsync());
        await page.AssertAccessibleAsync(site);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("zh-CN", "我的全部数据", "开放活动报名与签到")]
    [InlineData("en-US", "All my data", "Event registrations and check-ins")]
    public async Task A_resident_reads_everything_the_site_holds_about_them(string locale, string heading, string registrations)
    {
        var page = await site.NewPageAsync(locale);
        await site.SignInAsync(page, "resident3@example.org");
        await page.GotoAsync("/profile");
        await page.ClickAsync("#see-my-data");
        Assert.Equal(heading, await page.Locator("h1").TextContentAsync());
        // Last month's open day, where they were checked in, is there with its code.
        Assert.Contains(registrations, await page.Locator("#data-Registrations").TextContentAsync());
        Assert.True(await page.Locator("section:has(#data-Registrations) tbody tr").CountAsync() >= 1);
        await page.AssertAccessibleAsync(site);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("zh-CN", "我的工作台", "意见审核")]
    [InlineData("en-US", "My work", "Moderation")]
    public async Task A_clerk_on_a_phone_starts_from_their_work_and_reaches_each_area_through_one_menu(string locale, string heading, string moderation)
    {
        var page = await site.NewPageAsync(locale);
        await page.SetViewportSizeAsync(390, 844);
        await site.SignInAsync(page, "civil@example.org");
        // The navigation stays short on a phone: the back office is one menu, closed until opened.
        var navHeight = await page.Locator(".main-nav").First.EvaluateAsync<double>("n => n.getBoundingClientRect().height");
        Assert.True(navHeight < 200, $"the navigation is {navHeight}px tall on a phone");
        await page.ClickAsync("#staff-home-link");
        Assert.Equal(heading, await page.Locator("h1").TextContentAsync());
        await page.AssertAccessibleAsync(site);
        await page.ClickAsync(".nav-menu summary");
        await page.AssertAccessibleAsync(site);
        await page.Locator(".nav-menu a[href='/moderation']").ClickAsync();
        Assert.Contains(moderation, await page.Locator("h1").TextContentAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_password_is_explained_in_the_persons_language()
    {
        var page = await site.NewPageAsync("en-US");
        await page.GotoAsync("/account/login");
        await page.FillAsync("#Email", "resident1@example.org");
        await page.FillAsync("#Password", "not-the-password-1");
        await page.ClickAsync("#login-submit");
        Assert.Contains("wrong", await page.Locator("#login-errors").TextContentAsync());
        await page.AssertAccessibleAsync(site);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_language_switch_changes_every_page_and_is_remembered()
    {
        var page = await site.NewPageAsync("zh-CN");
        await page.GotoAsync("/account/login");
        await page.ClickAsync("#switch-language");
        await page.ArriveAtAsync("**/account/login");
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("Sign in", await page.Locator("h1").TextContentAsync());
        await page.AssertAccessibleAsync(site);

        await page.GotoAsync("/");
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        await page.ClickAsync("#switch-language");
        Assert.Equal("zh-CN", await page.Locator("html").GetAttributeAsync("lang"));
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Elder_friendly_mode_enlarges_text_and_is_remembered(string locale)
    {
        var page = await site.NewPageAsync(locale);
        await page.GotoAsync("/");
        var normal = await page.EvaluateAsync<double>("() => parseFloat(getComputedStyle(document.body).fontSize)");
        Assert.Equal("false", await page.GetAttributeAsync("#switch-elder", "aria-pressed"));

        await page.ClickAsync("#switch-elder");
        Assert.Contains("elder", await page.Locator("html").GetAttributeAsync("class") ?? "");
        var larger = await page.EvaluateAsync<double>("() => parseFloat(getComputedStyle(document.body).fontSize)");
        Assert.True(larger >= normal * 1.2, $"text grew from {normal}px only to {larger}px");
        Assert.Equal("true", await page.GetAttributeAsync("#switch-elder", "aria-pressed"));
        await page.AssertAccessibleAsync(site);

        await page.GotoAsync("/account/register");
        Assert.Contains("elder", await page.Locator("html").GetAttributeAsync("class") ?? "");
        await page.AssertAccessibleAsync(site);
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("zh-CN", "页面不存在")]
    [InlineData("en-US", "Page not found")]
    public async Task An_unknown_page_is_explained_and_accessible(string locale, string heading)
    {
        var page = await site.NewPageAsync(locale);
        var response = await page.GotoAsync("/no/such/page");
        Assert.Equal(404, response!.Status);
        Assert.Equal(heading, await page.Locator("h1").TextContentAsync());
        await page.AssertAccessibleAsync(site);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_loading_a_wrong_calendar_file_sees_which_entry_is_wrong()
    {
        var page = await site.NewPageAsync();
        await site.SignInAsync(page, "admin@example.org");

        await page.GotoAsync("/admin");
        Assert.Contains("2027", await page.Locator("#calendar-warning").TextContentAsync());
        await page.ClickAsync("#calendar-warning a");
        await page.FillAsync("#year", "2027");
        await page.SetInputFilesAsync("#file", new FilePayload
        {
            Name = "2027.json",
            MimeType = "application/json",
            Buffer = """{"year":2027,"papers":[],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true},{"name":"元旦","date":"2027-01-01","isOffDay":true}]}"""u8.ToArray(),
        });
        await page.ClickAsync("form[action='/admin/calendars'] button[type=submit]");
        var errors = await page.Locator("#upload-errors").TextContentAsync();
        Assert.Contains("days[1] (2027-01-01)", errors);
        Assert.Contains("重复", errors);
        await page.AssertAccessibleAsync(site);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_first_tab_reaches_the_skip_link_which_moves_to_the_main_content()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("skip-link", await page.EvaluateAsync<string>("() => document.activeElement.className"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Context.CloseAsync();
    }
}
