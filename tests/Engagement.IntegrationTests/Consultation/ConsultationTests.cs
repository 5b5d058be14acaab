using System.Net;
using System.Net.Http.Json;
using System.Text;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Consultation;
using Microsoft.EntityFrameworkCore;

namespace Engagement.IntegrationTests.Consultation;

/// <summary>
/// Commenting on a draft, reviewed before it is public (2023 §八), on the demo decisions: 1 open for comment
/// (housing bureau, moderated by housing@example.org), 2 closed, 3 decided and enterprise-related.
/// </summary>
public abstract class ConsultationTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    private Task<int> DecisionIdAsync(string titlePart) =>
        factory.WithDbAsync(db => db.Set<Decision>().Where(d => d.Title.Contains(titlePart)).Select(d => d.Id).SingleAsync());

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_comment_is_pending_until_the_drafting_units_moderator_approves_it_and_then_public_with_personal_data_masked()
    {
        var id = await DecisionIdAsync("加装电梯");
        var resident = await factory.CreateClient().AsAsync("resident1@example.org");

        var posted = await resident.PostAsJsonAsync($"/api/v1/decisions/{id}/comments",
            new { text = "建议第四条明确出租房业主的表决方式。有问题请打13912345678找我。", paragraph = 4 });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var created = await posted.JsonAsync();
        Assert.Equal("pending", created.GetProperty("status").GetString());
        var commentId = created.GetProperty("id").GetInt64();

        // Pending: not public, not seen by other residents, seen by its author.
        Assert.DoesNotContain(await PublicTextsAsync(id), t => t.Contains("出租房业主"));
        var author = factory.CreateBrowser();
        await author.SignInAsync("resident1@example.org");
        var mine = await author.GetPageAsync($"/decisions/{id}");
        Assert.Contains("出租房业主", mine.QuerySelector($"#my-comment-{commentId}")!.TextContent);
        var other = factory.CreateBrowser();
        await other.SignInAsync("resident2@example.org");
        Assert.DoesNotContain("出租房业主", (await other.GetPageAsync($"/decisions/{id}")).Body!.TextContent);

        // Staff of another unit may not approve it; the drafting unit's staff may.
        var civil = await factory.CreateClient().AsAsync("civil@example.org");
        Assert.Equal(HttpStatusCode.Forbidden, (await civil.PostAsync($"/api/v1/moderation/comments/{commentId}/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await resident.PostAsync($"/api/v1/moderation/comments/{commentId}/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().PostAsync($"/api/v1/moderation/comments/{commentId}/approve", null)).StatusCode);
        var cookieOnly = factory.CreateBrowser();
        await cookieOnly.SignInAsync("housing@example.org");
        Assert.Equal(HttpStatusCode.Unauthorized, (await cookieOnly.PostAsync($"/api/v1/moderation/comments/{commentId}/approve", null)).StatusCode);
        var housing = await factory.CreateClient().AsAsync("housing@example.org");
        Assert.Equal(HttpStatusCode.NoContent, (await housing.PostAsync($"/api/v1/moderation/comments/{commentId}/approve", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await housing.PostAsync($"/api/v1/moderation/comments/{commentId}/approve", null)).StatusCode);

        var published = (await PublicTextsAsync(id)).Single(t => t.Contains("出租房业主"));
        Assert.Contains("139****5678", published);
        Assert.DoesNotContain("13912345678", published);
        var page = await factory.CreateBrowser().GetPageAsync($"/decisions/{id}");
        Assert.Contains("139****5678", page.QuerySelector($"#comment-{commentId}")!.TextContent);
        Assert.DoesNotContain("13912345678", page.Body!.InnerHtml);

        await factory.WaitForAsync("resident1@example.org", "已公开");
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "comment.approve" && a.EntityId == commentId.ToString())));
    }

    private async Task<List<string>> PublicTextsAsync(int id)
    {
        var page = await (await factory.CreateClient().GetAsync($"/api/v1/decisions/{id}/comments?pageSize=100")).JsonAsync();
        return page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("text").GetString()!).ToList();
    }

    [Fact]
    public async Task A_moderator_masks_a_name_by_hand_on_the_queue_page_and_cannot_rewrite_the_comment()
    {
        var id = await DecisionIdAsync("加装电梯");
        var resident = await factory.CreateClient().AsAsync("resident3@example.org");
        var created = await (await resident.PostAsJsonAsync($"/api/v1/decisions/{id}/comments", new { text = "我是张秀英，住在天山路。\n希望补贴向老人倾斜。" })).JsonAsync();
        var commentId = created.GetProperty("id").GetInt64();

        var moderator = factory.CreateBrowser();
        await moderator.SignInAsync("housing@example.org");
        var queue = await moderator.GetPageAsync("/moderation");
        var rewrite = await moderator.SubmitAsync(queue, $"/moderation/{commentId}/approve",
            new Dictionary<string, string> { ["publicText"] = "我是张秀英，住在天山路。\r\n希望补贴向所有人倾斜。" });
        Assert.Equal(HttpStatusCode.Redirect, rewrite.StatusCode);
        Assert.Equal(CommentStatus.Pending, await factory.WithDbAsync(db => db.Set<Comment>().Where(c => c.Id == commentId).Select(c => c.Status).SingleAsync()));

        queue = await moderator.GetPageAsync("/moderation");
        var masked = await moderator.SubmitAsync(queue, $"/moderation/{commentId}/approve",
            new Dictionary<string, string> { ["publicText"] = "我是***，住在天山路。\r\n希望补贴向老人倾斜。" });
        Assert.Equal(HttpStatusCode.Redirect, masked.StatusCode);
        var comment = await factory.WithDbAsync(db => db.Set<Comment>().SingleAsync(c => c.Id == commentId));
        Assert.Equal(CommentStatus.Published, comment.Status);
        Assert.Equal("我是***，住在天山路。\n希望补贴向老人倾斜。", comment.PublicText);
        Assert.DoesNotContain(await PublicTextsAsync(id), t => t.Contains("张秀英"));
    }

    [Fact]
    public async Task A_rejected_comment_tells_its_author_why_and_never_becomes_public()
    {
        var id = await DecisionIdAsync("加装电梯");
        var resident = await factory.CreateClient().AsAsync("resident2@example.org");
        var created = await (await resident.PostAsJsonAsync($"/api/v1/decisions/{id}/comments", new { text = "本小区物业收费太高，和电梯无关。" })).JsonAsync();
        var commentId = created.GetProperty("id").GetInt64();

        var housing = await factory.CreateClient().AsAsync("housing@example.org");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await housing.PostAsJsonAsync($"/api/v1/moderation/comments/{commentId}/reject", new { reason = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await housing.PostAsJsonAsync($"/api/v1/moderation/comments/{commentId}/reject", new { reason = "与本草案无关，已转物业管理渠道" })).StatusCode);

        Assert.DoesNotContain(await PublicTextsAsync(id), t => t.Contains("物业收费"));
        var author = factory.CreateBrowser();
        await author.SignInAsync("resident2@example.org");
        Assert.Contains("与本草案无关", (await author.GetPageAsync($"/decisions/{id}")).QuerySelector($"#my-comment-{commentId}")!.TextContent);
        var mail = await factory.WaitForAsync("resident2@example.org", "未予公开");
        Assert.Contains("与本草案无关", mail.TextBody);
    }

    [Fact]
    public async Task A_comment_after_the_period_closed_is_422_saying_when_it_closed()
    {
        var id = await DecisionIdAsync("嵌入式养老");
        var resident = await factory.CreateClient().AsAsync("resident1@example.org");
        var response = await resident.PostAsJsonAsync($"/api/v1/decisions/{id}/comments", new { text = "晚到的意见" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Contains("结束", problem.GetProperty("detail").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, problem.GetProperty("closedAt").ValueKind);
    }

    [Fact]
    public async Task The_same_comment_twice_is_409_pointing_at_the_first()
    {
        var id = await DecisionIdAsync("加装电梯");
        var resident = await factory.CreateClient().AsAsync("resident3@example.org");
        var first = await (await resident.PostAsJsonAsync($"/api/v1/decisions/{id}/comments", new { text = "希望增加无障碍坡道的要求。" })).JsonAsync();
        var again = await resident.PostAsJsonAsync($"/api/v1/decisions/{id}/comments", new { text = "  希望增加无障碍坡道的要求。 " });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(first.GetProperty("id").GetInt64(), (await again.JsonAsync()).GetProperty("existingId").GetInt64());
        Assert.Equal(1, await factory.WithDbAsync(db => db.Set<Comment>().CountAsync(c => c.Text == "希望增加无障碍坡道的要求。")));
    }

    [Theory]
    [InlineData("{\"text\":\"\"}", 422)]
    [InlineData("{\"text\":\"   \\u200B  \"}", 422)]
    [InlineData("{\"text\":\"段落不存在\",\"paragraph\":99}", 422)]
    [InlineData("{\"text\":\"不涉企的草案\",\"organizationName\":\"某公司\",\"creditCode\":\"91350100M000100Y43\"}", 422)]
    [InlineData("{\"text\":", 400)]
    [InlineData("[1,2]", 400)]
    [InlineData("{\"text\":123}", 400)]
    public async Task Bad_comments_are_refused_with_a_reason_and_nothing_is_saved(string body, int status)
    {
        var id = await DecisionIdAsync("加装电梯");
        var before = await factory.WithDbAsync(db => db.Set<Comment>().CountAsync());
        var resident = await factory.CreateClient().AsAsync("resident3@example.org");
        var response = await resident.PostAsync($"/api/v1/decisions/{id}/comments", Json(body));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace((await response.JsonAsync()).GetProperty("detail").GetString()));
        Assert.Equal(before, await factory.WithDbAsync(db => db.Set<Comment>().CountAsync()));
    }

    [Fact]
    public async Task An_over_long_comment_is_422_and_an_oversized_body_413()
    {
        var id = await DecisionIdAsync("加装电梯");
        var resident = await factory.CreateClient().AsAsync("resident3@example.org");
        var tooLong = await resident.PostAsJsonAsync($"/api/v1/decisions/{id}/comments", new { text = new string('长', Comments.MaxLength + 1) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        Assert.Contains("2000", (await tooLong.JsonAsync()).GetProperty("detail").GetString());
        var huge = await resident.PostAsJsonAsync($"/api/v1/decisions/{id}/comments", new { text = new string('x', 200_000) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }

    [Fact]
    public async Task An_oversized_body_without_a_length_is_413_too()
    {
        var id = await DecisionIdAsync("加装电梯");
        var resident = await factory.CreateClient().AsAsync("resident3@example.org");
        var json = Encoding.UTF8.GetBytes("{\"text\":\"" + new string('x', 300_000) + "\"}");
        var chunked = new ChunkedContent(json);
        chunked.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var response = await resident.PostAsync($"/api/v1/decisions/{id}/comments", chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    /// <summary>A body sent without Content-Length (chunked), as a client streaming it would.</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var i = 0; i < bytes.Length; i += 4096) await stream.WriteAsync(bytes.AsMemory(i, Math.Min(4096, bytes.Length - i)));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public async Task Hostile_markup_is_stored_as_text_and_shown_escaped()
    {
        var id = await DecisionIdAsync("加装电梯");
        var resident = await factory.CreateClient().AsAsync("resident1@example.org");
        var created = await (await resident.PostAsJsonAsync($"/api/v1/decisions/{id}/comments",
            new { text = "<script>alert('x')</script><img src=x onerror=alert(1)>很好的草案" })).JsonAsync();
        var commentId = created.GetProperty("id").GetInt64();
        var housing = await factory.CreateClient().AsAsync("housing@example.org");
        await housing.PostAsync($"/api/v1/moderation/comments/{commentId}/approve", null);

        var page = await factory.CreateBrowser().GetPageAsync($"/decisions/{id}");
        var comment = page.QuerySelector($"#comment-{commentId}")!;
        Assert.Contains("<script>alert('x')</script>", comment.TextContent);
        Assert.Empty(comment.QuerySelectorAll("script, img"));
    }

    [Fact]
    public async Task An_enterprise_comments_on_an_enterprise_related_draft_with_a_valid_credit_code()
    {
        var id = await DecisionIdAsync("加装电梯");
        // Make the open demo draft enterprise-related for this test.
        await factory.WithDbAsync(async db => await db.Set<Decision>().Where(d => d.Id == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.EnterpriseRelated, true)));
        try
        {
            var resident = await factory.CreateClient().AsAsync("resident2@example.org");
            var wrong = await resident.PostAsJsonAsync($"/api/v1/decisions/{id}/comments",
                new { text = "电梯企业建议统一维保标准。", organizationName = "上海某电梯工程有限公司", creditCode = "91350100M000100Y44" });
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
            Assert.Contains("creditCode", (await wrong.JsonAsync()).GetProperty("errors").EnumerateObject().Select(p => p.Name));

            var right = await resident.PostAsJsonAsync($"/api/v1/decisions/{id}/comments",
                new { text = "电梯企业建议统一维保标准。", organizationName = "上海某电梯工程有限公司", creditCode = "91350100m000100y43" });
            Assert.Equal(HttpStatusCode.Created, right.StatusCode);
            var saved = await factory.WithDbAsync(db => db.Set<Comment>().SingleAsync(c => c.Text == "电梯企业建议统一维保标准。"));
            Assert.Equal("91350100M000100Y43", saved.CreditCode);
        }
        finally
        {
            await factory.WithDbAsync(async db => await db.Set<Decision>().Where(d => d.Id == id).ExecuteUpdateAsync(s => s.SetProperty(d => d.EnterpriseRelated, false)));
        }
    }

    [Fact]
    public async Task The_catalog_api_filters_open_and_closed_consultations()
    {
        var client = factory.CreateClient();
        var open = await (await client.GetAsync("/api/v1/decisions?status=open")).JsonAsync();
        var openTitles = open.EnumerateArray().Select(d => d.GetProperty("title").GetString()).ToList();
        Assert.Contains(openTitles, t => t!.Contains("加装电梯"));
        Assert.DoesNotContain(openTitles, t => t!.Contains("养老"));
        var first = open.EnumerateArray().First();
        Assert.Equal("openForComment", first.GetProperty("status").GetString());
        Assert.Contains(first.GetProperty("documents").EnumerateArray(), d => d.GetProperty("kind").GetString() == "interpretation");

        var closed = await (await client.GetAsync("/api/v1/decisions?status=closed")).JsonAsync();
        Assert.Contains(closed.EnumerateArray(), d => d.GetProperty("title").GetString()!.Contains("养老") && d.GetProperty("status").GetString() is "decided" or "reportPublished");

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/decisions?status=bogus")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/decisions/999999")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/decisions/{await DecisionIdAsync("加装电梯")}/comments?pageSize=1000")).StatusCode);
    }

    [Theory]
    [InlineData("加装电梯", "加装电梯")]
    [InlineData("电梯", "加装电梯")]         // two characters: below a trigram, still found
    [InlineData("15分钟养老", "嵌入式养老")]   // in the summary
    [InlineData("临空经济", "虹桥临空")]
    [InlineData("电梯\u202E\0", "加装电梯")]   // invisible and control characters are dropped
    public async Task The_catalog_finds_chinese_text_in_titles_and_summaries(string query, string expected)
    {
        var found = await (await factory.CreateClient().GetAsync($"/api/v1/decisions?q={Uri.EscapeDataString(query)}")).JsonAsync();
        var titles = found.EnumerateArray().Select(d => d.GetProperty("title").GetString()!).ToList();
        Assert.Contains(titles, t => t.Contains(expected));
        Assert.True(titles.Count < 5, $"'{query}' matched too much: {string.Join(", ", titles)}");
        var page = await factory.CreateBrowser().GetPageAsync($"/decisions?q={Uri.EscapeDataString(query)}");
        Assert.Contains(expected, page.QuerySelector("table")!.TextContent);
    }

    [Theory]
    [InlineData("%")]
    [InlineData("\"")]
    [InlineData("_")]
    [InlineData("AND OR NOT")]
    [InlineData("没有这个词语")]
    [InlineData("\0'\"")]
    public async Task Search_syntax_and_control_characters_in_a_query_are_just_text(string query)
    {
        var response = await factory.CreateClient().GetAsync($"/api/v1/decisions?q={Uri.EscapeDataString(query)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, (await response.JsonAsync()).GetArrayLength());
    }

    [Fact]
    public async Task Published_comments_are_open_data_as_csv_with_a_bom_and_as_json()
    {
        var id = await DecisionIdAsync("加装电梯");
        var csv = await factory.CreateClient().GetAsync($"/api/v1/decisions/{id}/comments/export.csv");
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("id,createdAt,paragraph,channel,organization,heldOn,place,participants,text", text);
        // The forum the housing bureau recorded: channel, place and participants in their columns.
        Assert.Matches(@",forum,,\d{4}-\d{2}-\d{2},""华阳路街道社区党群服务中心"",23,", text);
        Assert.Contains("维保费用", text);
        var json = await (await factory.CreateClient().GetAsync($"/api/v1/decisions/{id}/comments/export.json")).JsonAsync();
        Assert.True(json.GetArrayLength() >= 5);
    }

    [Fact]
    public async Task A_consultation_cannot_open_without_the_interpretation_published_with_the_draft()
    {
        var staff = factory.CreateBrowser();
        await staff.SignInAsync("housing@example.org");
        var units = await factory.WithDbAsync(db => db.Units.Where(u => u.Name == "区住房保障房屋管理局").Select(u => u.Id).SingleAsync());
        var desk = await staff.GetPageAsync("/staff/decisions");
        var created = await staff.SubmitAsync(desk, "/staff/decisions", new Dictionary<string, string>
        {
            ["Title"] = "长宁区住宅小区电动自行车充电设施建设管理办法（草案）", ["Summary"] = "规范电动自行车集中充电设施。",
            ["Year"] = "2026", ["UnitId"] = units.ToString(), ["PlannedTimeline"] = "2027年一季度征求意见",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var id = await DecisionIdAsync("电动自行车");

        var draft = await staff.GetPageAsync($"/staff/decisions/{id}/documents/Draft");
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync(draft, $"/staff/decisions/{id}/documents/Draft",
            new Dictionary<string, string> { ["Markdown"] = "第一条　为规范充电设施建设，制定本办法。\n\n第二条　本办法适用于本区住宅小区。", ["Note"] = "初稿" })).StatusCode);

        var consultation = await staff.GetPageAsync($"/staff/decisions/{id}/consultation");
        var refused = await staff.SubmitAsync(consultation, $"/staff/decisions/{id}/consultation");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("解读", (await refused.ParseAsync()).QuerySelector("#consultation-error")!.TextContent);
        Assert.Null(await factory.WithDbAsync(db => db.Set<Decision>().Where(d => d.Id == id).Select(d => d.ConsultationOpensAt).SingleAsync()));

        var interpretation = await staff.GetPageAsync($"/staff/decisions/{id}/documents/Interpretation");
        await staff.SubmitAsync(interpretation, $"/staff/decisions/{id}/documents/Interpretation",
            new Dictionary<string, string> { ["Markdown"] = "这个办法解决小区充电难、充电不安全的问题。" });
        // A second version keeps the first.
        interpretation = await staff.GetPageAsync($"/staff/decisions/{id}/documents/Interpretation");
        await staff.SubmitAsync(interpretation, $"/staff/decisions/{id}/documents/Interpretation",
            new Dictionary<string, string> { ["Markdown"] = "这个办法解决小区充电难、充电不安全的问题，明确物业的管理责任。", ["Note"] = "补充物业责任" });

        consultation = await staff.GetPageAsync($"/staff/decisions/{id}/consultation");
        var opened = await staff.SubmitAsync(consultation, $"/staff/decisions/{id}/consultation");
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);

        var page = await factory.CreateBrowser().GetPageAsync($"/decisions/{id}");
        Assert.Equal(2, page.QuerySelectorAll(".draft-paragraph").Length);
        Assert.Contains("补充物业责任", page.QuerySelector("#doc-Interpretation")!.TextContent);
        // The earlier version is kept, and the page shows what changed.
        var second = await factory.CreateBrowser().GetPageAsync($"/decisions/{id}/documents/Interpretation/versions/2");
        Assert.Contains("明确物业的管理责任", second.QuerySelector("#changes ins")!.TextContent);
        Assert.Contains("这个办法解决小区充电难、充电不安全的问题。", second.QuerySelector("#changes del")!.TextContent);
        await factory.CreateBrowser().GetPageAsync($"/decisions/{id}/documents/Interpretation/versions/1");
        await factory.CreateBrowser().GetPageAsync($"/decisions/{id}/documents/Interpretation/versions/3", HttpStatusCode.NotFound);
        Assert.True(await factory.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.Action == "consultation.open" && a.EntityId == id.ToString())));
    }

    [Fact]
    public async Task Staff_record_a_forums_opinions_which_are_public_with_date_place_and_participants()
    {
        var id = await DecisionIdAsync("加装电梯");
        var staff = factory.CreateBrowser();
        await staff.SignInAsync("housing@example.org");
        var page = await staff.GetPageAsync($"/staff/decisions/{id}/offline");
        var future = await staff.SubmitAsync(page, $"/staff/decisions/{id}/offline", new Dictionary<string, string>
        {
            ["Channel"] = "Hearing", ["HeldOn"] = "2099-01-01", ["Place"] = "区政府", ["Participants"] = "12", ["Summary"] = "未来的听证会",
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, future.StatusCode);

        var recorded = await staff.SubmitAsync(page, $"/staff/decisions/{id}/offline", new Dictionary<string, string>
        {
            ["Channel"] = "Hearing", ["HeldOn"] = "2026-11-20", ["Place"] = "长宁区政府第一会议室", ["Participants"] = "31",
            ["Summary"] = "听证会上多数代表支持草案，建议增加电梯安全评估要求。",
        });
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);

        var items = (await (await factory.CreateClient().GetAsync($"/api/v1/decisions/{id}/comments?pageSize=100")).JsonAsync()).GetProperty("items").EnumerateArray();
        var hearing = items.Single(c => c.GetProperty("text").GetString()!.Contains("安全评估"));
        Assert.Equal("hearing", hearing.GetProperty("channel").GetString());
        Assert.Equal("2026-11-20", hearing.GetProperty("heldOn").GetString());
        Assert.Equal(31, hearing.GetProperty("participants").GetInt32());

        // Residents cannot record for a unit; staff of another unit neither.
        var civil = factory.CreateBrowser();
        await civil.SignInAsync("civil@example.org");
        Assert.Equal(HttpStatusCode.NotFound, (await civil.GetAsync($"/staff/decisions/{id}/offline")).StatusCode);
        var token = (await civil.GetPageAsync("/staff/decisions")).QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        var other = await civil.PostAsync($"/staff/decisions/{id}/offline", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Channel"] = "Forum", ["HeldOn"] = "2026-11-20", ["Place"] = "某处", ["Participants"] = "3", ["Summary"] = "越权录入",
        }));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.Set<Comment>().AnyAsync(c => c.Text == "越权录入")));
    }

    [Fact]
    public async Task A_document_can_be_an_uploaded_pdf_checked_by_its_content()
    {
        var id = await DecisionIdAsync("嵌入式养老");
        var staff = factory.CreateBrowser();
        await staff.SignInAsync("civil@example.org");
        var page = await staff.GetPageAsync($"/staff/decisions/{id}/documents/RiskAssessment");
        var token = page.QuerySelector($"form[action='/staff/decisions/{id}/documents/RiskAssessment/pdf'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1 };

        async Task<HttpResponseMessage> Upload(byte[] bytes, string name, string kind = "RiskAssessment") => await staff.PostAsync(
            $"/staff/decisions/{id}/documents/{kind}/pdf",
            new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" }, { new ByteArrayContent(bytes), "file", name }, { new StringContent("风险评估报告"), "note" } });

        var fake = await Upload(png, "risk.pdf");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, fake.StatusCode);
        Assert.Contains("不是PDF", (await fake.ParseAsync()).QuerySelector("#file-error")!.TextContent);
        var draft = await Upload(pdf, "draft.pdf", "Draft");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, draft.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.Set<DecisionDocument>().AnyAsync(d => d.DecisionId == id && d.Kind == DocumentKind.RiskAssessment)));

        Assert.Equal(HttpStatusCode.Redirect, (await Upload(pdf, "risk-assessment.bin")).StatusCode);
        var view = await factory.CreateBrowser().GetPageAsync($"/decisions/{id}");
        var link = view.QuerySelector("#doc-RiskAssessment a.pdf-link")!.GetAttribute("href")!;
        var download = await factory.CreateClient().GetAsync(link);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
        var detail = await (await factory.CreateClient().GetAsync($"/api/v1/decisions/{id}")).JsonAsync();
        Assert.Contains(detail.GetProperty("documents").EnumerateArray(), d => d.GetProperty("kind").GetString() == "riskAssessment");
    }

    [Fact]
    public async Task A_unit_keeps_its_own_catalog_beside_the_districts()
    {
        var staff = factory.CreateBrowser();
        await staff.SignInAsync("ndrc@example.org");
        var unit = await factory.WithDbAsync(db => db.Units.Where(u => u.Name == "区发展改革委").Select(u => u.Id).SingleAsync());
        var created = await staff.SubmitAsync(await staff.GetPageAsync("/staff/decisions"), "/staff/decisions", new Dictionary<string, string>
        {
            ["Title"] = "长宁区节能降碳专项资金管理办法", ["Year"] = "2026", ["UnitId"] = unit.ToString(), ["UnitCatalog"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.True(await factory.WithDbAsync(db => db.Set<Decision>().AnyAsync(d => d.Title == "长宁区节能降碳专项资金管理办法" && d.Catalog!.UnitId == unit)));
        var catalog = await factory.CreateBrowser().GetPageAsync("/decisions?year=2026");
        Assert.Contains("2026年区发展改革委重大行政决策事项目录", catalog.QuerySelector(".catalogs")!.TextContent);

        // Staff cannot file a decision under another unit.
        var housing = await factory.WithDbAsync(db => db.Units.Where(u => u.Name == "区住房保障房屋管理局").Select(u => u.Id).SingleAsync());
        var refused = await staff.SubmitAsync(await staff.GetPageAsync("/staff/decisions"), "/staff/decisions", new Dictionary<string, string>
        {
            ["Title"] = "越权新增的事项", ["Year"] = "2026", ["UnitId"] = housing.ToString(),
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.Set<Decision>().AnyAsync(d => d.Title == "越权新增的事项")));
    }

    [Fact]
    public async Task A_page_comment_keeps_what_was_typed_when_refused()
    {
        var id = await DecisionIdAsync("加装电梯");
        var browser = factory.CreateBrowser();
        await browser.SignInAsync("resident3@example.org");
        var page = await browser.GetPageAsync($"/decisions/{id}");
        var refused = await browser.SubmitAsync(page, $"/decisions/{id}/comments", new Dictionary<string, string> { ["Text"] = "针对不存在的段落", ["Paragraph"] = "42" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var again = await refused.ParseAsync();
        Assert.Equal("针对不存在的段落", again.QuerySelector("#Text")!.TextContent);
        Assert.Contains("42", again.QuerySelector("#Paragraph-error")!.TextContent);

        var accepted = await browser.SubmitAsync(page, $"/decisions/{id}/comments", new Dictionary<string, string> { ["Text"] = "第三条建议写明街道的办理时限。", ["Paragraph"] = "3" });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var after = await browser.GetPageAsync($"/decisions/{id}");
        Assert.Contains("第三条建议写明街道的办理时限。", after.QuerySelector("#mine")!.TextContent);
    }

    [Fact]
    public async Task Absurd_page_numbers_give_an_empty_page_not_an_error()
    {
        var id = await DecisionIdAsync("加装电梯");
        var api = await factory.CreateClient().GetAsync($"/api/v1/decisions/{id}/comments?page={int.MaxValue}&pageSize=100");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(0, (await api.JsonAsync()).GetProperty("items").GetArrayLength());
        await factory.CreateBrowser().GetPageAsync($"/decisions/{id}?page={int.MaxValue}");
    }

    [Fact]
    public async Task A_consultation_time_in_year_one_is_refused_beside_the_field()
    {
        var id = await DecisionIdAsync("课后服务");
        var staff = factory.CreateBrowser();
        await staff.SignInAsync("admin@example.org");
        var page = await staff.GetPageAsync($"/staff/decisions/{id}/consultation");
        var response = await staff.SubmitAsync(page, $"/staff/decisions/{id}/consultation",
            new Dictionary<string, string> { ["OpensAt"] = "0001-01-01T00:00", ["ClosesAt"] = "2026-12-31T17:00" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Moderators_approving_at_the_same_moment_publish_the_comment_once()
    {
        var id = await DecisionIdAsync("加装电梯");
        var resident = await factory.CreateClient().AsAsync("resident3@example.org");
        var posted = await resident.PostAsJsonAsync($"/api/v1/decisions/{id}/comments", new { text = "同时审核的测试意见：建议公示期延长到十五天。" });
        var commentId = (await posted.JsonAsync()).GetProperty("id").GetInt64();
        var moderators = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => factory.CreateClient().AsAsync("housing@example.org")));
        var answers = await Task.WhenAll(moderators.Select(m => m.PostAsync($"/api/v1/moderation/comments/{commentId}/approve", null)));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.NoContent);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.NoContent), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        Assert.Equal(1, await factory.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.Action == "comment.approve" && a.EntityId == commentId.ToString())));
    }

    [Fact]
    public async Task There_is_one_district_catalog_per_year()
    {
        var error = await Record.ExceptionAsync(() => factory.WithDbAsync(async db =>
        {
            db.Add(new DecisionCatalog { Year = 2031 });
            db.Add(new DecisionCatalog { Year = 2031 });
            return await db.SaveChangesAsync();
        }));
        Assert.IsType<DbUpdateException>(error);
    }
}

public sealed class ConsultationTests_Sqlite(SqliteFactory factory) : ConsultationTests<SqliteFactory>(factory);
public sealed class ConsultationTests_Postgres(PostgresFactory factory) : ConsultationTests<PostgresFactory>(factory);
