using System.Net;
using System.Net.Http.Json;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Consultation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.IntegrationTests.Platform;

/// <summary>
/// Public read pages are served from the output cache to visitors who are not signed in, and a change saved through the
/// application evicts them at once: a newly published comment shows on the next request.
/// </summary>
public sealed class OutputCacheTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    private async Task<(int Decision, long Pending)> OpenDecisionWithPendingCommentAsync(string text) => await factory.WithDbAsync(async db =>
    {
        var decision = await db.Set<Decision>().Where(d => d.ConsultationOpensAt <= EngagementFactory.Now && d.ConsultationClosesAt > EngagementFactory.Now)
            .OrderBy(d => d.Id).Select(d => new { d.Id, d.UnitId }).FirstAsync();
        var author = await db.Users.Where(u => u.Email == "resident1@example.org").Select(u => u.Id).SingleAsync();
        var comment = new Comment
        {
            DecisionId = decision.Id, AuthorId = author, Text = text, PublicText = text, Status = CommentStatus.Pending, Channel = CommentChannel.Online,
            CreatedAt = EngagementFactory.Now, TextHash = Comments.Hash(text),
        };
        db.Add(comment);
        await db.SaveChangesAsync();
        return (decision.Id, comment.Id);
    });

    [Fact]
    public async Task Signed_in_visitors_get_the_years_figures_from_a_snapshot_that_a_change_evicts()
    {
        var (_, first) = await OpenDecisionWithPendingCommentAsync($"统计快照测试一 {Guid.NewGuid():N}");
        var (_, second) = await OpenDecisionWithPendingCommentAsync($"统计快照测试二 {Guid.NewGuid():N}");
        var resident = factory.CreateBrowser();
        await resident.SignInAsync("resident2@example.org");
        async Task<int> CommentsOnHomeAsync() =>
            int.Parse((await resident.GetPageAsync("/")).QuerySelector("[data-stat='comments.total']")!.GetAttribute("data-value")!);
        // The snapshot cache dates entries and evictions by the site's clock, which stands still here: a snapshot
        // taken at the very instant of an eviction counts as evicted, so time moves on first, as it does in life.
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var before = await CommentsOnHomeAsync();

        // Published behind the application's back: a signed-in visit (never served from the page cache) still shows
        // the snapshot, so the figures are not computed afresh for every visit.
        await factory.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync($"UPDATE \"Comment\" SET \"Status\" = 'Published' WHERE \"Id\" = {first}"));
        Assert.Equal(before, await CommentsOnHomeAsync());

        // Published through the application: the snapshot goes, and the next visit counts both.
        var staff = await factory.CreateClient().AsAsync("admin@example.org");
        Assert.Equal(HttpStatusCode.NoContent, (await staff.PostAsync($"/api/v1/moderation/comments/{second}/approve", null)).StatusCode);
        Assert.Equal(before + 2, await CommentsOnHomeAsync());
    }

    [Fact]
    public async Task A_cached_decision_page_shows_a_comment_as_soon_as_it_is_published()
    {
        var text = $"缓存测试：加装电梯后楼道灯能否改成声控？{Guid.NewGuid():N}";
        var (decision, pending) = await OpenDecisionWithPendingCommentAsync(text);
        var visitor = factory.CreateBrowser();
        var first = await visitor.GetPageAsync($"/decisions/{decision}");
        Assert.DoesNotContain(text, first.Body!.TextContent);

        // A change made behind the application's back is not seen: the page comes from the cache.
        var sneaked = $"直接写入数据库的意见 {Guid.NewGuid():N}";
        await factory.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE \"Comment\" SET \"PublicText\" = {sneaked} WHERE \"Id\" = (SELECT MIN(\"Id\") FROM \"Comment\" WHERE \"DecisionId\" = {decision} AND \"Status\" = 'Published')"));
        Assert.DoesNotContain(sneaked, (await factory.CreateBrowser().GetPageAsync($"/decisions/{decision}")).Body!.TextContent);

        // Published through the application: the next visitor sees it at once.
        var staff = await factory.CreateClient().AsAsync("admin@example.org");
        Assert.Equal(HttpStatusCode.NoContent, (await staff.PostAsync($"/api/v1/moderation/comments/{pending}/approve", null)).StatusCode);
        var after = await factory.CreateBrowser().GetPageAsync($"/decisions/{decision}");
        Assert.Contains(text, after.Body!.TextContent);
        Assert.Contains(sneaked, after.Body!.TextContent);
    }

    [Fact]
    public async Task Each_visitor_of_a_cached_page_gets_their_own_antiforgery_token()
    {
        var a = factory.CreateBrowser();
        var b = factory.CreateBrowser();
        var pageA = await a.GetPageAsync("/statistics");
        var pageB = await b.GetPageAsync("/statistics");
        string Token(AngleSharp.Html.Dom.IHtmlDocument page) =>
            page.QuerySelector("form[action='/preferences/language'] input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        Assert.DoesNotContain("__ENGAGEMENT", Token(pageA));
        Assert.NotEqual(Token(pageA), Token(pageB));
        // Each token works with its own visitor's cookie, and not with the other's.
        Assert.Equal(HttpStatusCode.Redirect, (await a.SubmitAsync(pageA, "/preferences/language", new Dictionary<string, string> { ["culture"] = "en" })).StatusCode);
        var swapped = await b.PostAsync("/preferences/language", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["culture"] = "en", ["returnUrl"] = "/", ["__RequestVerificationToken"] = Token(pageA),
        }));
        Assert.Equal(HttpStatusCode.BadRequest, swapped.StatusCode);
    }

    [Fact]
    public async Task Signed_in_people_and_other_languages_never_get_someone_elses_page()
    {
        var text = $"只有作者能看到的待审意见 {Guid.NewGuid():N}";
        var (decision, _) = await OpenDecisionWithPendingCommentAsync(text);
        await factory.CreateBrowser().GetPageAsync($"/decisions/{decision}"); // cached for visitors
        var author = factory.CreateBrowser();
        await author.SignInAsync("resident1@example.org");
        Assert.Contains(text, (await author.GetPageAsync($"/decisions/{decision}")).QuerySelector("#mine")!.TextContent);
        Assert.DoesNotContain(text, (await factory.CreateBrowser().GetPageAsync($"/decisions/{decision}")).Body!.TextContent);

        var chinese = await factory.CreateBrowser("zh-CN").GetPageAsync("/statistics");
        var english = await factory.CreateBrowser("en").GetPageAsync("/statistics");
        Assert.Equal("zh-CN", chinese.DocumentElement.GetAttribute("lang"));
        Assert.Equal("en", english.DocumentElement.GetAttribute("lang"));
    }

    [Fact]
    public async Task A_rolled_back_change_leaves_nothing_to_evict_on_the_pooled_context()
    {
        var invalidation = factory.Services.GetRequiredService<Engagement.Web.Platform.Web.PublicPageCacheInvalidation>();
        await factory.WithDbAsync(async db =>
        {
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                var unit = await db.Units.OrderBy(u => u.Id).FirstAsync();
                unit.NameEn += " (renamed, then not)";
                await db.SaveChangesAsync();
                // Saved in a transaction: the pages wait for the commit.
                Assert.NotEmpty(invalidation.PendingFor(db));
                await transaction.RollbackAsync();
            }
            // Rolled back: the next commit on this context (the pool hands it to another request) evicts only its own pages.
            Assert.Empty(invalidation.PendingFor(db));
            db.ChangeTracker.Clear();
            return 0;
        });
    }
}
