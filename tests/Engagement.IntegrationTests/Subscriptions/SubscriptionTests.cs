using System.Net;
using System.ServiceModel.Syndication;
using System.Xml;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Admin;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Meetings;
using Engagement.Web.Features.Subscriptions;
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.IntegrationTests.Subscriptions;

/// <summary>
/// 精准推送 from the outside: a resident follows on the page, something they follow opens later, the scan tells them
/// once (at once or in the Monday digest), and the e-mail's unsubscribe works by one POST without signing in.
/// </summary>
public abstract class SubscriptionTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    private async Task<HttpClient> FollowAsync(string email, Dictionary<string, string[]> choices, string delivery = "Immediate")
    {
        var browser = factory.CreateBrowser();
        await browser.SignInAsync(email);
        var page = await browser.GetPageAsync("/profile/subscriptions");
        var token = page.QuerySelector("form[action='/profile/subscriptions'] input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        var fields = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", token), new("delivery", delivery), new("language", "zh-CN") };
        foreach (var (name, values) in choices) fields.AddRange(values.Select(v => new KeyValuePair<string, string>(name, v)));
        var response = await browser.PostAsync("/profile/subscriptions", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    /// <summary>A decision of the unit, on the topics, whose consultation opens in an hour.</summary>
    private Task<int> DecisionOpeningSoonAsync(string title, string unit, bool enterprise, params string[] topics) => factory.WithDbAsync(async db =>
    {
        var now = factory.Clock.GetUtcNow();
        var catalog = await db.Set<DecisionCatalog>().OrderBy(c => c.Id).FirstAsync();
        var unitId = await db.Units.Where(u => u.Name == unit).Select(u => u.Id).SingleAsync();
        var decision = new Decision
        {
            CatalogId = catalog.Id, Year = catalog.Year, Title = title, Summary = "测试用决策。", UnitId = unitId, EnterpriseRelated = enterprise,
            Status = DecisionStatus.OpenForComment, ConsultationOpensAt = now.AddHours(1), ConsultationClosesAt = now.AddDays(30), CreatedAt = now,
        };
        db.Add(decision);
        await db.SaveChangesAsync();
        var ids = await db.Set<Topic>().Where(t => topics.Contains(t.Code)).Select(t => t.Id).ToListAsync();
        await TopicList.SetAsync(db, TaggedKind.Decision, decision.Id, ids);
        await db.SaveChangesAsync();
        return decision.Id;
    });

    private async Task<int> RoundAsync()
    {
        using var scope = factory.Services.CreateScope();
        var notices = scope.ServiceProvider.GetRequiredService<NoticeService>();
        await notices.ScanAsync();
        return await notices.SendDueAsync();
    }

    private Task<int> MailsToAsync(string email, string subjectPart) => factory.WithDbAsync(db =>
        db.OutboxMessages.CountAsync(m => m.To == email && m.Subject.Contains(subjectPart)));

    [Fact]
    public async Task A_followed_topic_that_opens_later_is_told_once_and_one_click_unsubscribes_without_signing_in()
    {
        await FollowAsync("resident1@example.org", new() { ["topics"] = ["elder-care"] });
        var title = $"长宁区老年助餐服务点管理办法（草案）{Guid.NewGuid():N}"[..30];
        var unrelated = $"长宁区道路停车收费管理规定（草案）{Guid.NewGuid():N}"[..30];
        await DecisionOpeningSoonAsync(title, "区民政局", false, "elder-care");
        await DecisionOpeningSoonAsync(unrelated, "区民政局", false, "transport");

        // Before it opens: nothing to tell.
        await RoundAsync();
        Assert.Equal(0, await MailsToAsync("resident1@example.org", title));

        factory.Clock.Advance(TimeSpan.FromHours(2));
        await RoundAsync();
        var mail = await factory.WaitForAsync("resident1@example.org", title);
        Assert.Contains("开始征求意见", mail.Subject);
        Assert.Contains("/decisions/", mail.TextBody);
        var unsubscribe = mail.Headers["List-Unsubscribe"];
        Assert.Matches(@"^<https?://[^>]+/unsubscribe/[0-9a-f]{48}>$", unsubscribe);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        Assert.Equal(0, await MailsToAsync("resident1@example.org", unrelated));

        // Rounds again, as the job runs every few minutes and on every instance: never a second e-mail.
        await RoundAsync();
        await RoundAsync();
        Assert.Equal(1, await MailsToAsync("resident1@example.org", title));

        // Re-dated weeks later (a consultation extended from today): not news again, and it does not hold up what opens next.
        factory.Clock.Advance(TimeSpan.FromDays(10));
        await factory.WithDbAsync(db => db.Set<Decision>().Where(d => d.Title == title)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.ConsultationOpensAt, factory.Clock.GetUtcNow().AddMinutes(-30))));
        var next = $"长宁区居家养老服务补贴办法（草案）{Guid.NewGuid():N}"[..30];
        await DecisionOpeningSoonAsync(next, "区民政局", false, "elder-care");
        factory.Clock.Advance(TimeSpan.FromHours(2));
        await RoundAsync();
        await factory.WaitForAsync("resident1@example.org", next);
        Assert.Equal(1, await MailsToAsync("resident1@example.org", title));

        // The mail program's one-click POST: no cookie, no antiforgery token, the token in the address is the proof.
        var path = new Uri(unsubscribe.Trim('<', '>')).AbsolutePath;
        var anonymous = factory.CreateBrowser();
        Assert.Contains("确认退订", (await (await anonymous.GetAsync(path)).ParseAsync()).QuerySelector("#unsubscribe")!.TextContent);
        var done = await anonymous.PostAsync(path, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.NotNull((await done.ParseAsync()).QuerySelector("#unsubscribed"));
        Assert.Equal(0, await factory.WithDbAsync(db => db.Set<Subscription>().CountAsync(s => s.User!.Email == "resident1@example.org")));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsync("/unsubscribe/" + new string('0', 48), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/unsubscribe/guess")).StatusCode);
    }

    [Fact]
    public async Task The_weekly_digest_waits_for_monday_morning_and_lists_the_weeks_items_in_one_email()
    {
        // From a Tuesday, so the week's digest is still to come.
        var start = factory.Clock.GetUtcNow();
        factory.Clock.Advance(NoticeService.DigestTime(start).AddDays(8) - start);
        var unit = await factory.WithDbAsync(db => db.Units.Where(u => u.Name == "区住房保障房屋管理局").Select(u => u.Id).SingleAsync());
        await FollowAsync("resident2@example.org", new() { ["topics"] = ["housing"], ["units"] = [unit.ToString()], ["enterprise"] = ["true"] }, "Weekly");
        var first = $"长宁区公有住房租金调整方案 {Guid.NewGuid():N}"[..24];
        var second = $"长宁区虹桥临空企业人才公寓办法 {Guid.NewGuid():N}"[..24];
        // Matched twice (topic and unit; and enterprise), told once.
        await DecisionOpeningSoonAsync(first, "区住房保障房屋管理局", false, "housing");
        await DecisionOpeningSoonAsync(second, "区发展改革委", true);
        factory.Clock.Advance(TimeSpan.FromHours(2));
        await RoundAsync();
        Assert.Equal(0, await factory.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.To == "resident2@example.org" && m.Subject.Contains("本周订阅提醒"))));
        Assert.Equal(2, await factory.WithDbAsync(db => db.Set<Notice>().CountAsync(n => n.User!.Email == "resident2@example.org" && (n.Title == first || n.Title == second))));

        // The next Monday, 08:00 in Shanghai.
        var now = factory.Clock.GetUtcNow();
        factory.Clock.Advance(NoticeService.DigestTime(now).AddDays(7) - now + TimeSpan.FromMinutes(5));
        await RoundAsync();
        await RoundAsync();
        var digest = await factory.WaitForAsync("resident2@example.org", "本周订阅提醒");
        Assert.Contains(first, digest.TextBody);
        Assert.Contains(second, digest.TextBody);
        Assert.Equal(1, await factory.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.To == "resident2@example.org" && m.Subject.Contains("本周订阅提醒"))));
        Assert.NotNull(digest.Headers["List-Unsubscribe"]);
    }

    [Fact]
    public async Task The_subscriptions_page_keeps_what_was_chosen_and_refuses_unknown_choices_with_the_error_pattern()
    {
        var browser = await FollowAsync("resident3@example.org", new() { ["topics"] = ["transport", "education"] });
        var page = await browser.GetPageAsync("/profile/subscriptions");
        Assert.True(page.QuerySelector("#topic-transport")!.HasAttribute("checked"));
        Assert.True(page.QuerySelector("#topic-education")!.HasAttribute("checked"));
        Assert.False(page.QuerySelector("#topic-housing")!.HasAttribute("checked"));
        Assert.Contains("2", page.QuerySelector("#status-message")!.TextContent);

        var refused = await browser.SubmitAsync(page, "/profile/subscriptions", new Dictionary<string, string> { ["topics"] = "no-such-topic" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var again = await refused.ParseAsync();
        Assert.NotNull(again.QuerySelector("#error-summary"));
        Assert.StartsWith("错误：", again.Title);
        // Nothing half-saved: the earlier choice stands.
        Assert.Equal(2, await factory.WithDbAsync(db => db.Set<Subscription>().CountAsync(s => s.User!.Email == "resident3@example.org")));

        // Signed out, the page asks to sign in.
        Assert.Equal(HttpStatusCode.Redirect, (await factory.CreateBrowser().GetAsync("/profile/subscriptions")).StatusCode);
    }

    [Fact]
    public async Task Feeds_are_valid_atom_overall_by_unit_and_by_topic_and_pages_announce_them()
    {
        var anonymous = factory.CreateBrowser();
        async Task<SyndicationFeed> FeedAsync(string url)
        {
            var response = await anonymous.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
            using var reader = XmlReader.Create(await response.Content.ReadAsStreamAsync());
            return SyndicationFeed.Load(reader);
        }
        var all = await FeedAsync("/feeds/consultations.atom");
        var titles = all.Items.Select(i => i.Title.Text).ToList();
        Assert.Contains(titles, t => t.Contains("加装电梯"));
        Assert.Contains(titles, t => t.Contains("养老"));
        Assert.All(all.Items, i => Assert.StartsWith("tag:engagement.changning", i.Id));

        var care = (await FeedAsync("/feeds/consultations.atom?topic=elder-care")).Items.Select(i => i.Title.Text).ToList();
        Assert.Contains(care, t => t.Contains("养老"));
        Assert.DoesNotContain(care, t => t.Contains("临空"));
        var unit = await factory.WithDbAsync(db => db.Units.Where(u => u.Name == "区发展改革委").Select(u => u.Id).SingleAsync());
        Assert.All((await FeedAsync($"/feeds/consultations.atom?unit={unit}")).Items, i => Assert.DoesNotContain("加装电梯", i.Title.Text));
        Assert.NotEmpty((await FeedAsync("/feeds/reports.atom")).Items);
        Assert.NotEmpty((await FeedAsync("/feeds/meetings.atom")).Items);
        Assert.NotEmpty((await FeedAsync("/feeds/events.atom")).Items);
        var english = factory.CreateBrowser("en");
        Assert.Contains("Changning", (await english.GetStringAsync("/feeds/events.atom")));

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/feeds/consultations.atom?unit=999999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/feeds/consultations.atom?topic=%3Cscript%3E")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/feeds/secrets.atom")).StatusCode);

        var decisions = await anonymous.GetPageAsync("/decisions");
        var alternates = decisions.QuerySelectorAll("link[rel='alternate'][type='application/atom+xml']").Select(l => l.GetAttribute("href")).ToList();
        Assert.Contains("/feeds/consultations.atom", alternates);
        Assert.Contains("/feeds/reports.atom", alternates);
        Assert.Contains("/feeds/events.atom", (await anonymous.GetPageAsync("/events")).QuerySelectorAll("link[rel='alternate']").Select(l => l.GetAttribute("href")));
    }

    [Fact]
    public async Task The_enterprise_page_gathers_what_concerns_enterprises_and_the_organisations_a_person_commented_for()
    {
        var page = await factory.CreateBrowser().GetPageAsync("/enterprise");
        Assert.Contains("临空", page.QuerySelector("#enterprise-consultations")?.TextContent ?? page.Body!.TextContent);
        Assert.DoesNotContain("加装电梯", page.QuerySelector("main")!.TextContent);
        var english = await factory.CreateBrowser("en").GetPageAsync("/enterprise");
        Assert.Equal("For enterprises", english.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task Admins_keep_the_topic_list_and_staff_tag_their_own_units_items()
    {
        var admin = factory.CreateBrowser();
        await admin.SignInAsync("admin@example.org");
        var list = await admin.GetPageAsync("/admin/topics");
        Assert.NotNull(list.QuerySelector("#topic-elder-care"));
        var added = await admin.SubmitAsync(list, "/admin/topics", new Dictionary<string, string> { ["code"] = "night-economy", ["addName"] = "夜间经济", ["addNameEn"] = "Night-time economy" });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var duplicate = await admin.SubmitAsync(await admin.GetPageAsync("/admin/topics"), "/admin/topics", new Dictionary<string, string> { ["code"] = "night-economy", ["addName"] = "夜经济", ["addNameEn"] = "Night" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, duplicate.StatusCode);
        var bad = await admin.SubmitAsync(await admin.GetPageAsync("/admin/topics"), "/admin/topics", new Dictionary<string, string> { ["code"] = "Bad Code!", ["addName"] = "", ["addNameEn"] = "" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Equal(3, (await bad.ParseAsync()).QuerySelectorAll("[aria-invalid='true']").Length);

        // Staff of the housing bureau tag its decision, not another unit's.
        var (own, other) = await factory.WithDbAsync(async db => (
            await db.Set<Decision>().Where(d => d.Unit!.Name == "区住房保障房屋管理局").Select(d => d.Id).FirstAsync(),
            await db.Set<Decision>().Where(d => d.Unit!.Name == "区发展改革委").Select(d => d.Id).FirstAsync()));
        var staffEmail = await factory.WithDbAsync(db => db.Users.Where(u => u.Unit!.Name == "区住房保障房屋管理局" && u.Email!.EndsWith("@example.org")).Select(u => u.Email!).FirstAsync());
        var staff = factory.CreateBrowser();
        await staff.SignInAsync(staffEmail);
        var tags = await staff.GetPageAsync($"/staff/topics/decision/{own}");
        var night = tags.QuerySelector("#tag-night-economy")!.GetAttribute("value")!;
        var saved = await staff.SubmitAsync(tags, $"/staff/topics/decision/{own}", new Dictionary<string, string> { ["topics"] = night });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("night-economy", (await factory.WithDbAsync(db => db.Set<TopicTag>().Where(t => t.Kind == TaggedKind.Decision && t.ItemId == own).Select(t => t.Topic!.Code).ToListAsync())));
        var refused = await staff.GetAsync($"/staff/topics/decision/{other}");
        Assert.True(refused.StatusCode == HttpStatusCode.Forbidden || refused.Headers.Location?.ToString().Contains("/account/denied") == true, $"{refused.StatusCode} {refused.Headers.Location}");
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync($"/staff/topics/poster/{own}")).StatusCode);
    }
}

// With Site:PublicUrl, as in production: the unsubscribe address in a notice must be absolute.
public sealed class SubscriptionTests_Sqlite(Platform.PublicUrlSqliteFactory factory) : SubscriptionTests<Platform.PublicUrlSqliteFactory>(factory);
public sealed class SubscriptionTests_Postgres(Platform.PublicUrlPostgresFactory factory) : SubscriptionTests<Platform.PublicUrlPostgresFactory>(factory);
