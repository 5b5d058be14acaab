using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Faq;
using Engagement.Web.Features.Messages;
using Microsoft.EntityFrameworkCore;

namespace Engagement.IntegrationTests.Messages;

/// <summary>
/// Online messages (2022 §三(一)): a resident writes on a draft, staff of the drafting unit triage and reply within the
/// deadline, the published message shows its four fields, an FAQ entry appears on the page. The civil affairs bureau
/// (civil@example.org) drafts each test's decision; the clock is 10:00 on Monday 23 November 2026 in Shanghai.
/// </summary>
public abstract class MessagesTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    private const string Staff = "civil@example.org";
    private const string Resident = "resident1@example.org";

    private async Task<int> DecisionAsync() => await factory.WithDbAsync(async db =>
    {
        var unit = await db.Units.Where(u => u.Name == "区民政局").Select(u => u.Id).SingleAsync();
        var catalog = await db.Set<DecisionCatalog>().FirstAsync(c => c.Year == 2026 && c.UnitId == null);
        var decision = new Decision
        {
            CatalogId = catalog.Id, Year = 2026, Title = "长宁区社区长者食堂运营管理办法 " + Guid.NewGuid().ToString("N")[..6], UnitId = unit,
            Status = DecisionStatus.OpenForComment, CreatedAt = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
        };
        db.Add(decision);
        await db.SaveChangesAsync();
        return decision.Id;
    });

    private async Task<int> UnitIdAsync(string name) => await factory.WithDbAsync(db => db.Units.Where(u => u.Name == name).Select(u => u.Id).SingleAsync());

    /// <summary>A message as if it had arrived at <paramref name="receivedAt"/>, straight into the database.</summary>
    private async Task<long> ArrivedAsync(int decisionId, DateTimeOffset receivedAt, string text, bool consent = true) => await factory.WithDbAsync(async db =>
    {
        var author = await db.Users.Where(u => u.Email == Resident).Select(u => u.Id).SingleAsync();
        var unit = await db.Set<Decision>().Where(d => d.Id == decisionId).Select(d => d.UnitId).SingleAsync();
        var message = new Message
        {
            AuthorId = author, Page = $"/decisions/{decisionId}", DecisionId = decisionId, Text = text, PublicText = text, TextHash = Comments.Hash(text),
            ConsentToPublish = consent, ReceivedAt = receivedAt, Status = MessageStatus.Received, UnitId = unit,
        };
        db.Add(message);
        await db.SaveChangesAsync();
        return message.Id;
    });

    private async Task<HttpClient> StaffBrowserAsync(string email = Staff)
    {
        var browser = factory.CreateBrowser();
        await browser.SignInAsync(email);
        return browser;
    }

    private static async Task<HttpResponseMessage> TriageAsync(HttpClient staff, long id, string kind = "PolicyQuestion", bool simple = false, string? note = null, int? unitId = null)
    {
        var page = await staff.GetPageAsync($"/staff/messages/{id}");
        var values = new Dictionary<string, string> { ["kind"] = kind, ["note"] = note ?? "" };
        if (simple) values["simple"] = "true";
        if (unitId is not null) values["unitId"] = unitId.Value.ToString();
        return await staff.SubmitAsync(page, $"/staff/messages/{id}/triage", values);
    }

    private static async Task<HttpResponseMessage> ReplyAsync(HttpClient staff, long id, string reply)
    {
        var page = await staff.GetPageAsync($"/staff/messages/{id}");
        return await staff.SubmitAsync(page, $"/staff/messages/{id}/reply", new Dictionary<string, string> { ["reply"] = reply });
    }

    private async Task<Message> MessageAsync(long id) => await factory.WithDbAsync(db => db.Set<Message>().AsNoTracking().SingleAsync(m => m.Id == id));

    [Fact]
    public async Task A_message_on_a_draft_is_triaged_replied_on_time_published_with_four_fields_and_becomes_an_faq_entry()
    {
        var decision = await DecisionAsync();
        var resident = await factory.CreateClient().AsAsync(Resident);
        var posted = await resident.PostAsJsonAsync("/api/v1/messages", new
        {
            text = "长者食堂的助餐补贴怎么申请？我的电话 13812345678，身份证 110101199003074477。", decisionId = decision, consentToPublish = true,
        });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var created = await posted.JsonAsync();
        var id = created.GetProperty("id").GetInt64();
        // Five working days from Monday 23 November: Tuesday 24 to Monday 30 November.
        Assert.Equal("2026-11-30", created.GetProperty("dueOn").GetString());
        Assert.Equal($"/decisions/{decision}", created.GetProperty("page").GetString());

        // Nothing is public before the reply; the staff of the drafting unit see it in their queue with the due date.
        Assert.Equal(0, (await (await factory.CreateClient().GetAsync("/api/v1/messages")).JsonAsync()).GetProperty("items").EnumerateArray()
            .Count(m => m.GetProperty("id").GetInt64() == id));
        var staff = await StaffBrowserAsync();
        var queue = await staff.GetPageAsync("/staff/messages");
        Assert.Contains("2026-11-30", queue.QuerySelector($"#queue-{id}")!.TextContent);

        // Triage: a simple policy question, due the next working day; the reply is on time.
        Assert.Equal(HttpStatusCode.Redirect, (await TriageAsync(staff, id, simple: true)).StatusCode);
        Assert.Equal(new DateOnly(2026, 11, 24), (await MessageAsync(id)).DueOn);
        const string answer = "符合条件的本区户籍老年人可持身份证到所在街道社区事务受理服务中心申请，助餐补贴按月发放到敬老卡。";
        Assert.Equal(HttpStatusCode.Redirect, (await ReplyAsync(staff, id, answer)).StatusCode);
        var replied = await MessageAsync(id);
        Assert.Equal(MessageStatus.Replied, replied.Status);
        Assert.True(replied.RepliedOnTime);
        Assert.Equal(0, replied.WorkingDaysToReply);

        // The author is told and sees the reply privately.
        var mail = await factory.WaitForTextAsync(Resident, answer);
        Assert.Contains("答复", mail.Subject);
        Assert.Contains($"/messages/mine#message-{id}", mail.TextBody);
        var author = factory.CreateBrowser();
        await author.SignInAsync(Resident);
        var mine = await author.GetPageAsync("/messages/mine");
        Assert.Contains(answer, mine.QuerySelector($"#message-{id}")!.TextContent);

        // Published: the masked text and the four fields, on the draft's page and through the API.
        var detail = await staff.GetPageAsync($"/staff/messages/{id}");
        var publish = await staff.SubmitAsync(detail, $"/staff/messages/{id}/publish");
        Assert.Equal(HttpStatusCode.Redirect, publish.StatusCode);
        var page = await factory.CreateBrowser().GetPageAsync($"/decisions/{decision}");
        var shown = page.QuerySelector($"#message-{id}")!;
        Assert.Contains("138****5678", shown.QuerySelector(".message-text")!.TextContent);
        Assert.DoesNotContain("13812345678", page.DocumentElement.OuterHtml);
        Assert.DoesNotContain("110101199003074477", page.DocumentElement.OuterHtml);
        Assert.Equal("2026-11-23 10:00", shown.QuerySelector(".message-time")!.TextContent.Trim());
        Assert.Equal("2026-11-23 10:00", shown.QuerySelector(".reply-time")!.TextContent.Trim());
        Assert.Equal("区民政局", shown.QuerySelector(".replying-unit")!.TextContent.Trim());
        Assert.Equal(answer, shown.QuerySelector(".reply-text")!.TextContent.Trim());
        var api = await (await factory.CreateClient().GetAsync($"/api/v1/messages?unit={await UnitIdAsync("区民政局")}&published=true")).JsonAsync();
        var item = api.GetProperty("items").EnumerateArray().Single(m => m.GetProperty("id").GetInt64() == id);
        Assert.Equal("区民政局", item.GetProperty("replyingUnit").GetString());
        Assert.Equal(answer, item.GetProperty("reply").GetString());
        Assert.DoesNotContain("13812345678", item.GetProperty("text").GetString());
        Assert.True(item.TryGetProperty("messageTime", out _) && item.TryGetProperty("replyTime", out _));

        // The FAQ: one action from the message, shown on the same page; a second time is refused.
        detail = await staff.GetPageAsync($"/staff/messages/{id}");
        var faq = await staff.SubmitAsync(detail, $"/staff/messages/{id}/faq", new Dictionary<string, string>
        {
            ["question"] = "长者食堂的助餐补贴怎么申请？", ["answer"] = answer,
        });
        Assert.Equal(HttpStatusCode.Redirect, faq.StatusCode);
        page = await factory.CreateBrowser().GetPageAsync($"/decisions/{decision}");
        Assert.Contains("长者食堂的助餐补贴怎么申请？", page.QuerySelector("#faq")!.TextContent);
        Assert.Equal(1, await factory.WithDbAsync(db => db.Set<FaqEntry>().CountAsync(f => f.Source == FaqService.MessageSource && f.SourceId == id)));
        Assert.NotNull((await staff.GetPageAsync($"/staff/messages/{id}")).QuerySelector("#in-faq"));
    }

    [Fact]
    public async Task Bad_messages_are_refused_with_a_reason_and_nothing_is_saved()
    {
        var decision = await DecisionAsync();
        var resident = await factory.CreateClient().AsAsync(Resident);
        var before = await factory.WithDbAsync(db => db.Set<Message>().CountAsync());

        var empty = await resident.PostAsJsonAsync("/api/v1/messages", new { text = " \u200b ", decisionId = decision });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);
        Assert.True((await empty.JsonAsync()).GetProperty("errors").TryGetProperty("text", out _));
        var tooLong = await resident.PostAsJsonAsync("/api/v1/messages", new { text = new string('长', MessageRules.MaxLength + 1) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        var unknown = await resident.PostAsJsonAsync("/api/v1/messages", new { text = "请问办理流程？", decisionId = 987654 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.True((await unknown.JsonAsync()).GetProperty("errors").TryGetProperty("decisionId", out _));
        var malformed = await resident.PostAsync("/api/v1/messages", new StringContent("{\"text\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        var wrongType = await resident.PostAsync("/api/v1/messages", new StringContent("{\"text\": 5}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        var huge = await resident.PostAsync("/api/v1/messages", new StringContent("{\"text\":\"" + new string('a', 40_000) + "\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        var anonymous = await factory.CreateClient().PostAsJsonAsync("/api/v1/messages", new { text = "请问办理流程？" });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(before, await factory.WithDbAsync(db => db.Set<Message>().CountAsync()));

        // The same text twice (also in a different width or spacing) is one message.
        var text = $"长者食堂的菜单能否每周公布？{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.Created, (await resident.PostAsJsonAsync("/api/v1/messages", new { text, decisionId = decision })).StatusCode);
        var again = await resident.PostAsJsonAsync("/api/v1/messages", new { text = "  " + text + " ", decisionId = decision });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.True((await again.JsonAsync()).GetProperty("existingId").GetInt64() > 0);
        Assert.Equal(before + 1, await factory.WithDbAsync(db => db.Set<Message>().CountAsync()));

        // Markup is kept as text and shown escaped.
        var hostile = await resident.PostAsJsonAsync("/api/v1/messages", new { text = "<script>alert(1)</script>请问？" });
        Assert.Equal(HttpStatusCode.Created, hostile.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.CreateClient().GetAsync("/api/v1/messages?published=false")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await factory.CreateClient().GetAsync("/api/v1/messages?pageSize=1000")).StatusCode);

        // The form says the same in words and keeps what was typed.
        var browser = factory.CreateBrowser();
        await browser.SignInAsync(Resident);
        var board = await browser.GetPageAsync("/messages");
        var form = await browser.SubmitAsync(board, "/messages", new Dictionary<string, string> { ["Text"] = new string('长', MessageRules.MaxLength + 5) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, form.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace((await form.ParseAsync()).QuerySelector("#Text-error")!.TextContent));
    }

    [Fact]
    public async Task Deadlines_across_a_holiday_are_counted_from_arrival_and_a_late_reply_is_recorded_as_late()
    {
        var decision = await DecisionAsync();
        // Arrived Wednesday 30 September (10:00 in Shanghai), before the National Day days off.
        var early = await ArrivedAsync(decision, new DateTimeOffset(2026, 9, 30, 2, 0, 0, TimeSpan.Zero), "国庆期间长者食堂是否照常供餐？");
        var other = await ArrivedAsync(decision, new DateTimeOffset(2026, 9, 30, 2, 0, 0, TimeSpan.Zero), "国庆期间养老院探视时间有调整吗？");
        var staff = await StaffBrowserAsync();
        await TriageAsync(staff, early, simple: true);
        await TriageAsync(staff, other, simple: false);
        Assert.Equal(new DateOnly(2026, 10, 8), (await MessageAsync(early)).DueOn);
        Assert.Equal(new DateOnly(2026, 10, 13), (await MessageAsync(other)).DueOn);

        // Both are overdue on 23 November; the queue and the admin home say so.
        var queue = await staff.GetPageAsync("/staff/messages");
        Assert.Contains("overdue", queue.QuerySelector($"#queue-{early}")!.ClassName);
        var admin = await StaffBrowserAsync("admin@example.org");
        Assert.NotNull((await admin.GetPageAsync("/admin")).QuerySelector("#messages-overdue"));

        await ReplyAsync(staff, early, "国庆期间各长者食堂照常供餐，节假日菜单在食堂公告栏公布。");
        var late = await MessageAsync(early);
        Assert.False(late.RepliedOnTime);
        // Working days from 1 October to 23 November 2026: 8, 9, 10 (make-up), 12-16, ... 23 November.
        Assert.Equal(await factory.WithServiceAsync<Web.Features.Calendar.CalendarService, int>(async c =>
            (await c.CurrentAsync()).WorkingDaysBetween(new DateOnly(2026, 9, 30), new DateOnly(2026, 11, 23))), late.WorkingDaysToReply);
        Assert.Contains("超期答复", (await staff.GetPageAsync($"/staff/messages/{early}")).QuerySelector("#replied-on-time")!.TextContent);
    }

    [Fact]
    public async Task Reminders_go_to_the_unit_before_and_on_the_due_day_and_overdue_messages_are_escalated_once()
    {
        var decision = await DecisionAsync();
        // Arrived Friday 20 November: simple, due Monday 23 November (today).
        var today = await ArrivedAsync(decision, new DateTimeOffset(2026, 11, 20, 2, 0, 0, TimeSpan.Zero), $"今天到期的问题 {Guid.NewGuid():N}");
        // Arrived Tuesday 10 November: 5 working days, due Tuesday 17 November, overdue.
        var overdue = await ArrivedAsync(decision, new DateTimeOffset(2026, 11, 10, 2, 0, 0, TimeSpan.Zero), $"超期的问题 {Guid.NewGuid():N}");
        var staff = await StaffBrowserAsync();
        await TriageAsync(staff, today, simple: true);
        await TriageAsync(staff, overdue, simple: false);

        var sent = await factory.WithServiceAsync<MessageService, int>(s => s.SendRemindersAsync());
        Assert.True(sent >= 2);
        Assert.Contains($"/staff/messages/{today}", (await factory.WaitForAsync(Staff, $"留言 {today} 今天到期")).TextBody);
        Assert.Contains($"/staff/messages/{overdue}", (await factory.WaitForAsync("admin@example.org", $"留言 {overdue} 已超期")).TextBody);
        Assert.NotNull((await MessageAsync(overdue)).EscalatedAt);
        Assert.Equal(2, await factory.WithDbAsync(db => db.Set<MessageReminder>().CountAsync(r => r.MessageId == today || r.MessageId == overdue)));

        // A second pass (or a second instance) sends nothing again.
        await factory.WithServiceAsync<MessageService, int>(s => s.SendRemindersAsync());
        Assert.Equal(2, await factory.WithDbAsync(db => db.Set<MessageReminder>().CountAsync(r => r.MessageId == today || r.MessageId == overdue)));
    }

    [Fact]
    public async Task Only_the_units_staff_handle_a_message_and_triage_and_publication_keep_their_rules()
    {
        var decision = await DecisionAsync();
        var id = await ArrivedAsync(decision, EngagementFactory.Now.AddHours(-1), "我的拆迁补偿问题多年未解决，要求处理。", consent: false);
        // Another unit's staff can neither see nor triage it.
        var housing = await StaffBrowserAsync("housing@example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await housing.GetAsync($"/staff/messages/{id}")).StatusCode);
        var resident = factory.CreateBrowser();
        await resident.SignInAsync(Resident);
        Assert.NotEqual(HttpStatusCode.OK, (await resident.GetAsync($"/staff/messages/{id}")).StatusCode);

        var staff = await StaffBrowserAsync();
        // A reply needs triage first; a petition matter needs a note to the author.
        var early = await factory.WithServiceAsync<MessageService, MessageResult>(s => s.ReplyAsync(id, StaffPrincipal(), "请到信访办。"));
        Assert.Equal(MessageOutcome.Invalid, early.Outcome);
        Assert.Null((await staff.GetPageAsync($"/staff/messages/{id}")).QuerySelector("#reply-text"));
        var noNote = await TriageAsync(staff, id, kind: "Petition");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noNote.StatusCode);
        Assert.NotNull((await noNote.ParseAsync()).QuerySelector("#message-error"));
        var transferred = await TriageAsync(staff, id, kind: "Petition", note: "属于信访事项，已转区信访办办理，承办人将在 15 日内联系您。");
        Assert.Equal(HttpStatusCode.Redirect, transferred.StatusCode);
        var message = await MessageAsync(id);
        Assert.Equal(MessageStatus.Transferred, message.Status);
        Assert.Contains("转办", (await factory.WaitForTextAsync(Resident, "已转区信访办办理，承办人将在 15 日内联系您")).Subject);

        // Closed: no more triage or reply; without consent it cannot be published.
        var again = await factory.WithServiceAsync<MessageService, MessageResult>(s => s.ReplyAsync(id, StaffPrincipal(), "再次答复"));
        Assert.Equal(MessageOutcome.Conflict, again.Outcome);
        Assert.Null((await staff.GetPageAsync($"/staff/messages/{id}")).QuerySelector("#triage"));
        var publish = await factory.WithServiceAsync<MessageService, MessageResult>(s => s.PublishAsync(id, StaffPrincipal(), true));
        Assert.Equal(MessageOutcome.Invalid, publish.Outcome);
    }

    [Fact]
    public async Task Hand_masking_may_only_hide_more_and_two_replies_at_once_keep_one()
    {
        var decision = await DecisionAsync();
        var id = await ArrivedAsync(decision, EngagementFactory.Now.AddHours(-2), "我是仙霞路 300 弄的王阿姨，食堂能送餐上门吗？");
        var staff = await StaffBrowserAsync();
        await TriageAsync(staff, id);

        // Two staff replying at the same moment: one reply stands, the other is told.
        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => factory.WithServiceAsync<MessageService, MessageResult>(s =>
            s.ReplyAsync(id, StaffPrincipal(), $"可以，由街道助餐服务点提供送餐服务（答复 {i}）。"))));
        Assert.Single(results, r => r.Outcome == MessageOutcome.Done);
        Assert.Single(results, r => r.Outcome == MessageOutcome.Conflict);

        var detail = await staff.GetPageAsync($"/staff/messages/{id}");
        var rewritten = await staff.SubmitAsync(detail, $"/staff/messages/{id}/publish", new Dictionary<string, string>
        {
            ["publicText"] = "我是居民，食堂能送餐上门吗？这是改写的内容，长度也不同。",
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, rewritten.StatusCode);
        var original = (await MessageAsync(id)).PublicText;
        var masked = original.Replace("仙霞路 300 弄的王阿姨", new string('*', "仙霞路 300 弄的王阿姨".Length));
        var ok = await staff.SubmitAsync(detail, $"/staff/messages/{id}/publish", new Dictionary<string, string> { ["publicText"] = masked });
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        var page = await factory.CreateBrowser().GetPageAsync($"/decisions/{decision}");
        Assert.DoesNotContain("王阿姨", page.QuerySelector($"#message-{id}")!.TextContent);
    }

    [Fact]
    public async Task Staff_keep_the_faq_of_their_pages_from_messages_comments_and_their_own_words()
    {
        var decision = await DecisionAsync();
        var comment = await factory.WithDbAsync(async db =>
        {
            var author = await db.Users.Where(u => u.Email == Resident).Select(u => u.Id).SingleAsync();
            var c = new Comment
            {
                DecisionId = decision, AuthorId = author, Text = "长者食堂的价格由谁来定？", PublicText = "长者食堂的价格由谁来定？", Status = CommentStatus.Published,
                Channel = CommentChannel.Online, CreatedAt = EngagementFactory.Now.AddDays(-1), TextHash = Comments.Hash("长者食堂的价格由谁来定？"),
            };
            db.Add(c);
            await db.SaveChangesAsync();
            return c.Id;
        });
        var page = $"/decisions/{decision}";
        var staff = await StaffBrowserAsync();
        var editor = await staff.GetPageAsync($"/staff/faq?page={Uri.EscapeDataString(page)}");
        Assert.NotNull(editor.QuerySelector($"#candidate-comment-{comment}"));

        // From the comment: the question is filled in; staff write the answer.
        editor = await staff.GetPageAsync($"/staff/faq?page={Uri.EscapeDataString(page)}&source=comment&sourceId={comment}");
        var added = await staff.SubmitAsync(editor, "/staff/faq", new Dictionary<string, string>
        {
            ["question"] = "长者食堂的价格由谁来定？", ["answer"] = "由街道会同运营方按成本定价，报区民政局备案并公示。",
        });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var entry = await factory.WithDbAsync(db => db.Set<FaqEntry>().SingleAsync(f => f.Source == FaqService.CommentSource && f.SourceId == comment));
        Assert.Equal(page, entry.Page);

        // Another page's item cannot be linked here; empty answers are refused.
        var otherDecision = await DecisionAsync();
        var otherMessage = await ArrivedAsync(otherDecision, EngagementFactory.Now.AddHours(-1), "另一页的问题？");
        var wrong = await staff.SubmitAsync(editor, "/staff/faq", new Dictionary<string, string>
        {
            ["question"] = "另一页的问题？", ["answer"] = "答案", ["source"] = "message", ["sourceId"] = otherMessage.ToString(),
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        var empty = await staff.SubmitAsync(editor, "/staff/faq", new Dictionary<string, string> { ["question"] = "问题？", ["answer"] = " ", ["source"] = "", ["sourceId"] = "" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode);

        // Kept current: reworded, then removed, and the public page follows.
        editor = await staff.GetPageAsync($"/staff/faq?page={Uri.EscapeDataString(page)}");
        var updated = await staff.SubmitAsync(editor, $"/staff/faq/{entry.Id}", new Dictionary<string, string>
        {
            ["question"] = "长者食堂的价格怎么定？", ["answer"] = "2027 年起由区民政局统一指导定价。",
        });
        Assert.Equal(HttpStatusCode.Redirect, updated.StatusCode);
        Assert.Contains("2027 年起", (await factory.CreateBrowser().GetPageAsync(page)).QuerySelector("#faq")!.TextContent);
        // Staff of another unit may not touch this page's FAQ.
        var housing = await StaffBrowserAsync("housing@example.org");
        var denied = await housing.GetAsync($"/staff/faq?page={Uri.EscapeDataString(page)}");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("/account/denied", denied.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync("/staff/faq?page=%2Fadmin")).StatusCode);
        editor = await staff.GetPageAsync($"/staff/faq?page={Uri.EscapeDataString(page)}");
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync(editor, $"/staff/faq/{entry.Id}/delete")).StatusCode);
        Assert.Null((await factory.CreateBrowser().GetPageAsync(page)).QuerySelector("#faq"));
    }

    [Fact]
    public async Task The_same_figures_appear_on_the_home_page_the_unit_page_the_statistics_page_its_csv_and_the_api()
    {
        var decision = await DecisionAsync();
        var unit = await UnitIdAsync("区民政局");
        async Task<JsonElement> ApiAsync(string query = "") => await (await factory.CreateClient().GetAsync("/api/v1/statistics?year=2026" + query)).JsonAsync();
        var before = await ApiAsync();

        // One more message, replied on time.
        var id = await ArrivedAsync(decision, EngagementFactory.Now.AddHours(-3), $"统计口径测试 {Guid.NewGuid():N}");
        var staff = await StaffBrowserAsync();
        await TriageAsync(staff, id, simple: true);
        await ReplyAsync(staff, id, "已答复。");

        var district = await ApiAsync();
        var messages = district.GetProperty("messages");
        Assert.Equal(before.GetProperty("messages").GetProperty("received").GetInt32() + 1, messages.GetProperty("received").GetInt32());
        Assert.Equal(before.GetProperty("messages").GetProperty("replied").GetInt32() + 1, messages.GetProperty("replied").GetInt32());
        var byUnit = await ApiAsync($"&unit={unit}");

        static string Stat(AngleSharp.Html.Dom.IHtmlDocument page, string name) => page.QuerySelector($"[data-stat='{name}']")!.GetAttribute("data-value")!;
        static string Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? "" : e.GetRawText();
        var home = await factory.CreateBrowser().GetPageAsync("/");
        var statistics = await factory.CreateBrowser().GetPageAsync("/statistics?year=2026");
        var unitStatistics = await factory.CreateBrowser().GetPageAsync($"/statistics?year=2026&unit={unit}");
        var unitPage = await factory.CreateBrowser().GetPageAsync($"/units/{unit}?year=2026");
        foreach (var page in new[] { home, statistics })
        {
            Assert.Equal(Number(messages.GetProperty("received")), Stat(page, "messages.received"));
            Assert.Equal(Number(messages.GetProperty("onTimeRate")), Stat(page, "messages.onTimeRate"));
            Assert.Equal(district.GetProperty("months").EnumerateArray().Sum(m => m.GetProperty("comments").GetInt32()).ToString(), Stat(page, "comments.total"));
            Assert.Equal(Number(district.GetProperty("meetings").GetProperty("withRepresentatives")), Stat(page, "meetings.withRepresentatives"));
            Assert.Equal(Number(district.GetProperty("openMonth").GetProperty("attended")), Stat(page, "openMonth.attended"));
        }
        foreach (var page in new[] { unitStatistics, unitPage })
        {
            Assert.Equal(Number(byUnit.GetProperty("messages").GetProperty("received")), Stat(page, "messages.received"));
            Assert.Equal(Number(byUnit.GetProperty("messages").GetProperty("medianWorkingDays")), Stat(page, "messages.medianWorkingDays"));
            Assert.Equal(Number(byUnit.GetProperty("adoption").GetProperty("adoptionRate")), Stat(page, "adoption.rate"));
        }
        // The unit's row in the district figures is the unit's own figures.
        var row = messages.GetProperty("byUnit").EnumerateArray().Single(u => u.ValueKind == JsonValueKind.Object && u.GetProperty("unitId").ValueKind == JsonValueKind.Number && u.GetProperty("unitId").GetInt32() == unit);
        Assert.Equal(byUnit.GetProperty("messages").GetProperty("received").GetInt32(), row.GetProperty("received").GetInt32());
        Assert.Equal(byUnit.GetProperty("messages").GetProperty("replied").GetInt32(), row.GetProperty("replied").GetInt32());

        var csv = await (await factory.CreateClient().GetAsync("/statistics.csv?year=2026")).Content.ReadAsStringAsync();
        Assert.Contains($"messages,\"received\",{messages.GetProperty("received").GetInt32()}\r\n", csv);
        Assert.Contains($"messages,\"replied\",{messages.GetProperty("replied").GetInt32()}\r\n", csv);
    }

    [Theory]
    [InlineData("/api/v1/statistics?year=abc", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/statistics?year=1900", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/statistics?year=99999999999", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/statistics?unit=x", HttpStatusCode.BadRequest)]
    [InlineData("/api/v1/statistics?unit=99999", HttpStatusCode.NotFound)]
    [InlineData("/api/v1/statistics?year=2024", HttpStatusCode.OK)]
    [InlineData("/statistics?year=1900", HttpStatusCode.BadRequest)]
    [InlineData("/statistics?unit=99999", HttpStatusCode.NotFound)]
    [InlineData("/units/99999", HttpStatusCode.NotFound)]
    public async Task Statistics_requests_are_checked(string url, HttpStatusCode expected) =>
        Assert.Equal(expected, (await factory.CreateBrowser().GetAsync(url)).StatusCode);

    private ClaimsPrincipal StaffPrincipal()
    {
        var id = factory.WithDbAsync(db => db.Users.Where(u => u.Email == Staff).Select(u => u.Id).SingleAsync()).GetAwaiter().GetResult();
        return new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, id.ToString()), new Claim(ClaimTypes.Name, Staff), new Claim(ClaimTypes.Role, Web.Features.Accounts.Roles.Staff),
        ], "test"));
    }
}

public sealed class MessagesTests_Sqlite(SqliteFactory factory) : MessagesTests<SqliteFactory>(factory);
public sealed class MessagesTests_Postgres(PostgresFactory factory) : MessagesTests<PostgresFactory>(factory);
