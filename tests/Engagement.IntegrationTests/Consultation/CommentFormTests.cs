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
}
