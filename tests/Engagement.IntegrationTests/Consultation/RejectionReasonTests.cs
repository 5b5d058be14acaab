using System.Net;
using System.Net.Http.Json;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Consultation;
using Microsoft.EntityFrameworkCore;

namespace Engagement.IntegrationTests.Consultation;

/// <summary>A reason chosen from the moderation page's list reaches the resident as words, never as a type name.</summary>
public sealed class RejectionReasonTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task A_reason_picked_from_the_list_is_stored_and_shown_as_its_words(string language)
    {
        var (decision, staffEmail) = await factory.WithDbAsync(async db =>
        {
            var d = await db.Set<Decision>().Where(x => x.ConsultationOpensAt <= EngagementFactory.Now && x.ConsultationClosesAt > EngagementFactory.Now)
                .Select(x => new { x.Id, x.UnitId }).FirstAsync();
            return (d.Id, await db.Users.Where(u => u.UnitId == d.UnitId).Select(u => u.Email!).FirstAsync());
        });
        var resident = await factory.CreateClient().AsAsync("resident1@example.org");
        var marker = Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.Created, (await resident.PostAsJsonAsync($"/api/v1/decisions/{decision}/comments", new { text = $"楼下新开的奶茶店排队太吵 {marker}" })).StatusCode);
        var id = await factory.WithDbAsync(db => db.Set<Comment>().Where(c => c.Text.Contains(marker)).Select(c => c.Id).SingleAsync());

        var staff = factory.CreateBrowser(language);
        await staff.SignInAsync(staffEmail);
        var queue = await staff.GetPageAsync($"/moderation?decision={decision}");
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync(queue, $"/moderation/{id}/reject")).StatusCode);

        var reason = await factory.WithDbAsync(db => db.Set<Comment>().Where(c => c.Id == id).Select(c => c.RejectReason).SingleAsync());
        Assert.False(string.IsNullOrWhiteSpace(reason));
        Assert.DoesNotContain("Microsoft", reason);
        Assert.DoesNotContain("LocalizedHtmlString", reason);
        Assert.Contains(reason!, queue.QuerySelector($"#reason-{id} option")!.TextContent);

        // As the resident reads it, in their language's page: the words, with their comment.
        var author = factory.CreateBrowser(language);
        await author.SignInAsync("resident1@example.org");
        var mine = await author.GetPageAsync("/me");
        var item = mine.QuerySelectorAll("section:has(#my-comments) li").Single(li => li.TextContent.Contains(marker));
        Assert.Contains(reason!, item.TextContent);
        Assert.DoesNotContain("Microsoft", item.TextContent);
        Assert.Contains(language == "en" ? "not published" : "未公开", item.TextContent);
    }
}
