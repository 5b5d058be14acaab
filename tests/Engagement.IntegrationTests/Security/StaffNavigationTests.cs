using System.Net;
using AngleSharp.Html.Dom;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Messages;
using Engagement.Web.Platform.Demo;
using Microsoft.EntityFrameworkCore;

namespace Engagement.IntegrationTests.Security;

/// <summary>
/// Every link a staff member is shown opens for them: each demo unit's staff (and the admin) follow the staff
/// navigation, and every back-office link on those pages, and none answers "no access", "not found" or an error. The
/// office's staff once saw both district meetings in the list and were refused on opening either.
/// </summary>
public sealed class StaffNavigationTests(SqliteFactory factory) : IClassFixture<SqliteFactory>
{
    public static TheoryData<string> Staff()
    {
        var data = new TheoryData<string> { "staff@example.org", "admin@example.org" };
        foreach (var (email, _, _) in DemoData.DraftingStaff) data.Add(email);
        return data;
    }

    [Theory]
    [MemberData(nameof(Staff))]
    public async Task Every_back_office_link_a_staff_member_is_shown_opens_for_them(string email)
    {
        var browser = factory.CreateBrowser();
        await browser.SignInAsync(email);
        var home = await browser.GetPageAsync("/");
        var menu = BackOfficeLinks(home);
        Assert.NotEmpty(menu);

        var failures = new List<string>();
        var seen = new HashSet<string>(menu);
        var opened = 0;
        foreach (var list in menu)
        {
            var page = await OpenAsync(browser, list, list, failures);
            opened++;
            if (page is null) continue;
            foreach (var link in BackOfficeLinks(page).Where(seen.Add).Take(60))
            {
                await OpenAsync(browser, link, list, failures);
                opened++;
            }
        }
        Assert.True(failures.Count == 0, $"{email}:\n" + string.Join("\n", failures));
        Assert.True(opened > menu.Count, $"{email} opened only the menu's pages: {string.Join(", ", seen)}");
    }

