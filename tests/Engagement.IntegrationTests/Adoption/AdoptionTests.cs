using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Adoption;
using Engagement.Web.Features.Consultation;
using Microsoft.EntityFrameworkCore;

namespace Engagement.IntegrationTests.Adoption;

/// <summary>
/// Adoption reports (2022 §四(二), 2023 §十九): due 10 working days after issue, widely raised clusters answered,
/// immutable versions. Each test builds its own decision of the civil affairs bureau (civil@example.org), with the
/// clock at Monday 23 November 2026.
/// </summary>
public abstract class AdoptionTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    private const string Staff = "civil@example.org";

    private static readonly string[] MealCampaign =
    [
        "社区助餐点一餐二十多元太贵了，建议补贴后控制在15元以内，仙霞新村街道。",
        "社区助餐点一餐二十多元太贵了，建议补贴后控制在15元以内，虹桥街道。",
        "社区助餐点一餐二十多元太贵了，建议补贴后控制在15元以内，天山路街道。",
        "社区助餐点一餐二十多元太贵了，建议补贴后控制在15元以内，周家桥街道。",
        "社区助餐点一餐二十多元太贵了，建议补贴后控制在15元以内，华阳路街道。",
        "社区助餐点一餐二十多元太贵了，建议补贴后控制在15元以内，江苏路街道。",
    ];

    private static readonly string[] Others =
    [
        "护理员工资太低，建议建立薪酬指导价并逐年提高。",
        "日间照料中心希望周末也开放。",
        "长者照护之家床位太少，建议增加床位。",
        "小区的无障碍坡道应当一起改造。",
    ];

    /// <summary>A decision of the civil affairs bureau whose consultation (August 2026) has ended, with published comments.</summary>
    private async Task<(int Id, long[] Comments)> DecisionAsync(params string[] comments)
    {
        return await factory.WithDbAsync(async db =>
        {
            var unit = await db.Units.Where(u => u.Name == "区民政局").Select(u => u.Id).SingleAsync();
            var catalog = await db.Set<DecisionCatalog>().FirstAsync(c => c.Year == 2026 && c.UnitId == null);
            var residents = await db.Users.Where(u => u.Email!.StartsWith("resident")).OrderBy(u => u.Email).ToListAsync();
            var decision = new Decision
            {
                CatalogId = catalog.Id, Year = 2026, Title = "长宁区老年助餐服务管理办法 " + Guid.NewGuid().ToString("N")[..6], UnitId = unit,
                Status = DecisionStatus.UnderReview, ConsultationOpensAt = new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.Zero),
                ConsultationClosesAt = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero), CreatedAt = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero),
            };
            db.Add(decision);
            await db.SaveChangesAsync();
            var added = comments.Select((text, i) => new Comment
            {
                DecisionId = decision.Id, AuthorId = residents[i % residents.Count].Id, Text = text, PublicText = text, Status = CommentStatus.Published,
                Channel = CommentChannel.Online, CreatedAt = new DateTimeOffset(2026, 8, 2, 0, 0, 0, TimeSpan.Zero).AddHours(i),
                TextHash = Web.Features.Consultation.Comments.Hash(text),
            }).ToList();
            db.AddRange(added);
            await db.SaveChangesAsync();
            return (decision.Id, added.Select(c => c.Id).ToArray());
        });
    }

    private async Task<HttpClient> StaffAsync() => await factory.CreateClient().AsAsync(Staff);

    private static async Task IssueAsync(HttpClient staff, int id, string issuedOn = "2026-11-16")
    {
        var response = await staff.PutAsJsonAsync($"/api/v1/decisions/{id}/issue", new { issuedOn, documentNumber = "长民规〔2026〕5号", link = "https://www.shcn.gov.cn/" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<JsonElement> ReviewAsync(HttpClient staff, int id) => await (await staff.GetAsync($"/api/v1/decisions/{id}/review")).JsonAsync();

    [Fact]
    public async Task The_due_date_is_ten_working_days_after_issue_on_the_official_calendar()
    {
        var (id, _) = await DecisionAsync(Others);
        var staff = await StaffAsync();
        // Issued Tuesday 29 September 2026: 1-7 October are off, Saturday 10 October is a make-up working day.
        var response = await staff.PutAsJsonAsync($"/api/v1/decisions/{id}/issue", new { issuedOn = "2026-09-29", documentNumber = "长民规〔2026〕5号" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = await response.JsonAsync();
        Assert.Equal("2026-10-19", status.GetProperty("deadline").GetProperty("dueOn").GetString());

        // The public sees the due date on the decision page, and that the report is not out yet.
        var page = await factory.CreateBrowser().GetPageAsync($"/decisions/{id}");
        Assert.Contains("2026-10-19", page.QuerySelector("#report-due")!.TextContent);
        Assert.Null(page.QuerySelector("#report-link"));
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateClient().GetAsync($"/api/v1/decisions/{id}/report")).StatusCode);

        // The dashboard shows it overdue (23 November is well past 19 October), in red.
        var browser = factory.CreateBrowser();
        await browser.SignInAsync(Staff);
        var dashboard = await browser.GetPageAsync("/staff/reports");
        var row = dashboard.QuerySelector($"#deadline-{id}")!;
        Assert.Contains("overdue", row.ClassName);
        Assert.Contains("2026-10-19", row.TextContent);
    }

    [Theory]
    [InlineData("2026-11-30", "issuedOn")]     // later than today
    [InlineData("2026-07-15", "issuedOn")]     // before the consultation closed
    [InlineData("1900-01-01", "issuedOn")]
    public async Task Impossible_issue_dates_are_refused_with_a_reason(string issuedOn, string field)
    {
        var (id, _) = await DecisionAsync(Others);
        var response = await (await StaffAsync()).PutAsJsonAsync($"/api/v1/decisions/{id}/issue", new { issuedOn, documentNumber = "长民规〔2026〕5号" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(char.ToUpperInvariant(field[0]) + field[1..], out _));
        Assert.False(await factory.WithDbAsync(db => db.Set<DecisionIssue>().AnyAsync(i => i.DecisionId == id)));
    }

    [Fact]
    public async Task Malformed_and_hostile_issue_requests_are_refused()
    {
        var (id, _) = await DecisionAsync(Others);
        var staff = await StaffAsync();
        var bad = await staff.PutAsync($"/api/v1/decisions/{id}/issue", new StringContent("{\"issuedOn\":\"not a date\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var script = await staff.PutAsJsonAsync($"/api/v1/decisions/{id}/issue", new { issuedOn = "2026-11-16", documentNumber = "5号", link = "javascript:alert(1)" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, script.StatusCode);
        var noNumber = await staff.PutAsJsonAsync($"/api/v1/decisions/{id}/issue", new { issuedOn = "2026-11-16", documentNumber = "  " });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noNumber.StatusCode);
    }

    [Fact]
    public async Task A_missing_calendar_year_makes_the_due_date_unknown_and_warns()
    {
        var (id, _) = await DecisionAsync(Others);
        // No calendar is shipped for 2021: a decision issued then has no computable due date.
        await factory.WithDbAsync(async db =>
        {
            db.Add(new DecisionIssue { DecisionId = id, IssuedOn = new DateOnly(2021, 12, 20), DocumentNumber = "长民规〔2021〕9号", RecordedBy = Staff });
            return await db.SaveChangesAsync();
        });
        var admin = factory.CreateBrowser();
        await admin.SignInAsync("admin@example.org");
        var dashboard = await admin.GetPageAsync("/staff/reports");
        Assert.Contains("2021", dashboard.QuerySelector("#calendar-missing")!.TextContent);
        Assert.Contains("2021", dashboard.QuerySelector($"#deadline-{id}")!.TextContent);
        var home = await admin.GetPageAsync("/admin");
        Assert.Contains("2021", home.QuerySelector("#report-calendar-warning")!.TextContent);
        var api = await (await (await factory.CreateClient().AsAsync("admin@example.org")).GetAsync("/api/v1/reports/dashboard")).JsonAsync();
        var item = api.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("decisionId").GetInt32() == id);
        Assert.Equal(JsonValueKind.Null, item.GetProperty("dueDate").ValueKind);
        Assert.Equal(2021, item.GetProperty("missingCalendarYear").GetInt32());
    }

    [Fact]
    public async Task Publishing_is_refused_while_a_widely_raised_cluster_is_not_adopted_and_has_no_reason()
    {
        var (id, comments) = await DecisionAsync([.. MealCampaign, .. Others]);
        var staff = await StaffAsync();
        await IssueAsync(staff, id);
        var review = await ReviewAsync(staff, id);
        var meals = review.GetProperty("clusters").EnumerateArray().Single(c => c.GetProperty("comments").GetArrayLength() == MealCampaign.Length);
        Assert.True(meals.GetProperty("widelyRaised").GetBoolean());
        var mealCluster = meals.GetProperty("id").GetInt64();

        // Every comment answered one by one, but the cluster itself has no answer: refused, naming the cluster.
        foreach (var comment in comments)
        {
            var answered = await staff.PutAsJsonAsync($"/api/v1/decisions/{id}/review/comments/{comment}", new { outcome = "not-adopted", reason = "另行研究" });
            Assert.Equal(HttpStatusCode.NoContent, answered.StatusCode);
        }
        var refused = await staff.PostAsJsonAsync($"/api/v1/decisions/{id}/report", new { });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = await refused.JsonAsync();
        Assert.Equal(mealCluster, Assert.Single(problem.GetProperty("clusters").EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateClient().GetAsync($"/api/v1/decisions/{id}/report")).StatusCode);

        // Not adopting it without a reason is refused at once; with a reason, for the whole cluster, publishing works.
        var noReason = await staff.PutAsJsonAsync($"/api/v1/decisions/{id}/review/clusters/{mealCluster}", new { outcome = "not-adopted", reason = "" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        var answeredCluster = await staff.PutAsJsonAsync($"/api/v1/decisions/{id}/review/clusters/{mealCluster}",
            new { title = "助餐价格偏高", outcome = "partly-adopted", reason = "对低收入老人给予每餐5元补贴；普通老人价格由市场调节。" });
        Assert.Equal(HttpStatusCode.NoContent, answeredCluster.StatusCode);
        var published = await staff.PostAsJsonAsync($"/api/v1/decisions/{id}/report", new { });
        Assert.Equal(HttpStatusCode.Created, published.StatusCode);

        var report = await (await factory.CreateClient().GetAsync($"/api/v1/decisions/{id}/report")).JsonAsync();
        Assert.Equal("2026-11-16", report.GetProperty("issuedOn").GetString());
        Assert.Equal("2026-11-30", report.GetProperty("dueDate").GetString());
        Assert.True(report.GetProperty("onTime").GetBoolean());
        Assert.Equal(1, report.GetProperty("version").GetInt32());
        var counts = report.GetProperty("counts");
        Assert.Equal(MealCampaign.Length, counts.GetProperty("partlyAdopted").GetInt32());
        Assert.Equal(Others.Length, counts.GetProperty("notAdopted").GetInt32());
        Assert.Equal(0, counts.GetProperty("adopted").GetInt32() + counts.GetProperty("outOfScope").GetInt32());
        var cluster = report.GetProperty("clusters").EnumerateArray().Single(c => c.GetProperty("id").GetInt64() == mealCluster);
        Assert.Equal("助餐价格偏高", cluster.GetProperty("title").GetString());
        Assert.True(cluster.GetProperty("widelyRaised").GetBoolean());
        Assert.Equal("partly-adopted", cluster.GetProperty("outcome").GetString());
        Assert.Equal(MealCampaign.Length, cluster.GetProperty("commentIds").GetArrayLength());
        Assert.Equal(comments.Length, report.GetProperty("comments").GetArrayLength());
        Assert.All(report.GetProperty("comments").EnumerateArray(), c =>
        {
            Assert.Equal("online", c.GetProperty("channel").GetString());
            Assert.Contains(c.GetProperty("outcome").GetString(), new[] { "partly-adopted", "not-adopted" });
            Assert.False(string.IsNullOrEmpty(c.GetProperty("reason").GetString()));
        });

        // The decision is marked, the public page links to it, and every commenter hears of their own comment's outcome.
        var page = await factory.CreateBrowser().GetPageAsync($"/decisions/{id}");
        Assert.Equal($"/decisions/{id}/report", page.QuerySelector("#report-link")!.GetAttribute("href"));
        var title = await factory.WithDbAsync(db => db.Set<Decision>().Where(d => d.Id == id).Select(d => d.Title).SingleAsync());
        var mail = await factory.WaitForAsync("resident1@example.org", title);
        Assert.Contains($"/decisions/{id}/report#comment-", mail.TextBody);
    }

    [Fact]
    public async Task Every_comment_needs_an_outcome_and_every_outcome_but_adoption_a_reason()
    {
        var (id, comments) = await DecisionAsync(Others);
        var staff = await StaffAsync();
        await IssueAsync(staff, id);
        var noReason = await staff.PutAsJsonAsync($"/api/v1/decisions/{id}/review/comments/{comments[0]}", new { outcome = "not-adopted" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        var unknown = await staff.PutAsJsonAsync($"/api/v1/decisions/{id}/review/comments/{comments[0]}", new { outcome = "perhaps", reason = "x" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        var tooLong = await staff.PutAsJsonAsync($"/api/v1/decisions/{id}/review/comments/{comments[0]}", new { outcome = "not-adopted", reason = new string('理', 2001) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await staff.PutAsJsonAsync($"/api/v1/decisions/{id}/review/comments/{comments[0]}", new { outcome = "adopted" })).StatusCode);

        var refused = await staff.PostAsJsonAsync($"/api/v1/decisions/{id}/report", new { });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal(comments.Length - 1, (await refused.JsonAsync()).GetProperty("commentsWithoutOutcome").GetInt32());

        // A comment of another decision cannot be answered through this one.
        var (other, otherComments) = await DecisionAsync("另一份草案的意见：希望加强食品安全检查。");
        Assert.Equal(HttpStatusCode.NotFound, (await staff.PutAsJsonAsync($"/api/v1/decisions/{id}/review/comments/{otherComments[0]}", new { outcome = "adopted" })).StatusCode);
        Assert.NotEqual(id, other);
    }

    [Fact]
    public async Task A_correction_is_a_new_version_with_a_note_and_the_first_stays_readable()
    {
        var (id, comments) = await DecisionAsync(Others);
        var staff = await StaffAsync();
        await IssueAsync(staff, id);
        foreach (var comment in comments)
        {
            await staff.PutAsJsonAsync($"/api/v1/decisions/{id}/review/comments/{comment}", new { outcome = "adopted" });
        }
        Assert.Equal(HttpStatusCode.Created, (await staff.PostAsJsonAsync($"/api/v1/decisions/{id}/report", new { })).StatusCode);
        await staff.PutAsJsonAsync($"/api/v1/decisions/{id}/review/comments/{comments[1]}", new { outcome = "out-of-scope", reason = "属于区文旅局职责，已转交。" });

        var noNote = await staff.PostAsJsonAsync($"/api/v1/decisions/{id}/report", new { });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noNote.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await staff.PostAsJsonAsync($"/api/v1/decisions/{id}/report", new { note = "更正第2条意见的处理结果" })).StatusCode);

        var latest = await (await factory.CreateClient().GetAsync($"/api/v1/decisions/{id}/report")).JsonAsync();
        var first = await (await factory.CreateClient().GetAsync($"/api/v1/decisions/{id}/report?version=1")).JsonAsync();
        Assert.Equal(2, latest.GetProperty("version").GetInt32());
        Assert.Equal(1, latest.GetProperty("counts").GetProperty("outOfScope").GetInt32());
        Assert.Equal(0, first.GetProperty("counts").GetProperty("outOfScope").GetInt32());
        Assert.Equal("更正第2条意见的处理结果", latest.GetProperty("note").GetString());
        var old = await factory.CreateBrowser().GetPageAsync($"/decisions/{id}/report/versions/1");
        Assert.Contains("1", old.QuerySelector("#report-version")!.TextContent);
        Assert.Equal(2, old.QuerySelectorAll("#versions li").Length);

        // Once a report is out, the issue date that started its clock is fixed.
        var reissue = await staff.PutAsJsonAsync($"/api/v1/decisions/{id}/issue", new { issuedOn = "2026-11-17", documentNumber = "改" });
        Assert.Equal(HttpStatusCode.Conflict, reissue.StatusCode);
    }

    [Fact]
    public async Task Staff_edits_to_clusters_survive_reclustering_when_new_comments_arrive()
    {
        var (id, comments) = await DecisionAsync([.. MealCampaign, .. Others]);
        var staff = await StaffAsync();
        await ReviewAsync(staff, id);
        // Split one campaign comment off into a cluster of its own, named by staff.
        var split = await staff.PostAsJsonAsync($"/api/v1/decisions/{id}/review/move", new { commentIds = new[] { comments[0] }, title = "仙霞新村街道的助餐点" });
        Assert.Equal(HttpStatusCode.OK, split.StatusCode);
        // New comments arrive (a late hearing record and a resident's), then everything is clustered again.
        await factory.WithDbAsync(async db =>
        {
            var author = await db.Users.Where(u => u.Email == "resident2@example.org").Select(u => u.Id).SingleAsync();
            var text = "社区助餐点一餐二十多元太贵了，建议补贴后控制在15元以内，新华路街道。";
            db.Add(new Comment { DecisionId = id, AuthorId = author, Text = text, PublicText = text, Status = CommentStatus.Published, Channel = CommentChannel.Online,
                CreatedAt = EngagementFactory.Now, TextHash = Web.Features.Consultation.Comments.Hash(text) });
            return await db.SaveChangesAsync();
        });
        var again = await (await staff.PostAsync($"/api/v1/decisions/{id}/review/recluster", null)).JsonAsync();
        var clusters = again.GetProperty("clusters").EnumerateArray().ToList();
        var mine = clusters.Single(c => c.GetProperty("title").GetString() == "仙霞新村街道的助餐点");
        Assert.Equal(comments[0], Assert.Single(mine.GetProperty("comments").EnumerateArray()).GetProperty("id").GetInt64());
        Assert.True(mine.GetProperty("isCurated").GetBoolean());
        Assert.Equal(comments.Length + 1, clusters.Sum(c => c.GetProperty("comments").GetArrayLength()));

        // Merging two clusters keeps the first one's name.
        var campaign = clusters.Single(c => c.GetProperty("comments").EnumerateArray().Any(m => m.GetProperty("id").GetInt64() == comments[1])).GetProperty("id").GetInt64();
        var merged = await (await staff.PostAsJsonAsync($"/api/v1/decisions/{id}/review/merge", new { clusterIds = new[] { mine.GetProperty("id").GetInt64(), campaign } })).JsonAsync();
        var result = merged.GetProperty("clusters").EnumerateArray().Single(c => c.GetProperty("title").GetString() == "仙霞新村街道的助餐点");
        Assert.Equal(MealCampaign.Length + 1, result.GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task Only_the_drafting_units_staff_work_on_its_report_and_only_with_a_token()
    {
        var (id, comments) = await DecisionAsync(Others);
        var housing = await factory.CreateClient().AsAsync("housing@example.org");
        Assert.Equal(HttpStatusCode.Forbidden, (await housing.PutAsJsonAsync($"/api/v1/decisions/{id}/issue", new { issuedOn = "2026-11-16", documentNumber = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await housing.PutAsJsonAsync($"/api/v1/decisions/{id}/review/comments/{comments[0]}", new { outcome = "adopted" })).StatusCode);
        var resident = await factory.CreateClient().AsAsync("resident1@example.org");
        Assert.Equal(HttpStatusCode.Forbidden, (await resident.GetAsync($"/api/v1/decisions/{id}/review")).StatusCode);
        // A signed-in browser (cookie, no token) cannot be made to post to the staff API.
        var browser = factory.CreateBrowser();
        await browser.SignInAsync(Staff);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsJsonAsync($"/api/v1/decisions/{id}/report", new { })).StatusCode);
        // Staff pages of another unit's decision are forbidden too.
        var housingBrowser = factory.CreateBrowser();
        await housingBrowser.SignInAsync("housing@example.org");
        var denied = await housingBrowser.GetAsync($"/staff/reports/{id}");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("/account/denied", denied.Headers.Location!.OriginalString, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_drafting_unit_is_reminded_three_working_days_before_the_due_date_and_once_only()
    {
        var (id, _) = await DecisionAsync(Others);
        // Issued Thursday 12 November 2026: due Thursday 26 November; three working days before is today, 23 November.
        await IssueAsync(await StaffAsync(), id, "2026-11-12");
        var first = await factory.WithServiceAsync<AdoptionService, int>(s => s.SendRemindersAsync("https://open.example.org"));
        Assert.True(first >= 1);
        var mail = await factory.WaitForAsync(Staff, "3个工作日");
        Assert.Contains($"https://open.example.org/staff/reports/{id}", mail.TextBody);
        Assert.Contains("2026-11-26", mail.TextBody);
        Assert.Equal(0, await factory.WithServiceAsync<AdoptionService, int>(s => s.SendRemindersAsync("https://open.example.org")));

        // Issued Monday 9 November: due today, 23 November; the reminder says so.
        var (dueToday, _) = await DecisionAsync(Others);
        await IssueAsync(await StaffAsync(), dueToday, "2026-11-09");
        Assert.Equal(1, await factory.WithServiceAsync<AdoptionService, int>(s => s.SendRemindersAsync("https://open.example.org")));
        var today = await factory.WaitForAsync(Staff, "今日到期");
        Assert.Contains($"/staff/reports/{dueToday}", today.TextBody);
    }

    [Fact]
    public async Task The_editor_saves_an_answer_in_place_saying_why_when_it_cannot()
    {
        var (id, comments) = await DecisionAsync([.. Others]);
        var browser = factory.CreateBrowser();
        await browser.SignInAsync(Staff);
        var page = await browser.GetPageAsync($"/staff/reports/{id}");
        var form = page.QuerySelector($"form[action='/staff/reports/{id}/comments/{comments[0]}']")!;
        Assert.True(form.HasAttribute("data-save-in-place"));
        var token = form.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        async Task<HttpResponseMessage> SaveAsync(string outcome, string reason)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, form.GetAttribute("action"))
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["outcome"] = outcome, ["reason"] = reason, ["__RequestVerificationToken"] = token }),
            };
            request.Headers.Add("X-Requested-With", "fetch");
            return await browser.SendAsync(request);
        }
        var refused = await SaveAsync("not-adopted", "");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.False(string.IsNullOrEmpty((await refused.JsonAsync()).GetProperty("error").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, (await SaveAsync("not-adopted", "已有专项政策覆盖。")).StatusCode);
        Assert.Equal("已有专项政策覆盖。", await factory.WithDbAsync(db => db.Set<Web.Features.Adoption.CommentReview>()
            .Where(r => r.CommentId == comments[0]).Select(r => r.Reason).SingleAsync()));
        // The steps are in order: issue, groups and answers, then publishing last.
        var steps = page.QuerySelectorAll(".report-steps a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["#issue", "#clusters", "#publish"], steps);
        Assert.True(page.Body!.InnerHtml.IndexOf("id=\"clusters\"", StringComparison.Ordinal) < page.Body.InnerHtml.IndexOf("id=\"publish\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Staff_preview_the_report_as_the_public_would_read_it_before_it_is_published()
    {
        var (id, _) = await DecisionAsync([.. Others]);
        await IssueAsync(await StaffAsync(), id);
        var browser = factory.CreateBrowser();
        await browser.SignInAsync(Staff);
        var editor = await browser.GetPageAsync($"/staff/reports/{id}");
        Assert.Equal($"/staff/reports/{id}/preview", editor.QuerySelector("#preview-report")!.GetAttribute("href"));
        var preview = await browser.GetPageAsync($"/staff/reports/{id}/preview");
        Assert.NotNull(preview.QuerySelector("#report-preview"));
        Assert.Contains(Others[0], preview.Body!.TextContent);
        // Not published: the public page is still not there, and nothing was stored.
        Assert.Equal(HttpStatusCode.NotFound, (await factory.CreateBrowser().GetAsync($"/decisions/{id}/report")).StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.Set<Web.Features.Adoption.AdoptionReport>().AnyAsync(r => r.DecisionId == id)));
        // Another unit's staff cannot preview it.
        var other = factory.CreateBrowser();
        await other.SignInAsync("housing@example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/staff/reports/{id}/preview")).StatusCode);
    }

    private static readonly string[] StallFees =
    [
        "摊位费一年比一年高，卖菜的小摊贩实在吃不消。",
        "摊位费又要涨，菜场里的摊贩都说撑不住了。",
        "希望摊位费不要再涨，给摊贩留条活路。",
    ];

    private static readonly string[] Rent =
    [
        "房钿再涨下去，阿拉小摊头做不下去了。",
        "房钿再涨，阿拉只好收摊回老家。",
    ];

    private static readonly string[] MarketOthers =
    [
        "菜场早上开门太晚，老人六点就要出来买菜。",
        "菜场地面湿滑，老人容易摔跤，要铺防滑地砖。",
        "送货车堵在门口，停车位太少。",
        "公平秤要放在显眼的地方。",
    ];

    private static long ClusterOf(JsonElement review, long comment) => review.GetProperty("clusters").EnumerateArray()
        .Single(c => c.GetProperty("comments").EnumerateArray().Any(m => m.GetProperty("id").GetInt64() == comment)).GetProperty("id").GetInt64();

    private async Task<long> AddCommentAsync(int id, string text) => await factory.WithDbAsync(async db =>
    {
        var author = await db.Users.Where(u => u.Email == "resident2@example.org").Select(u => u.Id).SingleAsync();
        var comment = new Comment { DecisionId = id, AuthorId = author, Text = text, PublicText = text, Status = CommentStatus.Published, Channel = CommentChannel.Online,
            CreatedAt = EngagementFactory.Now, TextHash = Web.Features.Consultation.Comments.Hash(text) };
        db.Add(comment);
        await db.SaveChangesAsync();
        return comment.Id;
    });

    [Fact]
    public async Task A_staff_move_survives_a_recluster_changes_the_next_result_and_suggests_an_equivalence_to_confirm()
    {
        const string Late = "房钿再涨下去，小摊头真的做不动了。";
        var staff = await StaffAsync();

        // Without staff's move, the late comment in the resident's own words does not join the stall-fee cluster.
        var (control, controlComments) = await DecisionAsync([.. StallFees, .. Rent, .. MarketOthers]);
        await ReviewAsync(staff, control);
        var controlLate = await AddCommentAsync(control, Late);
        var before = await (await staff.PostAsync($"/api/v1/decisions/{control}/review/recluster", null)).JsonAsync();
        Assert.NotEqual(ClusterOf(before, controlComments[0]), ClusterOf(before, controlLate));
        Assert.NotEqual(ClusterOf(before, controlComments[0]), ClusterOf(before, controlComments[3]));

        // Staff move the two 房钿 comments into the stall-fee cluster.
        var (id, comments) = await DecisionAsync([.. StallFees, .. Rent, .. MarketOthers]);
        var review = await ReviewAsync(staff, id);
        var fees = ClusterOf(review, comments[0]);
        var moved = await staff.PostAsJsonAsync($"/api/v1/decisions/{id}/review/move", new { commentIds = new[] { comments[3], comments[4] }, targetClusterId = fees });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        // The review page suggests the two words as meaning the same; staff confirm on the page.
        var browser = factory.CreateBrowser("zh-CN");
        await browser.SignInAsync(Staff);
        var page = await browser.GetPageAsync($"/staff/reports/{id}");
        var suggestion = page.QuerySelectorAll("#equivalences li").Single(li => li.TextContent.Contains("房钿") && li.TextContent.Contains("摊位费"));
        var fields = suggestion.QuerySelectorAll("form input").OfType<AngleSharp.Html.Dom.IHtmlInputElement>()
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value)).Append(new("decision", "confirm")).ToList();
        Assert.Equal(["房钿", "摊位费"], fields.Where(f => f.Key == "words").Select(f => f.Value).Order(StringComparer.Ordinal));
        var confirmed = await browser.PostAsync($"/staff/reports/{id}/equivalences", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        page = await browser.GetPageAsync($"/staff/reports/{id}");
        Assert.DoesNotContain(page.QuerySelectorAll("#equivalences li"), li => li.TextContent.Contains("房钿") && li.TextContent.Contains("摊位费"));
        Assert.NotNull(suggestion);

        // A late comment arrives and everything is clustered again: the moved comments stay, and the late one joins them.
        var late = await AddCommentAsync(id, Late);
        var after = await (await staff.PostAsync($"/api/v1/decisions/{id}/review/recluster", null)).JsonAsync();
        Assert.True(fees == ClusterOf(after, comments[3]), "the first moved comment left the staff's cluster");
        Assert.True(fees == ClusterOf(after, comments[4]), "the second moved comment left the staff's cluster");
        Assert.True(fees == ClusterOf(after, late), "the late comment did not join the staff's cluster");

        // The unit's next decision is clustered with the confirmed words in its lexicon, and they are not suggested there again.
        var (next, _) = await DecisionAsync([.. StallFees, .. Rent, .. MarketOthers]);
        var nextReview = await ReviewAsync(staff, next);
        Assert.DoesNotContain(nextReview.GetProperty("suggestions").EnumerateArray(), s => s.GetProperty("words").EnumerateArray().Any(w => w.GetString() == "房钿"));
    }

    [Fact]
    public async Task Equivalences_that_are_not_two_to_eight_words_are_refused_with_a_reason()
    {
        var (id, _) = await DecisionAsync([.. StallFees, .. MarketOthers]);
        var staff = await StaffAsync();
        foreach (var words in new[] { new[] { "房钿" }, new[] { "房钿", "房钿" }, new[] { "房 钿", "租金" }, Enumerable.Range(0, 9).Select(i => "词" + i).ToArray(), new[] { new string('长', 21), "租金" } })
        {
            var response = await staff.PostAsJsonAsync($"/api/v1/decisions/{id}/review/equivalences", new { words, confirm = true });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal("words", (await response.JsonAsync()).GetProperty("errors").EnumerateObject().Single().Name);
        }
        Assert.Equal(0, await factory.WithDbAsync(db => db.Set<UnitEquivalence>().CountAsync(e => e.Words.Contains("词") || e.Words.Contains("长长") || e.Words == "房钿")));
    }

    [Fact]
    public async Task Staff_work_through_the_pages_issue_answer_a_cluster_and_publish()
    {
        var (id, comments) = await DecisionAsync([.. MealCampaign, .. Others]);
        var browser = factory.CreateBrowser("en");
        await browser.SignInAsync(Staff);
        var page = await browser.GetPageAsync($"/staff/reports/{id}");
        var issued = await browser.SubmitAsync(page, $"/staff/reports/{id}/issue",
            new Dictionary<string, string> { ["IssuedOn"] = "2026-11-16", ["DocumentNumber"] = "长民规〔2026〕7号" });
        Assert.Equal(HttpStatusCode.Redirect, issued.StatusCode);

        page = await browser.GetPageAsync($"/staff/reports/{id}");
        Assert.Contains("2026-11-30", page.QuerySelector("#deadline")!.TextContent);
        var refused = await browser.SubmitAsync(page, $"/staff/reports/{id}/publish");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var refusal = (await refused.ParseAsync()).QuerySelector("#publish-refused")!;
        var blocking = refusal.QuerySelectorAll("a[href^='#cluster-']").Select(a => a.GetAttribute("href")!).ToList();
        Assert.NotEmpty(blocking);

        // Answer each cluster for all its comments at once.
        foreach (var cluster in page.QuerySelectorAll("article.review-cluster"))
        {
            var clusterId = cluster.Id!["cluster-".Length..];
            var answered = await browser.SubmitAsync(page, $"/staff/reports/{id}/clusters/{clusterId}",
                new Dictionary<string, string> { ["outcome"] = "not-adopted", ["reason"] = "Beyond the district's budget this year." });
            Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        }
        page = await browser.GetPageAsync($"/staff/reports/{id}");
        var published = await browser.SubmitAsync(page, $"/staff/reports/{id}/publish");
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        Assert.Equal($"/decisions/{id}/report", published.Headers.Location!.OriginalString);

        var report = await browser.GetPageAsync($"/decisions/{id}/report");
        Assert.Equal(comments.Length.ToString(), report.QuerySelectorAll("#outcome-table td")[2].TextContent);
        Assert.Equal(comments.Length, report.QuerySelectorAll("#all-comments tbody tr").Length);
        var csv = await browser.GetAsync($"/decisions/{id}/report.csv");
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal(comments.Length + 1, Encoding.UTF8.GetString(bytes).Trim().Split("\r\n").Length);
        var json = await browser.GetAsync($"/decisions/{id}/report.json");
        Assert.Equal(comments.Length, (await json.JsonAsync()).GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task The_demo_has_a_published_report_and_one_due_in_the_coming_days()
    {
        var airport = await factory.WithDbAsync(db => db.Set<Decision>().Where(d => d.Title.Contains("临空")).Select(d => d.Id).SingleAsync());
        var care = await factory.WithDbAsync(db => db.Set<Decision>().Where(d => d.Title.Contains("嵌入式养老")).Select(d => d.Id).SingleAsync());
        var report = await (await factory.CreateClient().GetAsync($"/api/v1/decisions/{airport}/report")).JsonAsync();
        Assert.True(report.GetProperty("onTime").GetBoolean());
        Assert.Contains(report.GetProperty("comments").EnumerateArray(), c => c.GetProperty("channel").GetString() == "field-visit");
        foreach (var language in new[] { "zh-CN", "en" })
        {
            var page = await factory.CreateBrowser(language).GetPageAsync($"/decisions/{airport}/report");
            Assert.NotNull(page.QuerySelector("#outcome-table"));
            Assert.NotNull(page.QuerySelector("#on-time"));
        }
        var admin = await factory.CreateClient().AsAsync("admin@example.org");
        var dashboard = await (await admin.GetAsync("/api/v1/reports/dashboard")).JsonAsync();
        var due = dashboard.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("decisionId").GetInt32() == care);
        Assert.Equal(2, due.GetProperty("workingDaysLeft").GetInt32());
        Assert.Equal(JsonValueKind.Null, due.GetProperty("publishedAt").ValueKind);
    }
}

public sealed class AdoptionTests_Sqlite(SqliteFactory factory) : AdoptionTests<SqliteFactory>(factory);
public sealed class AdoptionTests_Postgres(PostgresFactory factory) : AdoptionTests<PostgresFactory>(factory);
