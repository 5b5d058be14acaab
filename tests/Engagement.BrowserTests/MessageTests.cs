using Microsoft.Playwright;

namespace Engagement.BrowserTests;

/// <summary>
/// A resident leaves a message on the elevator draft; the housing bureau's staff triage, reply, publish and add it to
/// the page's FAQ; the public sees the four fields and the FAQ; the statistics page charts the figures. axe-core on
/// every page, in Chinese and in English.
/// </summary>
[Collection(SiteCollection.Name)]
public sealed class MessageTests(SiteFixture site)
{
    [Theory]
    [InlineData("zh-CN", "已答复")]
    [InlineData("en-US", "Replied")]
    public async Task The_office_finds_a_general_board_message_on_its_work_page_and_answers_it_in_one_step(string locale, string replied)
    {
        var question = $"社区食堂周末开不开？（{Guid.NewGuid().ToString("N")[..6]}）";
        var resident = await site.NewPageAsync("zh-CN");
        await site.SignInAsync(resident, "resident2@example.org");
        await resident.GotoAsync("/messages");
        await resident.FillAsync("#Text", question);
        await resident.ClickAsync("#message-submit");
        await resident.ArriveAtAsync("**/messages/mine");

        var office = await site.NewPageAsync(locale);
        await site.SignInAsync(office, "staff@example.org");
        await office.ClickAsync("#staff-home-link");
        await office.AssertAccessibleAsync(site);
        await office.ClickAsync($"#work-Messages ~ ol a:has-text('{question[..8]}')");
        await office.WaitForSelectorAsync("#triage-reply");
        await office.AssertAccessibleAsync(site);
        await office.FillAsync("#triage-reply", "您好，社区食堂周末照常开放，时间为11:00至13:00。");
        await office.ClickAsync("#triage-submit");
        await office.Locator("#message-status", new PageLocatorOptions { HasText = replied }).WaitForAsync();
        await office.AssertAccessibleAsync(site);
        await resident.Context.CloseAsync();
        await office.Context.CloseAsync();
    }

    [Fact]
    public async Task A_message_on_a_draft_is_answered_published_and_gathered_into_the_faq_of_the_same_page()
    {
        var question = $"加装电梯后一楼住户有没有补偿？我的手机 13900001111。（{Guid.NewGuid().ToString("N")[..6]}）";
        var resident = await site.NewPageAsync("zh-CN");
        await site.SignInAsync(resident, "resident3@example.org");
        await resident.GotoAsync("/decisions");
        await resident.ClickAsync("a:has-text('加装电梯')");
        await resident.WaitForSelectorAsync("#messages");
        var decisionUrl = resident.Url.Split('#')[0];
        await resident.FillAsync("#message-text", question);
        await resident.CheckAsync("#message-consent");
        await resident.ClickAsync("#message-submit");
        await resident.ArriveAtAsync("**/messages/mine");
        var mine = resident.Locator("li.my-message", new PageLocatorOptions { HasText = question[..10] }).First;
        Assert.Contains("正在转交", await mine.TextContentAsync());
        await resident.AssertAccessibleAsync(site);

        // The housing bureau's staff, in English: the queue, the message, triage, reply, publish, FAQ.
        var staff = await site.NewPageAsync("en-US");
        await site.SignInAsync(staff, "housing@example.org");
        await staff.GotoAsync("/staff/messages");
        await staff.AssertAccessibleAsync(site);
        await staff.ClickAsync($"#message-queue a:has-text('{question[..10]}')");
        await staff.WaitForSelectorAsync("#triage");
        Assert.Contains("13900001111", await staff.Locator("#message-original").TextContentAsync());
        await staff.AssertAccessibleAsync(site);
        await staff.CheckAsync("#kind-PolicyQuestion");
        await staff.CheckAsync("#simple");
        await staff.ClickAsync("#triage-submit");
        await staff.WaitForSelectorAsync("#reply-text");
        const string reply = "根据草案第九条，一楼住户的合理补偿由加装电梯的业主协商确定，街道可组织调解。";
        await staff.FillAsync("#reply-text", reply);
        await staff.ClickAsync("#reply-submit");
        await staff.WaitForSelectorAsync("#publish-submit");
        Assert.Contains("on time", await staff.Locator("#replied-on-time").TextContentAsync());
        await staff.AssertAccessibleAsync(site);
        await staff.ClickAsync("#publish-submit");
        await staff.WaitForSelectorAsync("#published-at");
        await staff.FillAsync("#faq-question", "加装电梯后一楼住户有没有补偿？");
        await staff.ClickAsync("#faq-submit");
        await staff.WaitForSelectorAsync("#in-faq");
        await staff.AssertAccessibleAsync(site);
        await staff.ClickAsync("#in-faq a");
        await staff.WaitForSelectorAsync("#candidates");
        await staff.AssertAccessibleAsync(site);
        await staff.Context.CloseAsync();

        foreach (var locale in new[] { "zh-CN", "en-US" })
        {
            var visitor = await site.NewPageAsync(locale);
            await visitor.GotoAsync(decisionUrl);
            var published = visitor.Locator("article.published-message", new PageLocatorOptions { HasText = "139****1111" }).First;
            Assert.Equal(reply, (await published.Locator(".reply-text").TextContentAsync())!.Trim());
            Assert.False(string.IsNullOrWhiteSpace(await published.Locator(".message-time").TextContentAsync()));
            Assert.False(string.IsNullOrWhiteSpace(await published.Locator(".reply-time").TextContentAsync()));
            Assert.False(string.IsNullOrWhiteSpace(await published.Locator(".replying-unit").TextContentAsync()));
            Assert.DoesNotContain("13900001111", await visitor.ContentAsync());
            Assert.Contains("加装电梯后一楼住户有没有补偿？", await visitor.Locator("#faq").TextContentAsync());
            await visitor.AssertAccessibleAsync(site);
            await visitor.Context.CloseAsync();
        }

        // The author is told.
        await resident.GotoAsync("/messages/mine");
        Assert.Contains(reply, await resident.Locator("li.my-message", new PageLocatorOptions { HasText = question[..10] }).First.TextContentAsync());
        await resident.Context.CloseAsync();
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task The_statistics_page_charts_the_figures_beside_their_tables_and_filters_by_unit(string locale)
    {
        var page = await site.NewPageAsync(locale);
        await page.GotoAsync("/statistics");
        await page.WaitForSelectorAsync("#months");
        Assert.True(await page.EvaluateAsync<bool>(
            "() => typeof Chart !== 'undefined' && [...document.querySelectorAll('canvas.result-chart')].every(c => !!Chart.getChart(c))"));
        Assert.Equal(12, await page.Locator("#months tbody tr").CountAsync());
        await page.AssertAccessibleAsync(site);
        var received = await page.Locator("[data-stat='messages.received']").GetAttributeAsync("data-value");
        await page.GotoAsync("/");
        Assert.Equal(received, await page.Locator("#figures [data-stat='messages.received']").GetAttributeAsync("data-value"));

        await page.GotoAsync("/statistics");
        var option = page.Locator("#unit option").Nth(1);
        await page.SelectOptionAsync("#unit", (await option.GetAttributeAsync("value"))!);
        await page.ClickAsync("form[action='/statistics'] button[type='submit']");
        await page.ArriveAtAsync("**/statistics");
        Assert.Contains("unit=", page.Url);
        await page.AssertAccessibleAsync(site);
        await page.ClickAsync("#scope a");
        await page.ArriveAtAsync("**/units/*");
        await page.AssertAccessibleAsync(site);
        await page.Context.CloseAsync();
    }
}