    [Fact]
    public async Task The_office_sees_the_district_meetings_and_the_general_boards_messages_and_opens_them()
    {
        var browser = factory.CreateBrowser();
        await browser.SignInAsync("staff@example.org");
        var meetings = await browser.GetPageAsync("/staff/meetings");
        var district = meetings.QuerySelectorAll("a[href^='/staff/meetings/']").Select(a => a.GetAttribute("href")!).ToList();
        Assert.NotEmpty(district);
        foreach (var href in district) Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(href)).StatusCode);

        // A message on the general board reaches the office's queue, and the office can assign it.
        var waiting = await factory.WithDbAsync(db => db.Set<Message>().Where(m => m.UnitId == null && m.Status == MessageStatus.Received).Select(m => m.Id).ToListAsync());
        Assert.NotEmpty(waiting);
        var queue = await browser.GetPageAsync("/staff/messages");
        foreach (var id in waiting) Assert.NotNull(queue.QuerySelector($"a[href='/staff/messages/{id}']"));
        var message = await browser.GetPageAsync($"/staff/messages/{waiting[0]}");
        Assert.NotNull(message.QuerySelector($"form[action='/staff/messages/{waiting[0]}/triage']"));

        // The office answers one itself in one step: assigned to its own unit (the default) with the answer written.
        var office = await factory.WithDbAsync(db => db.Units.Where(u => u.IsDistrictOffice).Select(u => u.Id).SingleAsync());
        Assert.Equal(office.ToString(), message.QuerySelector("#unitId option[selected]")!.GetAttribute("value"));
        var civilUnit = await factory.WithDbAsync(db => db.Units.Where(u => u.Name == "区民政局").Select(u => u.Id).SingleAsync());
        var elsewhere = await browser.SubmitAsync(message, $"/staff/messages/{waiting[0]}/triage",
            new Dictionary<string, string> { ["unitId"] = civilUnit.ToString(), ["reply"] = "由我办答复。" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, elsewhere.StatusCode);
        Assert.Equal("由我办答复。", (await elsewhere.ParseAsync()).QuerySelector("#triage-reply")!.TextContent);
        var answered = await browser.SubmitAsync(message, $"/staff/messages/{waiting[0]}/triage",
            new Dictionary<string, string> { ["reply"] = "您好，社区食堂工作日11:00开放，周末暂停。感谢您的留言。" });
        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        var stored = await factory.WithDbAsync(db => db.Set<Message>().SingleAsync(m => m.Id == waiting[0]));
        Assert.Equal((MessageStatus.Replied, office), (stored.Status, stored.UnitId!.Value));

        // Another unit's staff see neither.
        var civil = factory.CreateBrowser();
        await civil.SignInAsync("civil@example.org");
        Assert.Null((await civil.GetPageAsync("/staff/messages")).QuerySelector($"a[href='/staff/messages/{waiting.Last()}']"));
        Assert.Empty((await civil.GetPageAsync("/staff/meetings")).QuerySelectorAll("a[href^='/staff/meetings/']"));
    }

    [Theory]
    [InlineData("civil@example.org", "区民政局")]
    [InlineData("staff@example.org", "区政府办公室")]
    public async Task The_staff_home_counts_what_waits_for_the_persons_unit_and_links_to_each(string email, string unitName)
    {
        var browser = factory.CreateBrowser();
        await browser.SignInAsync(email);
        var home = await browser.GetPageAsync("/");
        Assert.Equal("/staff", home.QuerySelector("#staff-home-link")!.GetAttribute("href"));
        var page = await browser.GetPageAsync("/staff");
        Assert.Contains(unitName, page.QuerySelector("#staff-unit")!.TextContent);

        var (comments, messages) = await factory.WithDbAsync(async db =>
        {
            var unit = await db.Units.Where(u => u.Name == unitName).Select(u => new { u.Id, u.IsDistrictOffice }).SingleAsync();
            return (
                await db.Set<Engagement.Web.Features.Consultation.Comment>().CountAsync(c => c.Status == Engagement.Web.Features.Consultation.CommentStatus.Pending && c.Decision!.UnitId == unit.Id),
                await db.Set<Message>().CountAsync(m => (m.UnitId == unit.Id || (unit.IsDistrictOffice && m.UnitId == null))
                    && (m.Status == MessageStatus.Received || m.Status == MessageStatus.Assigned)));
        });
        Assert.Equal(comments.ToString(), page.QuerySelector("#count-Comments")!.TextContent);
        Assert.Equal(messages.ToString(), page.QuerySelector("#count-Messages")!.TextContent);
        // (The office's general-board messages may have been answered by the test above.)
        if (messages > 0) Assert.NotNull(page.QuerySelector("#work-Messages ~ ol a[href^='/staff/messages/']"));
        foreach (var link in page.QuerySelectorAll("main a[href^='/']").Select(a => a.GetAttribute("href")!.Split('#')[0]).Where(h => h.Length > 1).Distinct())
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(link)).StatusCode);
        }
    }

    /// <summary>Links into the back office on a page: what staff work with, not the public pages or downloads.</summary>
    private static List<string> BackOfficeLinks(IHtmlDocument page) =>
        page.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!.Split('#')[0])
            .Where(h => h.StartsWith("/staff", StringComparison.Ordinal) || h.StartsWith("/moderation", StringComparison.Ordinal)
                || h.StartsWith("/admin", StringComparison.Ordinal) || (h.StartsWith("/live/", StringComparison.Ordinal) && h.Contains("/host")))
            .Where(h => !h.EndsWith(".csv", StringComparison.Ordinal) && !h.EndsWith(".pdf", StringComparison.Ordinal))
            .Distinct().ToList();

    private static async Task<IHtmlDocument?> OpenAsync(HttpClient browser, string url, string from, List<string> failures)
    {
        var response = await browser.GetAsync(url);
        var location = response.Headers.Location?.ToString() ?? "";
        if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound || (int)response.StatusCode >= 500 || location.Contains("/account/denied"))
        {
            failures.Add($"{url} (linked from {from}): {(int)response.StatusCode} {location}");
            return null;
        }
        if (response.StatusCode != HttpStatusCode.OK) return null;
        var page = await response.ParseAsync();
        // A message whose placeholder was never filled ("第{0}段") reads as broken to the clerk.
        var text = (page.Title ?? "") + " " + page.Body!.TextContent;
        foreach (System.Text.RegularExpressions.Match unfilled in System.Text.RegularExpressions.Regex.Matches(text, @".{0,20}\{\d\}.{0,20}"))
        {
            failures.Add($"{url}: an unfilled placeholder in \"{unfilled.Value.Trim()}\"");
        }
        return page;
    }
}
