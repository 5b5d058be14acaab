using Microsoft.Playwright;

namespace Engagement.BrowserTests;

/// <summary>
/// The drafting unit's path from the demo's decided item (the elderly-care measures, report due in two working days)
/// to a published adoption report, and the public report in both languages, axe-core on every page.
/// </summary>
[Collection(SiteCollection.Name)]
public sealed class AdoptionTests(SiteFixture site)
{
    [Fact]
    public async Task Staff_answer_the_clusters_of_the_demo_decision_publish_and_the_public_reads_the_report_in_both_languages()
    {
        // The English staff pages first: the dashboard and the review, before anything is answered.
        var english = await site.NewPageAsync("en-US");
        await site.SignInAsync(english, "civil@example.org");
        await english.GotoAsync("/staff/reports");
        await english.AssertAccessibleAsync(site);
        await english.ClickAsync("#report-deadlines a:has-text('嵌入式养老')");
        await english.WaitForSelectorAsync("article.review-cluster");
        // The clerk's move of the 饭钿 comments into the meal-price group suggests words to read as the same.
        Assert.True(await english.Locator("#equivalences li").CountAsync() > 0);
        await english.AssertAccessibleAsync(site);
        await english.Context.CloseAsync();

        var page = await site.NewPageAsync("zh-CN");
        await site.SignInAsync(page, "civil@example.org");
        await page.GotoAsync("/staff/reports");
        // The demo dates the report two working days after the day the site started; past midnight in Shanghai that is one.
        var row = await page.Locator("#report-deadlines tr", new PageLocatorOptions { HasText = "嵌入式养老" }).TextContentAsync();
        static DateOnly ChinaDay(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(TimeSpan.FromHours(8)).DateTime);
        Assert.Contains(ChinaDay(site.StartedAt) == ChinaDay(DateTimeOffset.UtcNow) ? "还剩 2 个工作日" : "个工作日", row);
        await page.AssertAccessibleAsync(site);
        await page.ClickAsync("#report-deadlines a:has-text('嵌入式养老')");
        await page.WaitForSelectorAsync("article.review-cluster");
        var reviewUrl = page.Url;
        await page.AssertAccessibleAsync(site);

        // Confirming a suggested equivalence takes it off the list (it now counts for the unit's clustering).
        var suggestions = await page.Locator("#equivalences li").CountAsync();
        Assert.True(suggestions > 0);
        var confirmed = await page.Locator("#suggestion-0 strong").TextContentAsync();
        await page.ClickAsync("#confirm-suggestion-0");
        await page.WaitForSelectorAsync("article.review-cluster");
        Assert.DoesNotContain(confirmed!, await page.Locator("#equivalences li strong").AllTextContentsAsync());
        await page.AssertAccessibleAsync(site);

        // Publishing asks first (it cannot be taken back); before the widely raised comments are answered it is refused, naming them.
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await page.ClickAsync("#publish-report");
        await page.WaitForSelectorAsync("#publish-refused");
        Assert.True(await page.Locator("#publish-refused a[href^='#cluster-']").CountAsync() > 0);
        await page.AssertAccessibleAsync(site);

        // Answer every cluster at once for all its comments.
        await page.GotoAsync(reviewUrl);
        var clusters = await page.Locator("article.review-cluster").CountAsync();
        for (var i = 0; i < clusters; i++)
        {
            var cluster = page.Locator("article.review-cluster").Nth(i);
            await cluster.Locator("select[name='outcome']").First.SelectOptionAsync("partly-adopted");
            await cluster.Locator("textarea[name='reason']").First.FillAsync("对低收入、高龄老人给予助餐补贴，其余建议在年度计划中逐步落实。");
            await cluster.Locator("button[id^='save-cluster-']").ClickAsync();
            // Saved in place, said beside the button, and the group's comments show the answer.
            await cluster.Locator(".cluster-form .save-status:has-text('已保存')").WaitForAsync();
            Assert.Equal("partly-adopted", await cluster.Locator("form.comment-outcome select[name='outcome']").First.InputValueAsync());
        }
        await page.ClickAsync("#publish-report");
        await page.ArriveAtAsync("**/report");
        await page.WaitForSelectorAsync("#outcome-table");
        Assert.Contains("按期公布", await page.Locator("#on-time").TextContentAsync());
        Assert.True(await page.EvaluateAsync<bool>("typeof Chart !== 'undefined' && !!Chart.getChart(document.getElementById('outcome-chart'))"));
        await page.AssertAccessibleAsync(site);
        var reportUrl = page.Url;
        await page.Context.CloseAsync();

        foreach (var locale in new[] { "zh-CN", "en-US" })
        {
            var visitor = await site.NewPageAsync(locale);
            await visitor.GotoAsync(reportUrl.Replace("/report", ""));
            await visitor.ClickAsync("#report-link");
            await visitor.WaitForSelectorAsync("#all-comments");
            Assert.True(await visitor.Locator("#all-comments tbody tr").CountAsync() > 10);
            Assert.True(await visitor.Locator("#widely-raised article.report-cluster").CountAsync() > 0);
            await visitor.AssertAccessibleAsync(site);
            await visitor.Context.CloseAsync();
        }
    }
}
