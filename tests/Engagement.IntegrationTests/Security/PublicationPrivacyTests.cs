using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Faq;
using Engagement.Web.Features.Live;
using Engagement.Web.Features.Meetings;
using Engagement.Web.Features.Messages;
using Engagement.Web.Features.OpenMonth;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Privacy;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.IntegrationTests.Security;

/// <summary>
/// Personal data never reaches the public, whichever field a resident writes it in. Every text column of the EF model
/// is either resident-written (listed below with how the test writes into it) or not; a new column fails the first
/// test until it is classified, as the authorization matrix does for endpoints. The second writes personal data, the
/// way people write it, into every resident-written field through the site's own paths, has staff approve and publish
/// everything (comments, messages, live answers, questionnaire text, opinions, FAQ entries, the adoption report), then
/// reads every public page, API and export the app maps, anonymously and as another resident, and every event pushed
/// to a live participant, and fails on any of the numbers or addresses written, in any form.
/// </summary>
public abstract class PublicationPrivacyTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    /// <summary>Text residents write (or staff copy from what residents said), and whether the public should see it once approved.</summary>
    private static readonly Dictionary<string, bool> ResidentWritten = new()
    {
        ["Comment.Text"] = false, ["Comment.PublicText"] = true, ["Comment.OrganizationName"] = false, ["Comment.Place"] = false,
        ["Message.Text"] = false, ["Message.PublicText"] = true,
        ["LiveQuestion.Text"] = true, ["LiveParticipant.Nickname"] = true,
        ["QuestionAnswer.Text"] = true, ["ThemeProposal.Text"] = true,
        ["RepresentativeApplication.RealName"] = false, ["RepresentativeApplication.Phone"] = false, ["RepresentativeApplication.Statement"] = false,
        ["RepresentativeOpinion.Text"] = true, ["FaqEntry.Question"] = true, ["OpenEvent.Summary"] = true, ["User.DisplayName"] = false,
    };

    /// <summary>
    /// Text that is not a resident's: staff's own writing (titles, replies, reasons), codes and hashes the site makes,
    /// and the account's credentials (never shown but to the person). A whole entity with <c>*</c>.
    /// </summary>
    private static readonly HashSet<string> NotResidentWritten =
    [
        "Comment.CreditCode", "Comment.RejectReason", "Comment.ModeratedBy", "Comment.TextHash",
        "Message.Page", "Message.TextHash", "Message.Reply", "Message.RepliedBy", "Message.Note",
        "LiveQuestion.HeldReason", "LiveQuestion.Answer", "LiveParticipant.Key",
        "RepresentativeApplication.PublicId", "RepresentativeApplication.IneligibleReason", "RepresentativeOpinion.Reason",
        "FaqEntry.Page", "FaqEntry.Answer", "FaqEntry.Source",
        "OpenEvent.Title", "OpenEvent.Description", "OpenEvent.LiveUrl",
        "User.Id", "User.UserName", "User.NormalizedUserName", "User.Email", "User.NormalizedEmail", "User.PasswordHash", "User.SecurityStamp",
        "User.ConcurrencyStamp", "User.PhoneNumber",
        "SignInSession.*", "SignInLink.*", "SignInThrottle.*",
        // Topics are the admins' list; subscriptions and notices are a person's own, shown to them only (a notice's title is the item's).
        "Topic.*", "Subscription.*", "SubscriptionSettings.*", "Notice.*",
        "AdoptionReport.*", "AuditEntry.*", "CalendarDayRecord.*", "CalendarYearRecord.*", "CommentCluster.*", "CommentReview.*", "ClusterLink.*", "UnitEquivalence.*", "DataProtectionKey.*",
        "Decision.*", "DecisionCatalog.*", "DecisionDocument.*", "DecisionIssue.*", "DocumentVersion.*", "EventRegistration.*", "LiveHost.*",
        "LivePoll.*", "LivePollAnswer.*", "LivePollOption.*", "LiveSession.*", "LiveVote.*", "Meeting.*", "MeetingQuota.*", "MeetingTopic.*",
        "MessageReminder.*", "OutboxMessage.*", "Question.*", "QuestionnaireParticipation.*", "QuestionnaireResponse.*", "ReportReminder.*",
        "SeatReplacement.*", "ThemeSolicitation.*", "ThemeVote.*", "TopicPoll.*", "TopicVote.*", "Unit.*", "Venue.*",
        "Role.*", "IdentityRole`1.*", "IdentityRoleClaim`1.*", "IdentityUserClaim`1.*", "IdentityUserLogin`1.*", "IdentityUserRole`1.*", "IdentityUserToken`1.*",
    ];

    [Fact]
    public void Every_text_column_is_classified_as_resident_written_or_not()
    {
        using var scope = factory.Services.CreateScope();
        var model = scope.ServiceProvider.GetRequiredService<EngagementDbContext>().Model;
        var columns = model.GetEntityTypes().Where(t => !t.IsOwned())
            .SelectMany(t => t.GetProperties().Where(p => p.ClrType == typeof(string)).Select(p => (Type: t.ClrType.Name, Key: $"{t.ClrType.Name}.{p.Name}")))
            .ToList();
        var unclassified = columns.Where(c => !ResidentWritten.ContainsKey(c.Key) && !NotResidentWritten.Contains(c.Key) && !NotResidentWritten.Contains(c.Type + ".*"))
            .Select(c => c.Key).Order().ToList();
        Assert.True(unclassified.Count == 0, "Text columns not classified as resident-written or not: " + string.Join(", ", unclassified));
        var known = columns.Select(c => c.Key).ToHashSet();
        Assert.DoesNotContain(ResidentWritten.Keys, k => !known.Contains(k));
    }

    /// <summary>One field's personal data: a mobile, an ID number and an e-mail, written the way people write them, around a marker.</summary>
    private sealed record Planted(string Field, string Marker, string Text, string Mobile, string IdNumber, string MailName)
    {
        public string Short => $"{Marker}{Mobile}";
    }

    private static Planted Plant(string field, int i)
    {
        var marker = "标记" + (char)('A' + i / 26) + (char)('A' + i % 26);
        var mobile = $"139{i:D2}{(i * 7919 + 104729) % 1000000:D6}";
        var id17 = $"310105198{i % 10}{i % 12 + 1:D2}{i % 28 + 1:D2}{i:D3}";
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var idNumber = id17 + "10X98765432"[id17.Select((c, k) => (c - '0') * weights[k]).Sum() % 11];
        var mailName = $"pii{i}mail";
        string Chinese(string digits, string zero) => string.Concat(digits.Select(c => c == '0' ? zero : "〇一二三四五六七八九"[c - '0'].ToString()));
        var writtenMobile = (i % 6) switch
        {
            0 => Chinese(mobile, "零"),
            1 => $"{mobile[..3]}.{mobile[3..7]}.{mobile[7..]}",
            2 => $"({mobile[..3]}){mobile[3..7]}-{mobile[7..]}",
            3 => string.Concat(mobile.Select(c => (char)(c - '0' + '０'))),
            4 => "幺" + Chinese(mobile[1..], "洞").Replace("洞", "零"),
            _ => $"{mobile[..3]}  {mobile[3..7]}  {mobile[7..]}",
        };
        var writtenId = (i % 3) switch
        {
            0 => $"{idNumber[..6]} {idNumber[6..14]} {idNumber[14..]}",
            1 => $"{idNumber[..6]}-{idNumber[6..14]}-{idNumber[14..]}",
            _ => idNumber,
        };
        var writtenMail = i % 2 == 0 ? $"{mailName}@example。com" : $"{mailName} ＠ example.com";
        return new Planted(field, marker, $"{marker}：有事请打{writtenMobile}，身份证{writtenId}，邮箱{writtenMail}，谢谢。", mobile, idNumber, mailName);
    }

    [Fact]
    public async Task Personal_data_written_in_any_resident_field_reaches_no_public_page_api_export_or_hub_event()
    {
        var fields = ResidentWritten.Keys.ToList();
        var planted = fields.Select((f, i) => Plant(f, i + 1)).ToDictionary(p => p.Field);
        var admin = await factory.CreateClient().AsAsync("admin@example.org");
        var adminPages = factory.CreateBrowser();
        await adminPages.SignInAsync("admin@example.org");
        var written = new HashSet<string>();
        foreach (var i in Enumerable.Range(1, 6)) await ResidentAsync($"writer{i}@example.org");
        await ResidentAsync("reader@example.org");

        // The decision commented on: open now, asking enterprises too; its report is published at the end.
        var decision = await factory.WithDbAsync(async db =>
        {
            var d = await db.Set<Decision>().Where(d => d.ConsultationOpensAt <= EngagementFactory.Now && d.ConsultationClosesAt > EngagementFactory.Now)
                .OrderBy(d => d.Id).FirstAsync();
            d.EnterpriseRelated = true;
            await db.SaveChangesAsync();
            return d.Id;
        });

        // Comments: the text (moderators see it whole, the public masked), an organisation name (refused), an offline place (refused).
        var resident1 = await factory.CreateClient().AsAsync("writer1@example.org");
        var comment = await resident1.PostAsJsonAsync($"/api/v1/decisions/{decision}/comments", new { text = planted["Comment.PublicText"].Text });
        Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
        var commentId = (await comment.JsonAsync()).GetProperty("id").GetInt64();
        Assert.True((await admin.PostAsync($"/api/v1/moderation/comments/{commentId}/approve", null)).IsSuccessStatusCode);
        written.UnionWith(["Comment.Text", "Comment.PublicText"]);
        var organisation = await resident1.PostAsJsonAsync($"/api/v1/decisions/{decision}/comments",
            new { text = "企业希望简化审批流程。", organizationName = planted["Comment.OrganizationName"].Short, creditCode = "91310105MA1FL0PQ3X" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, organisation.StatusCode);
        written.Add("Comment.OrganizationName");
        var offline = await adminPages.GetPageAsync($"/staff/decisions/{decision}/offline");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await adminPages.SubmitAsync(offline, $"/staff/decisions/{decision}/offline", new Dictionary<string, string>
        {
            ["Channel"] = "Hearing", ["HeldOn"] = "2026-11-20", ["Place"] = planted["Comment.Place"].Short, ["Participants"] = "12", ["Summary"] = "座谈会纪要。",
        })).StatusCode);
        written.Add("Comment.Place");

        // A message to the board, replied to and published with the writer's consent, then made an FAQ entry by staff typing it out.
        var message = await (await factory.CreateClient().AsAsync("writer2@example.org"))
            .PostAsJsonAsync("/api/v1/messages", new { text = planted["Message.PublicText"].Text, consentToPublish = true });
        Assert.Equal(HttpStatusCode.Created, message.StatusCode);
        var messageId = (await message.JsonAsync()).GetProperty("id").GetInt64();
        var staff = await PrincipalAsync("admin@example.org");
        await factory.WithServiceAsync<MessageService, bool>(async messages =>
        {
            var unit = await factory.WithDbAsync(db => db.Units.OrderBy(u => u.Id).Select(u => u.Id).FirstAsync());
            Assert.Equal(MessageOutcome.Done, (await messages.TriageAsync(messageId, staff, MessageKind.PolicyQuestion, unit, true, null)).Outcome);
            Assert.Equal(MessageOutcome.Done, (await messages.ReplyAsync(messageId, staff, "已转相关部门研究，感谢您的留言。")).Outcome);
            Assert.Equal(MessageOutcome.Done, (await messages.PublishAsync(messageId, staff, true)).Outcome);
            return true;
        });
        written.UnionWith(["Message.Text", "Message.PublicText"]);
        var faq = await factory.WithServiceAsync<FaqService, FaqEditResult>(f =>
            f.AddAsync(MessageRules.GeneralBoard, planted["FaqEntry.Question"].Text, "请拨打12345市民服务热线。", FaqService.MessageSource, messageId));
        Assert.True(faq.Succeeded);
        written.Add("FaqEntry.Question");

        // A live question and nickname in the running post-moderated session, watched by another participant; answered
        // by the host and added to the FAQ.
        await using var observer = await LiveClient.ConnectAsync(factory);
        await observer.JoinAsync(LiveDemo.JoinCode, "旁听居民");
        await using (var asker = await LiveClient.ConnectAsync(factory, "writer3@example.org"))
        {
            var nickname = planted["LiveParticipant.Nickname"];
            await asker.JoinAsync(LiveDemo.JoinCode, nickname.Short);
            await asker.Connection.InvokeAsync<JsonElement>("Ask", planted["LiveQuestion.Text"].Text);
            await observer.WaitForAsync(LiveEvents.QuestionAdded, q => q.ToString().Contains(planted["LiveQuestion.Text"].Marker));
        }
        var (sessionId, questionId) = await factory.WithDbAsync(async db => await db.Set<LiveQuestion>()
            .Where(q => q.Text.Contains(planted["LiveQuestion.Text"].Marker)).Select(q => new ValueTuple<int, long>(q.SessionId, q.Id)).SingleAsync());
        await factory.WithServiceAsync<LiveService, LiveOutcome>(live => live.AnswerAsync(sessionId, questionId, "符合条件的可申请补贴，详见办法第八条。"));
        Assert.True(await factory.WithServiceAsync<FaqService, bool>(f => f.AddFromLiveQuestionAsync(sessionId, questionId)));
        written.UnionWith(["LiveQuestion.Text", "LiveParticipant.Nickname"]);

        // Questionnaire free text from someone who was at last month's open day, approved by staff; the day's summary.
        var held = await factory.WithDbAsync(db => db.Set<OpenEvent>().Where(e => e.Title == "城运中心十一月开放日").Select(e => e.Id).SingleAsync());
        var attendee = await factory.WithDbAsync(db => db.Set<EventRegistration>()
            .Where(r => r.EventId == held && r.CheckedInAt != null && !db.Set<QuestionnaireParticipation>().Any(p => p.EventId == held && p.UserId == r.UserId))
            .OrderBy(r => r.Id).Select(r => r.User!.Email!).FirstAsync());
        var answerer = factory.CreateBrowser();
        await answerer.SignInAsync(attendee);
        var form = await answerer.GetPageAsync($"/events/{held}/questionnaire");
        var questions = await factory.WithDbAsync(db => db.Set<Question>().Where(q => q.EventId == held).OrderBy(q => q.Position).ToListAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await answerer.SubmitAsync(form, $"/events/{held}/questionnaire", new Dictionary<string, string>
        {
            [$"q{questions[0].Id}"] = "5", [$"q{questions.Single(q => q.Kind == QuestionKind.FreeText).Id}"] = planted["QuestionAnswer.Text"].Text,
        })).StatusCode);
        var pending = await factory.WithServiceAsync<QuestionnaireService, IReadOnlyList<PendingText>>(q => q.PendingTextsAsync(held));
        foreach (var text in pending) Assert.True(await factory.WithServiceAsync<QuestionnaireService, bool>(q => q.ReviewAsync(held, text.Id, true)));
        written.Add("QuestionAnswer.Text");
        var build = await adminPages.GetPageAsync($"/staff/events/{held}/questionnaire");
        Assert.Equal(HttpStatusCode.Redirect, (await adminPages.SubmitAsync(build, $"/staff/events/{held}/summary",
            new Dictionary<string, string> { ["summary"] = planted["OpenEvent.Summary"].Text })).StatusCode);
        written.Add("OpenEvent.Summary");

        // A theme proposed for open days.
        var proposer = factory.CreateBrowser();
        await proposer.SignInAsync("writer4@example.org");
        var themes = await proposer.GetPageAsync("/events/themes");
        var solicitation = await factory.WithDbAsync(db => db.Set<ThemeSolicitation>().Where(s => s.OpensAt <= EngagementFactory.Now && s.ClosesAt > EngagementFactory.Now)
            .Select(s => s.Id).FirstAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await proposer.SubmitAsync(themes, $"/events/themes/{solicitation}/proposals",
            new Dictionary<string, string> { ["proposal"] = planted["ThemeProposal.Text"].Text })).StatusCode);
        written.Add("ThemeProposal.Text");

        // An application to attend the next executive meeting; a representative's opinion at the last one.
        var (upcoming, past, representative) = await factory.WithDbAsync(async db => (
            await db.Set<Meeting>().Where(m => m.ApplicationsCloseAt > EngagementFactory.Now).OrderBy(m => m.HeldAt).Select(m => m.Id).FirstAsync(),
            await db.Set<Meeting>().Where(m => m.HeldAt < EngagementFactory.Now).OrderByDescending(m => m.HeldAt).Select(m => m.Id).FirstAsync(),
            await db.Set<RepresentativeApplication>().Where(a => a.Meeting!.HeldAt < EngagementFactory.Now
                    && (a.Standing == DrawStanding.Confirmed || a.Standing == DrawStanding.Selected))
                .OrderByDescending(a => a.Meeting!.HeldAt).Select(a => a.PublicId).FirstAsync()));
        var application = await (await factory.CreateClient().AsAsync("writer5@example.org")).PostAsJsonAsync($"/api/v1/meetings/{upcoming}/applications", new
        {
            realName = planted["RepresentativeApplication.RealName"].Short, phone = planted["RepresentativeApplication.Phone"].Mobile,
            category = "resident", connection = "lives", statement = planted["RepresentativeApplication.Statement"].Text, consent = true,
        });
        Assert.True(application.IsSuccessStatusCode, await application.Content.ReadAsStringAsync());
        written.UnionWith(["RepresentativeApplication.RealName", "RepresentativeApplication.Phone", "RepresentativeApplication.Statement"]);
        var recorded = await factory.WithServiceAsync<MeetingService, MeetingActionResult>(m =>
            m.RecordOpinionAsync(past, staff, representative, null, planted["RepresentativeOpinion.Text"].Text, "adopted", null));
        Assert.Equal(MeetingActionOutcome.Done, recorded.Outcome);
        written.Add("RepresentativeOpinion.Text");

        // A display name, which no public page shows.
        var profiled = factory.CreateBrowser();
        await profiled.SignInAsync("writer6@example.org");
        var profile = await profiled.GetPageAsync("/profile");
        await profiled.SubmitAsync(profile, "/profile", new Dictionary<string, string> { ["DisplayName"] = planted["User.DisplayName"].Short });
        written.Add("User.DisplayName");

        Assert.Empty(fields.Except(written));

        // The consultation ends, what waits for moderation is approved; the decision is issued and its adoption report
        // published, every cluster answered.
        foreach (var pendingId in await factory.WithDbAsync(db => db.Set<Comment>().Where(c => c.DecisionId == decision && c.Status == CommentStatus.Pending).Select(c => c.Id).ToListAsync()))
        {
            Assert.True((await admin.PostAsync($"/api/v1/moderation/comments/{pendingId}/approve", null)).IsSuccessStatusCode);
        }
        await factory.WithDbAsync(async db =>
        {
            var d = await db.Set<Decision>().SingleAsync(d => d.Id == decision);
            d.ConsultationClosesAt = EngagementFactory.Now.AddDays(-10);
            d.Status = DecisionStatus.UnderReview;
            return await db.SaveChangesAsync();
        });
        Assert.True((await admin.PutAsJsonAsync($"/api/v1/decisions/{decision}/issue", new { issuedOn = "2026-11-20", documentNumber = "长府规〔2026〕9号" })).IsSuccessStatusCode);
        var review = await (await admin.GetAsync($"/api/v1/decisions/{decision}/review")).JsonAsync();
        foreach (var cluster in review.GetProperty("clusters").EnumerateArray())
        {
            var answered = await admin.PutAsJsonAsync($"/api/v1/decisions/{decision}/review/clusters/{cluster.GetProperty("id").GetInt64()}",
                new { outcome = "not-adopted", reason = "另行研究。" });
            Assert.Equal(HttpStatusCode.NoContent, answered.StatusCode);
        }
        var report = await admin.PostAsJsonAsync($"/api/v1/decisions/{decision}/report", new { });
        Assert.True(report.StatusCode == HttpStatusCode.Created, await report.Content.ReadAsStringAsync());

        // Everything the public can read.
        var bodies = new List<(string Where, string Body)>();
        var resident = factory.CreateBrowser();
        await resident.SignInAsync("reader@example.org");
        var unit = await factory.WithDbAsync(db => db.Set<Decision>().Where(d => d.Id == decision).Select(d => d.UnitId).SingleAsync());
        var polls = await factory.WithDbAsync(db => db.Set<TopicPoll>().Select(p => p.Id).ToListAsync());
        foreach (var url in PublicUrls(decision, [upcoming, past], held, unit, polls))
        {
            foreach (var (who, client) in new[] { ("anonymous", factory.CreateBrowser()), ("another resident", resident) })
            {
                var response = await client.GetAsync(url);
                if (response.StatusCode != HttpStatusCode.OK) continue;
                var type = response.Content.Headers.ContentType?.MediaType ?? "";
                if (type == "application/pdf" || type.StartsWith("image/png", StringComparison.Ordinal)) continue;
                bodies.Add(($"{url} ({who})", await response.Content.ReadAsStringAsync()));
            }
        }
        bodies.AddRange(observer.Received.Select(r => ($"hub event {r.Event}", r.Payload.GetRawText())));

        var failures = new List<string>();
        var readable = bodies.Select(b => (b.Where, Text: Readable(b.Body))).ToList();
        foreach (var (where, text) in readable)
        {
            var digits = Normalised.Of(text).Text;
            foreach (var p in planted.Values)
            {
                if (digits.Contains(p.Mobile)) failures.Add($"{where}: the mobile written in {p.Field}");
                if (digits.Contains(p.IdNumber[..17])) failures.Add($"{where}: the ID number written in {p.Field}");
                if (text.Contains(p.MailName, StringComparison.OrdinalIgnoreCase)) failures.Add($"{where}: the e-mail written in {p.Field}");
            }
        }
        // Every public page reads whole: no message left with its placeholder unfilled ("第{0}段").
        foreach (var (where, text) in readable.Where(b => !b.Where.StartsWith("hub", StringComparison.Ordinal) && !b.Where.Contains("/api/") && !b.Where.Contains("openapi")))
        {
            var title = Regex.Match(text, "<title>(.*?)</title>", RegexOptions.Singleline).Groups[1].Value;
            var body = Regex.Replace(Regex.Replace(text, "<(script|style)[^>]*>.*?</\\1>", "", RegexOptions.Singleline), "<[^>]+>", " ");
            foreach (Match unfilled in Regex.Matches(title + " " + body, @".{0,20}\{\d\}.{0,20}"))
            {
                failures.Add($"{where}: an unfilled placeholder in \"{unfilled.Value.Trim()}\"");
            }
        }
        // And the test reads where the fields are published: each public one is found there, masked; the others nowhere.
        foreach (var (field, isPublic) in ResidentWritten.Where(f => f.Key != "Comment.Text" && f.Key != "Message.Text"))
        {
            var marker = planted[field].Marker;
            var seen = readable.Where(b => b.Text.Contains(marker)).Select(b => b.Where).ToList();
            if (isPublic && seen.Count == 0) failures.Add($"{field} was published nowhere the test read (its marker {marker} is missing)");
            if (!isPublic && seen.Count > 0) failures.Add($"{field} is shown on {seen[0]}");
        }
        Assert.True(readable.Any(b => b.Where.StartsWith($"/decisions/{decision}/report", StringComparison.Ordinal) && b.Text.Contains(planted["Comment.PublicText"].Marker)),
            "the published comment is not in its adoption report");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Distinct()));
    }

    /// <summary>
    /// Every GET the app maps that is not staff's, with the route values of what the test wrote, plus the lists read
    /// with a page size that holds everything.
    /// </summary>
    private IEnumerable<string> PublicUrls(int decision, int[] meetings, int evt, int unit, IReadOnlyList<int> polls)
    {
        var patterns = factory.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") != false)
            .Select(e => "/" + Regex.Replace(e.RoutePattern.RawText!.TrimStart('/'), @"\{(\w+)(:[^}]*)?\}", "{$1}").TrimEnd('/'))
            .Where(p => !Regex.IsMatch(p, "^/(hubs|staff|admin|moderation|profile|account|error)(/|$)") && !p.Contains("/host") && p != "/live/new")
            .Distinct().Order().ToList();
        Assert.Contains("/decisions/{id}/report.csv", patterns);
        var urls = new List<string>();
        foreach (var pattern in patterns)
        {
            IEnumerable<string> expanded = [pattern];
            foreach (Match parameter in Regex.Matches(pattern, @"\{(\w+)\}"))
            {
                string[] values = (parameter.Groups[1].Value, pattern) switch
                {
                    ("id", var p) when p.StartsWith("/api/v1/topic-polls") => polls.Select(x => x.ToString()).ToArray(),
                    ("id", var p) when p.Contains("/meetings/") => meetings.Select(x => x.ToString()).ToArray(),
                    ("id", var p) when p.Contains("/events/") => [evt.ToString()],
                    ("id", var p) when p.StartsWith("/units/") => [unit.ToString()],
                    ("id", _) => [decision.ToString()],
                    ("code", _) => [LiveDemo.JoinCode],
                    ("kindName", _) => ["draft", "interpretation"],
                    ("number" or "version", _) => ["1"],
                    ("date", _) => ["2026-11-23"],
                    ("year", _) => ["2026"],
                    ("documentName", _) => ["v1"],
                    _ => ["1"],
                };
                var token = parameter.Value;
                expanded = expanded.SelectMany(u => values.Select(v => u.Replace(token, v))).ToList();
            }
            urls.AddRange(expanded);
        }
        urls.AddRange([$"/api/v1/decisions/{decision}/comments?pageSize=100", "/api/v1/messages?pageSize=100", "/messages?page=1",
            $"/decisions/{decision}?comments=all", "/live/" + LiveDemo.JoinCode + "/projector"]);
        return urls.Distinct();
    }

    /// <summary>A response as a person reads it: JSON's \u escapes and HTML's entities decoded, iCalendar's folded lines joined.</summary>
    private static string Readable(string body)
    {
        var text = Regex.Replace(body, @"\\u([0-9a-fA-F]{4})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());
        text = text.Replace("\r\n ", "").Replace("\n ", "");
        return WebUtility.HtmlDecode(text);
    }

    /// <summary>A resident of this test's own, so what others did in the demo data (their own pages show their own text) does not mix in.</summary>
    private async Task ResidentAsync(string email)
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        if (await users.FindByEmailAsync(email) is not null) return;
        var user = new User { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "隐私测试居民", CreatedAt = EngagementFactory.Now };
        Assert.True((await users.CreateAsync(user, EngagementFactory.Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Resident)).Succeeded);
    }

    private async Task<ClaimsPrincipal> PrincipalAsync(string email)
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<User>>();
        return await signIn.CreateUserPrincipalAsync((await users.FindByEmailAsync(email))!);
    }
}

public sealed class PublicationPrivacyTests_Sqlite(SqliteFactory factory) : PublicationPrivacyTests<SqliteFactory>(factory);
public sealed class PublicationPrivacyTests_Postgres(PostgresFactory factory) : PublicationPrivacyTests<PostgresFactory>(factory);
