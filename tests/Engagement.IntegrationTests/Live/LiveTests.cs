using System.Net;
using System.Text.Json;
using Engagement.IntegrationTests.Infrastructure;
using Engagement.Web.Features.Faq;
using Engagement.Web.Features.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.IntegrationTests.Live;

/// <summary>Live Q&amp;A through the hub's public protocol: joining, asking, voting, moderating, polls and the archive.</summary>
public abstract class LiveTests<TFactory>(TFactory factory) : IClassFixture<TFactory> where TFactory : EngagementFactory
{
    private const string Host = "host@example.org";

    /// <summary>A fresh session of its own, so tests do not see each other's questions.</summary>
    private async Task<string> SessionAsync(LiveModeration moderation = LiveModeration.Post, bool requireSignIn = false, int? eventId = null)
    {
        var host = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == Host).Select(u => u.Id).SingleAsync());
        var session = await factory.WithServiceAsync<LiveService, LiveSession>(s =>
            s.CreateAsync(new NewSessionForm("测试问答 " + Guid.NewGuid().ToString("N")[..6], null, eventId, null, requireSignIn, moderation), host));
        return session.JoinCode;
    }

    private static async Task<string> RefusalAsync(Func<Task> action) => (await Assert.ThrowsAsync<HubException>(action)).Message;

    [Fact]
    public async Task The_demo_session_DEMO26_is_running_post_moderated_and_open_to_nicknames()
    {
        await using var guest = await LiveClient.ConnectAsync(factory);
        // Typed as people type what they heard: lower case, a space.
        var joined = await guest.JoinAsync(" demo 26", "测试访客");
        Assert.Equal("post", joined.GetProperty("moderation").GetString());
        Assert.Contains("加装电梯", joined.GetProperty("title").GetString());
        var questions = joined.GetProperty("questions").EnumerateArray().ToList();
        Assert.True(questions.Count >= 5);
        Assert.Contains(questions, q => q.GetProperty("pinned").GetBoolean());
        Assert.Contains(questions, q => q.GetProperty("status").GetString() == "answered" && q.GetProperty("answer").GetString()?.Contains("28万元") == true);
        Assert.Contains(questions, q => q.GetProperty("author").ValueKind == JsonValueKind.Null); // asked anonymously
        Assert.Equal(JsonValueKind.Object, joined.GetProperty("poll").ValueKind);
        Assert.Equal(3, joined.GetProperty("poll").GetProperty("options").GetArrayLength());
    }

    [Fact]
    public async Task A_question_reaches_every_participant_with_the_documented_fields()
    {
        var code = await SessionAsync();
        await using var asker = await LiveClient.ConnectAsync(factory);
        await using var listener = await LiveClient.ConnectAsync(factory);
        await asker.JoinAsync(code, "天山路居民");
        await listener.JoinAsync(code, "仙霞路居民");

        var result = await asker.Connection.InvokeAsync<JsonElement>("Ask", "  社区食堂的价格\n会公示吗？  ");
        Assert.Equal("visible", result.GetProperty("status").GetString());
        var added = await listener.WaitForAsync("QuestionAdded");
        Assert.Equal(
            ["answer", "answeredLive", "askedAt", "author", "id", "pinned", "seq", "status", "text", "votes"],
            added.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(result.GetProperty("id").GetInt64(), added.GetProperty("id").GetInt64());
        Assert.Equal("社区食堂的价格 会公示吗？", added.GetProperty("text").GetString());
        Assert.Equal("天山路居民", added.GetProperty("author").GetString());
        Assert.Equal(0, added.GetProperty("votes").GetInt32());

        // Anonymity towards other participants; personal data masked before anyone sees it.
        await asker.Connection.InvokeAsync<JsonElement>("AskAnonymously", "我的电话13812345678，能回电吗？");
        var anonymous = await listener.WaitForAsync("QuestionAdded", q => q.GetProperty("text").GetString()!.Contains("回电"));
        Assert.Equal(JsonValueKind.Null, anonymous.GetProperty("author").ValueKind);
        Assert.DoesNotContain("13812345678", anonymous.GetProperty("text").GetString());
        Assert.True(anonymous.GetProperty("seq").GetInt64() > added.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task Bad_questions_are_refused_with_a_reason_and_nothing_is_stored()
    {
        var code = await SessionAsync();
        await using var guest = await LiveClient.ConnectAsync(factory);
        Assert.Contains("参与码", await RefusalAsync(() => guest.JoinAsync("ZZZZZZ", "访客")));
        Assert.Contains("请先加入", await RefusalAsync(() => guest.Connection.InvokeAsync<JsonElement>("Ask", "还没加入就提问")));
        await guest.JoinAsync(code, "访客");
        Assert.Contains("300", await RefusalAsync(() => guest.Connection.InvokeAsync<JsonElement>("Ask", new string('问', 301))));
        Assert.Contains("写下", await RefusalAsync(() => guest.Connection.InvokeAsync<JsonElement>("Ask", " \u200b\n ")));
        Assert.Contains("40", await RefusalAsync(() => guest.JoinAsync(code, new string('名', 41))));
        var stored = await factory.WithDbAsync(db => db.Set<LiveQuestion>().CountAsync(q => db.Set<LiveSession>().Any(s => s.Id == q.SessionId && s.JoinCode == code)));
        Assert.Equal(0, stored);
    }

    [Fact]
    public async Task Asking_too_fast_is_refused_with_a_clear_message()
    {
        var code = await SessionAsync();
        await using var guest = await LiveClient.ConnectAsync(factory);
        await guest.JoinAsync(code, "连发");
        for (var i = 0; i < 5; i++)
        {
            await guest.Connection.InvokeAsync<JsonElement>("Ask", $"第{i}个问题：停车位怎么申请？");
        }
        Assert.Contains("太快", await RefusalAsync(() => guest.Connection.InvokeAsync<JsonElement>("Ask", "第六个问题")));
    }

    [Fact]
    public async Task A_blocked_word_sends_the_question_to_the_queue_even_when_post_moderated()
    {
        var code = await SessionAsync();
        await using var host = await LiveClient.ConnectAsync(factory, Host);
        await using var guest = await LiveClient.ConnectAsync(factory);
        Assert.True((await host.JoinAsync(code, "")).GetProperty("isHost").GetBoolean());
        await guest.JoinAsync(code, "访客");
        var result = await guest.Connection.InvokeAsync<JsonElement>("Ask", "这里有个违 禁 词的问题");
        Assert.Equal("pending", result.GetProperty("status").GetString());
        var queued = await host.WaitForAsync("QuestionAdded", q => q.GetProperty("status").GetString() == "pending");
        Assert.Equal(result.GetProperty("id").GetInt64(), queued.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Votes_count_once_per_participant_can_be_withdrawn_and_a_storm_is_coalesced()
    {
        var code = await SessionAsync();
        await using var asker = await LiveClient.ConnectAsync(factory);
        await using var watcher = await LiveClient.ConnectAsync(factory);
        await asker.JoinAsync(code, "提问人");
        await watcher.Connection.InvokeAsync<JsonElement>("Watch", code);
        var id = (await asker.Connection.InvokeAsync<JsonElement>("Ask", "公园开放时间能延长吗？")).GetProperty("id").GetInt64();
        Assert.Contains("自己", await RefusalAsync(() => asker.Connection.InvokeAsync("Vote", id)));

        var voters = new List<LiveClient>();
        for (var i = 0; i < 25; i++)
        {
            var voter = await LiveClient.ConnectAsync(factory);
            await voter.JoinAsync(code, "投票人" + i);
            voters.Add(voter);
        }
        await Task.WhenAll(voters.Select(v => v.Connection.InvokeAsync("Vote", id)));
        Assert.Contains("已经赞同", await RefusalAsync(() => voters[0].Connection.InvokeAsync("Vote", id)));
        await watcher.WaitForAsync("QuestionUpdated", q => q.GetProperty("id").GetInt64() == id && q.GetProperty("votes").GetInt32() == 25);
        var updates = watcher.Received.Count(r => r.Event == "QuestionUpdated");
        Assert.True(updates < 25, $"{updates} updates for 25 votes: vote counts should be coalesced");

        await voters[0].Connection.InvokeAsync("Unvote", id);
        await watcher.WaitForAsync("QuestionUpdated", q => q.GetProperty("id").GetInt64() == id && q.GetProperty("votes").GetInt32() == 24);
        Assert.Contains("还没有赞同", await RefusalAsync(() => voters[0].Connection.InvokeAsync("Unvote", id)));
        Assert.Equal(24, await factory.WithDbAsync(db => db.Set<LiveVote>().CountAsync(v => v.QuestionId == id)));
        // Stored votes read back with their time, on either database.
        var times = await factory.WithDbAsync(db => db.Set<LiveVote>().Where(v => v.QuestionId == id).Select(v => v.CreatedAt).ToListAsync());
        Assert.All(times, t => Assert.Equal(factory.Clock.GetUtcNow(), t));
        foreach (var v in voters) await v.DisposeAsync();
    }

    [Fact]
    public async Task Pre_moderated_questions_wait_for_a_host_and_only_hosts_may_moderate()
    {
        var code = await SessionAsync(LiveModeration.Pre);
        await using var host = await LiveClient.ConnectAsync(factory, Host);
        await using var guest = await LiveClient.ConnectAsync(factory);
        await using var resident = await LiveClient.ConnectAsync(factory, "resident1@example.org");
        await host.JoinAsync(code, "主持人");
        await guest.JoinAsync(code, "访客");
        Assert.False((await resident.JoinAsync(code, "")).GetProperty("isHost").GetBoolean());

        var id = (await guest.Connection.InvokeAsync<JsonElement>("Ask", "垃圾分类的投放时间能调整吗？")).GetProperty("id").GetInt64();
        await host.WaitForAsync("QuestionAdded", q => q.GetProperty("id").GetInt64() == id && q.GetProperty("status").GetString() == "pending");
        Assert.Contains("主持人", await RefusalAsync(() => resident.Connection.InvokeAsync("Approve", id)));
        Assert.DoesNotContain(resident.Received, r => r.Event == "QuestionAdded");

        await host.Connection.InvokeAsync("Approve", id);
        var shown = await resident.WaitForAsync("QuestionAdded", q => q.GetProperty("id").GetInt64() == id);
        // Moderation through the hub is audited with the host's name, as through the pages.
        var actor = await factory.WithDbAsync(db => db.AuditEntries.Where(a => a.Action == "live.approve" && a.After!.Contains(id.ToString()))
            .Select(a => a.Actor).SingleAsync());
        Assert.Equal(Host, actor);
        Assert.Equal("visible", shown.GetProperty("status").GetString());

        await host.Connection.InvokeAsync("Pin", id);
        await resident.WaitForAsync("QuestionUpdated", q => q.GetProperty("id").GetInt64() == id && q.GetProperty("pinned").GetBoolean());
        await host.Connection.InvokeAsync("Answer", id, "街道将在下月征求居民意见后调整。");
        var answered = await resident.WaitForAsync("QuestionUpdated", q => q.GetProperty("id").GetInt64() == id && q.GetProperty("status").GetString() == "answered");
        Assert.Equal("街道将在下月征求居民意见后调整。", answered.GetProperty("answer").GetString());

        await host.Connection.InvokeAsync("Hide", id);
        var hidden = await resident.WaitForAsync("QuestionHidden");
        Assert.Equal(id, hidden.GetInt64());
    }

    [Fact]
    public async Task Merging_moves_votes_once_and_a_blocked_participant_can_no_longer_ask()
    {
        var code = await SessionAsync();
        await using var host = await LiveClient.ConnectAsync(factory, Host);
        await using var a = await LiveClient.ConnectAsync(factory);
        await using var b = await LiveClient.ConnectAsync(factory);
        await using var c = await LiveClient.ConnectAsync(factory);
        await host.JoinAsync(code, "主持人");
        await a.JoinAsync(code, "甲");
        await b.JoinAsync(code, "乙");
        await c.JoinAsync(code, "丙");
        var original = (await a.Connection.InvokeAsync<JsonElement>("Ask", "地铁站出口能加装电梯吗？")).GetProperty("id").GetInt64();
        var duplicate = (await b.Connection.InvokeAsync<JsonElement>("Ask", "地铁站能不能装电梯？")).GetProperty("id").GetInt64();
        await c.Connection.InvokeAsync("Vote", original);
        await c.Connection.InvokeAsync("Vote", duplicate);

        await host.Connection.InvokeAsync("Merge", duplicate, original);
        await a.WaitForAsync("QuestionHidden", id => id.GetInt64() == duplicate);
        // 丙 voted for both (counted once); 乙 asked the duplicate and now counts for the original.
        await a.WaitForAsync("QuestionUpdated", q => q.GetProperty("id").GetInt64() == original && q.GetProperty("votes").GetInt32() == 2);

        var participant = await factory.WithDbAsync(db => db.Set<LiveQuestion>().Where(q => q.Id == original).Select(q => q.ParticipantId).SingleAsync());
        await host.Connection.InvokeAsync("Block", participant);
        Assert.Contains("暂停", await RefusalAsync(() => a.Connection.InvokeAsync<JsonElement>("Ask", "再问一个")));
        Assert.Contains("暂停", await RefusalAsync(() => a.Connection.InvokeAsync("Vote", duplicate)));
    }

    [Fact]
    public async Task A_poll_opens_collects_one_answer_each_updates_live_and_closes()
    {
        var code = await SessionAsync();
        await using var host = await LiveClient.ConnectAsync(factory, Host);
        await using var guest = await LiveClient.ConnectAsync(factory);
        await host.JoinAsync(code, "主持人");
        await guest.JoinAsync(code, "访客");
        Assert.Contains("2到10", await RefusalAsync(() => host.Connection.InvokeAsync("OpenPoll", "只有一个选项", false, new[] { "是" })));

        await host.Connection.InvokeAsync("OpenPoll", "您最关心哪项民生工作？", false, new[] { "养老服务", "交通出行", "菜场改造" });
        var opened = await guest.WaitForAsync("PollOpened");
        var pollId = opened.GetProperty("id").GetInt32();
        var options = opened.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("id").GetInt32()).ToArray();
        Assert.Contains("只能选一项", await RefusalAsync(() => guest.Connection.InvokeAsync<JsonElement>("AnswerPoll", pollId, options[..2])));

        await guest.Connection.InvokeAsync<JsonElement>("AnswerPoll", pollId, new[] { options[1] });
        var updated = await host.WaitForAsync("PollUpdated");
        Assert.Equal(1, updated.GetProperty("options")[1].GetProperty("votes").GetInt32());
        Assert.Contains("已经参加", await RefusalAsync(() => guest.Connection.InvokeAsync<JsonElement>("AnswerPoll", pollId, new[] { options[0] })));

        await host.Connection.InvokeAsync("ClosePoll", pollId);
        var closed = await guest.WaitForAsync("PollClosed");
        Assert.Equal("closed", closed.GetProperty("status").GetString());
        Assert.Contains("结束", await RefusalAsync(() => guest.Connection.InvokeAsync<JsonElement>("AnswerPoll", pollId, new[] { options[2] })));
    }

    [Fact]
    public async Task Participants_joining_at_once_are_stored_in_batches_each_with_its_own_row_and_values_as_stored()
    {
        var code = await SessionAsync();
        var session = await factory.WithDbAsync(db => db.Set<LiveSession>().SingleAsync(s => s.JoinCode == code));
        var hostId = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == Host).Select(u => u.Id).SingleAsync());
        var joinedAt = new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero).AddTicks(1234560); // PostgreSQL keeps microseconds
        // A browser stored meanwhile (through another instance): its row is taken, not a second one.
        var stored = await factory.WithDbAsync(async db =>
        {
            var row = new LiveParticipant { SessionId = session.Id, Key = "c:storedmeanwhile0000", Nickname = "先来的", JoinedAt = joinedAt };
            db.Add(row);
            await db.SaveChangesAsync();
            return row.Id;
        });
        var batches = factory.Services.GetRequiredService<LiveParticipantBatches>();
        LiveParticipant Row(string key, string nickname, Guid? user = null) =>
            new() { SessionId = session.Id, Key = key, Nickname = nickname, UserId = user, JoinedAt = joinedAt };
        var fresh = Enumerable.Range(0, 40).Select(i => batches.AddAsync(Row($"c:fresh{i:D4}token000000", $"江苏路居民{i}"))).ToList();
        var twice = new[] { batches.AddAsync(Row("c:twicetwicetwice00", "两次")), batches.AddAsync(Row("c:twicetwicetwice00", "两次")) };
        var again = batches.AddAsync(Row("c:storedmeanwhile0000", "后来的"));
        var signedIn = batches.AddAsync(Row($"u:{hostId:N}", "主持人", hostId));
        var rows = (await Task.WhenAll(fresh)).Select(j => j.Row).ToArray();

        Assert.Equal(40, rows.Select(r => r.Id).Distinct().Count());
        Assert.All(rows, r => Assert.True(r.Id > 0));
        var (first, second) = ((await twice[0]).Row.Id, (await twice[1]).Row.Id);
        Assert.Equal(first, second);
        Assert.Equal(stored, (await again).Row.Id);
        var (host, seq) = await signedIn;
        // With the row comes the session's seq as it stood when the row was stored.
        Assert.Equal(await factory.WithDbAsync(db => db.Set<LiveSession>().Where(s => s.Id == session.Id).Select(s => s.Seq).SingleAsync()), seq);
        // What was written reads back through the model as it was given: the account, the instant, the nickname.
        var back = await factory.WithDbAsync(db => db.Set<LiveParticipant>().AsNoTracking().SingleAsync(p => p.UserId == hostId && p.SessionId == session.Id));
        Assert.Equal(host.Id, back.Id);
        Assert.Equal(joinedAt, back.JoinedAt);
        Assert.Equal("主持人", back.Nickname);
        Assert.False(back.Blocked);
        var all = await factory.WithDbAsync(db => db.Set<LiveParticipant>().AsNoTracking().Where(p => p.SessionId == session.Id).ToListAsync());
        Assert.Equal(40 + 1 + 1 + 1, all.Count);
        Assert.Equal("先来的", all.Single(p => p.Id == stored).Nickname);
        Assert.Equal(rows.Select(r => (r.Id, r.Nickname)).Order(), all.Where(p => p.Key.StartsWith("c:fresh")).Select(p => (p.Id, p.Nickname)).Order());
    }

    [Fact]
    public async Task A_client_without_cookies_comes_back_as_the_same_participant_with_its_token()
    {
        var code = await SessionAsync();
        await using var asker = await LiveClient.ConnectAsync(factory);
        await asker.JoinAsync(code, "提问人");
        var id = (await asker.Connection.InvokeAsync<JsonElement>("Ask", "社区医院能延长门诊时间吗？")).GetProperty("id").GetInt64();
        string token;
        await using (var first = await LiveClient.ConnectAsync(factory))
        {
            token = (await first.JoinAsync(code, "无Cookie客户端")).GetProperty("participantToken").GetString()!;
            await first.Connection.InvokeAsync("Vote", id);
        }
        await using var again = await LiveClient.ConnectAsync(factory, participant: token);
        var joined = await again.JoinAsync(code, "无Cookie客户端");
        Assert.Equal(token, joined.GetProperty("participantToken").GetString());
        Assert.Contains(id, joined.GetProperty("myVotes").EnumerateArray().Select(v => v.GetInt64()));
        Assert.Contains("已经赞同", await RefusalAsync(() => again.Connection.InvokeAsync("Vote", id)));
    }

    [Fact]
    public async Task Personal_data_written_as_people_write_it_is_masked_before_the_push_and_flagged_to_the_host()
    {
        var code = await SessionAsync();
        await using var asker = await LiveClient.ConnectAsync(factory);
        await using var listener = await LiveClient.ConnectAsync(factory);
        await asker.JoinAsync(code, "电话138 0013 8000");
        await listener.JoinAsync(code, "旁听者");
        await asker.Connection.InvokeAsync<JsonElement>("Ask", "我的手机一三八零零一三八零零零，邮箱zhangsan ＠ example。com，能回电吗？");
        var added = await listener.WaitForAsync("QuestionAdded", q => q.GetProperty("text").GetString()!.Contains("回电"));
        Assert.Equal("我的手机一三八****八零零零，邮箱******** ＠ example。com，能回电吗？", added.GetProperty("text").GetString());
        Assert.Equal("电话138 **** 8000", added.GetProperty("author").GetString());
        Assert.True(await factory.WithDbAsync(db => db.Set<LiveQuestion>().AnyAsync(q => q.Text.Contains("回电") && q.PersonalDataMasked)));
    }

    [Fact]
    public async Task A_session_that_requires_sign_in_refuses_nicknames()
    {
        var code = await SessionAsync(requireSignIn: true);
        await using var guest = await LiveClient.ConnectAsync(factory);
        Assert.Contains("登录", await RefusalAsync(() => guest.JoinAsync(code, "访客")));
        await using var resident = await LiveClient.ConnectAsync(factory, "resident2@example.org");
        // Left empty, the signed-in person is 匿名 to everyone: their account name is never shown unless they type it.
        var joined = await resident.JoinAsync(code, "");
        Assert.Equal(JsonValueKind.Null, joined.GetProperty("nickname").ValueKind);
        await resident.Connection.InvokeAsync<JsonElement>("Ask", "没填昵称的提问会显示谁？");
        var asked = await resident.WaitForAsync("QuestionAdded", q => q.GetProperty("text").GetString()!.Contains("没填昵称"));
        Assert.Equal(JsonValueKind.Null, asked.GetProperty("author").ValueKind);
        var accountName = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == "resident2@example.org").Select(u => u.DisplayName).SingleAsync());
        Assert.DoesNotContain(accountName, asked.GetRawText());
    }

    [Fact]
    public async Task Host_pages_moderate_end_the_session_and_the_archive_and_FAQ_appear_on_the_event_page()
    {
        var eventId = await factory.WithDbAsync(db => db.Set<Engagement.Web.Features.OpenMonth.OpenEvent>().Select(e => e.Id).FirstAsync());
        var code = await SessionAsync(eventId: eventId);
        await using var guest = await LiveClient.ConnectAsync(factory);
        await guest.JoinAsync(code, "访客");
        var id = (await guest.Connection.InvokeAsync<JsonElement>("Ask", "活动现场有没有停车位？")).GetProperty("id").GetInt64();

        var anonymous = factory.CreateBrowser();
        var denied = await anonymous.GetAsync($"/live/{code}/host");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        var resident = factory.CreateBrowser();
        await resident.SignInAsync("resident1@example.org");
        Assert.Contains("/account/denied", (await resident.GetAsync($"/live/{code}/host")).Headers.Location!.OriginalString);

        var host = factory.CreateBrowser();
        await host.SignInAsync(Host);
        var console = await host.GetPageAsync($"/live/{code}/host");
        var response = await host.SubmitAsync(console, $"/live/{code}/host/questions/{id}/answer", new Dictionary<string, string> { ["answer"] = "场馆东侧有20个临时车位。" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await guest.WaitForAsync("QuestionUpdated", q => q.GetProperty("id").GetInt64() == id && q.GetProperty("status").GetString() == "answered");

        // Co-hosts must be hosts, staff or admins.
        console = await host.GetPageAsync($"/live/{code}/host");
        await host.SubmitAsync(console, $"/live/{code}/host/cohosts", new Dictionary<string, string> { ["email"] = "resident2@example.org" });
        await host.SubmitAsync(console, $"/live/{code}/host/cohosts", new Dictionary<string, string> { ["email"] = "civil@example.org" });
        var cohosts = await factory.WithDbAsync(db => db.Set<LiveHost>().Where(h => db.Set<LiveSession>().Any(s => s.Id == h.SessionId && s.JoinCode == code))
            .Select(h => h.User!.Email).ToListAsync());
        Assert.Contains("civil@example.org", cohosts);
        Assert.DoesNotContain("resident2@example.org", cohosts);

        await host.SubmitAsync(console, $"/live/{code}/host/end");
        await guest.WaitForAsync("SessionEnded");
        Assert.Contains("结束", await RefusalAsync(() => guest.Connection.InvokeAsync<JsonElement>("Ask", "结束后还能问吗？")));

        // From the archive, staff turn the answer into an FAQ entry of the event's page, once however often they click.
        var staff = factory.CreateBrowser();
        await staff.SignInAsync("staff@example.org");
        var archivePage = await staff.GetPageAsync($"/live/{code}");
        Assert.Equal(HttpStatusCode.Redirect, (await staff.SubmitAsync(archivePage, $"/live/{code}/faq/{id}")).StatusCode);
        await staff.SubmitAsync(archivePage, $"/live/{code}/faq/{id}");
        Assert.Equal(1, await factory.WithDbAsync(db => db.Set<FaqEntry>().CountAsync(f => f.SourceId == id)));
        Assert.NotNull((await staff.GetPageAsync($"/live/{code}")).QuerySelector($"#in-faq-{id}"));

        var page = await anonymous.GetPageAsync($"/events/{eventId}");
        Assert.Contains("场馆东侧有20个临时车位。", page.QuerySelector("#live-qa")!.TextContent);
        Assert.Contains("活动现场有没有停车位？", page.QuerySelector("#faq")!.TextContent);
        var archive = await anonymous.GetPageAsync($"/live/{code}");
        Assert.Contains("场馆东侧有20个临时车位。", archive.QuerySelector("#archive")!.TextContent);
    }

    [Fact]
    public async Task A_host_creates_a_session_through_the_page_and_bad_input_is_explained()
    {
        var host = factory.CreateBrowser();
        await host.SignInAsync(Host);
        var form = await host.GetPageAsync("/live/new");
        var bad = await host.SubmitAsync(form, "/live/new", new Dictionary<string, string> { ["title"] = " ", ["moderation"] = "Pre" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var created = await host.SubmitAsync(form, "/live/new", new Dictionary<string, string> { ["title"] = "《长宁区养老服务补贴办法》解读", ["moderation"] = "Pre", ["requireSignIn"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var code = created.Headers.Location!.OriginalString.Split('/')[2];
        Assert.Matches("^[A-Z2-9]{6}$", code);
        var session = await factory.WithDbAsync(db => db.Set<LiveSession>().SingleAsync(s => s.JoinCode == code));
        Assert.Equal(LiveModeration.Pre, session.Moderation);
        Assert.True(session.RequireSignIn);
        Assert.Equal(HttpStatusCode.NotFound, (await host.GetAsync("/live?code=QQQQQQ")).StatusCode);
        Assert.Equal($"/live/{code}", (await host.GetAsync($"/live?code={code.ToLowerInvariant()}")).Headers.Location!.OriginalString);
        Assert.Equal("image/svg+xml", (await host.GetAsync($"/live/{code}/qr.svg")).Content.Headers.ContentType!.MediaType);
    }
}

public sealed class LiveTests_Sqlite(SqliteFactory factory) : LiveTests<SqliteFactory>(factory);
public sealed class LiveTests_Postgres(PostgresFactory factory) : LiveTests<PostgresFactory>(factory);
