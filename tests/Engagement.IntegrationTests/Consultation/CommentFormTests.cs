using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Consultation;
using Microsoft.EntityFrameworkCore;

namespace Engagement.IntegrationTests.Consultation;

/// <summary>The comment form shows the paragraph being commented on, in its words, not only its number.</summary>
public sealed class CommentFormTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task Commenting_on_a_paragraph_quotes_it_beside_the_form_and_names_each_by_its_opening_words()
    {
        var id = await factory.WithDbAsync(db => db.Set<Decision>()
            .Where(d => d.ConsultationOpensAt <= EngagementFactory.Now && d.ConsultationClosesAt > EngagementFactory.Now).OrderBy(d => d.Id).Select(d => d.Id).FirstAsync());
        var browser = factory.CreateBrowser();
        await browser.SignInAsync("resident1@example.org");
        var page = await browser.GetPageAsync($"/decisions/{id}");
        var second = page.QuerySelectorAll(".paragraph-text")[1].TextContent.Trim();
        var link = page.QuerySelector("a.comment-on[data-paragraph='2']")!.GetAttribute("href")!;

        var commenting = await browser.GetPageAsync(link.Split('#')[0]);
        var quoted = commenting.QuerySelector("#quoted-paragraph")!;
        Assert.Contains("第2段", quoted.QuerySelector("figcaption")!.TextContent);
        Assert.Equal(second, quoted.QuerySelector("blockquote")!.TextContent.Trim());
        var option = commenting.QuerySelector("#Paragraph option[value='2']")!;
        Assert.True(option.HasAttribute("selected"));
        Assert.Contains(System.Text.RegularExpressions.Regex.Replace(second, @"\s+", " ")[..8], option.TextContent);
        Assert.Null(page.QuerySelector("#quoted-paragraph"));
    }

    [Fact]
    public async Task Mine_gathers_what_a_resident_did_with_where_each_stands()
    {
        var id = await factory.WithDbAsync(db => db.Set<Decision>()
            .Where(d => d.ConsultationOpensAt <= EngagementFactory.Now && d.ConsultationClosesAt > EngagementFactory.Now).OrderBy(d => d.Id).Select(d => d.Id).FirstAsync());
        var api = await factory.CreateClient().AsAsync("resident2@example.org");
        Assert.Equal(System.Net.HttpStatusCode.Created, (await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(api, $"/api/v1/decisions/{id}/comments",
            new { text = "我的页面要能看到这条意见的审核进展。" })).StatusCode);
        var browser = factory.CreateBrowser();
        await browser.SignInAsync("resident2@example.org");
        var home = await browser.GetPageAsync("/");
        Assert.Equal("/me", home.QuerySelector("#me-link")!.GetAttribute("href"));
        var mine = await browser.GetPageAsync("/me");
        var comment = mine.QuerySelectorAll("section:has(#my-comments) li").Single(li => li.TextContent.Contains("我的页面要能看到"));
        Assert.Contains("待审核", comment.QuerySelector(".my-status")!.TextContent);
        // Last month's open day, where they were checked in (demo data), with its check-in time.
        Assert.Contains("已签到", mine.QuerySelector("section:has(#my-registrations)")!.TextContent);
        Assert.NotNull(mine.QuerySelector("a[href='/profile']"));
        foreach (var link in mine.QuerySelectorAll("main a[href^='/']").Select(a => a.GetAttribute("href")!.Split('#')[0]).Distinct())
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await browser.GetAsync(link)).StatusCode);
        }
    }
}
