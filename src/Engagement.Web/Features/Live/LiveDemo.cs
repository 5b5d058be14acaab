using Engagement.Web.Features.Faq;
using Engagement.Web.Features.OpenMonth;
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Live;

/// <summary>
/// Demo live Q&amp;A: a policy briefing running now with join code DEMO26 (post-moderated, open to nicknames), with
/// questions, votes, a pinned question, answers and an open poll; and an ended session on the year-round open day
/// whose answers are its archive, one of them already in that page's FAQ.
/// </summary>
public static class LiveDemo
{
    public const string JoinCode = "DEMO26";

    public static async Task EnsureAsync(EngagementDbContext db, TimeProvider clock)
    {
        if (await db.Set<LiveSession>().AnyAsync()) return;
        var host = await db.Users.Where(u => u.Email == "host@example.org").Select(u => (Guid?)u.Id).SingleOrDefaultAsync();
        if (host is null) return;
        var now = clock.GetUtcNow();

        var briefing = new LiveSession
        {
            JoinCode = JoinCode, Title = "《长宁区既有多层住宅加装电梯实施办法》政策解读会",
            Description = "区住房保障和房屋管理局解读加装电梯的申请条件、补贴标准和办理流程，现场和线上均可提问。",
            Moderation = LiveModeration.Post, CreatedById = host.Value, CreatedAt = now.AddMinutes(-40),
        };
        db.Add(briefing);
        await db.SaveChangesAsync();
        db.Add(new LiveHost { SessionId = briefing.Id, UserId = host.Value, AddedAt = briefing.CreatedAt });

        string[] names = ["仙霞居民老王", "天山路张阿姨", "虹桥街道小李", "北新泾陈先生", "周家桥楼组长", "华阳路刘老师", "江苏路居民", "新泾镇赵女士"];
        var people = names.Select((n, i) => new LiveParticipant { SessionId = briefing.Id, Key = $"demo:{i}", Nickname = n, JoinedAt = now.AddMinutes(-35 + i) }).ToList();
        db.AddRange(people);
        await db.SaveChangesAsync();

        var seq = 0L;
        LiveQuestion Ask(int who, string text, int minutesAgo, bool anonymous = false) => new()
        {
            SessionId = briefing.Id, ParticipantId = people[who].Id, Text = text, Anonymous = anonymous, Status = LiveQuestionStatus.Visible,
            AskedAt = now.AddMinutes(-minutesAgo), Seq = ++seq,
        };
        var subsidy = Ask(0, "加装电梯的补贴标准是多少？一台电梯区里和市里一共能补多少钱？", 30);
        var consent = Ask(1, "一楼住户不同意怎么办？需要多少比例的业主同意才能申请？", 28);
        var maintenance = Ask(2, "电梯装好以后的维保费用由谁承担，低楼层住户也要分摊吗？", 25);
        var time = Ask(3, "从申请到电梯投入使用一般需要多长时间？", 22);
        var fund = Ask(4, "可以提取住房公积金支付加装电梯的费用吗？", 18, anonymous: true);
        var noise = Ask(5, "施工期间噪音和出行不便有什么保障措施？", 12);
        var old = Ask(6, "老旧小区没有物业的，谁来牵头办理？", 8);
        subsidy.Status = LiveQuestionStatus.Answered;
        subsidy.Answer = "每台电梯市级补贴最高28万元，区级按规定给予配套补贴，具体以区住房保障和房屋管理局公布的标准为准。";
        subsidy.AnsweredAt = now.AddMinutes(-20);
        consent.Status = LiveQuestionStatus.Answered;
        consent.AnsweredLive = true;
        consent.AnsweredAt = now.AddMinutes(-15);
        maintenance.Pinned = true;
        db.AddRange(subsidy, consent, maintenance, time, fund, noise, old);
        await db.SaveChangesAsync();

        void Votes(LiveQuestion q, params int[] voters)
        {
            db.AddRange(voters.Where(v => people[v].Id != q.ParticipantId).Select(v => new LiveVote { QuestionId = q.Id, ParticipantId = people[v].Id, CreatedAt = now.AddMinutes(-5) }));
            q.Votes = voters.Count(v => people[v].Id != q.ParticipantId);
        }
        Votes(subsidy, 1, 2, 3, 4, 5, 6, 7);
        Votes(consent, 0, 2, 3, 5, 6, 7);
        Votes(maintenance, 0, 1, 3, 4, 7);
        Votes(fund, 0, 1, 2);
        Votes(time, 5, 7);
        Votes(old, 1);

        var poll = new LivePoll
        {
            SessionId = briefing.Id, Question = "您所在的楼栋是否有意向加装电梯？", Status = LivePollStatus.Open, OpenedAt = now.AddMinutes(-10), Seq = ++seq,
            Options =
            [
                new LivePollOption { Position = 0, Text = "已经在筹备", Votes = 2 },
                new LivePollOption { Position = 1, Text = "有意向，还没开始", Votes = 3 },
                new LivePollOption { Position = 2, Text = "暂时没有", Votes = 1 },
            ],
        };
        db.Add(poll);
        await db.SaveChangesAsync();
        var answers = new[] { (0, 0), (1, 1), (2, 1), (3, 0), (4, 1), (5, 2) };
        db.AddRange(answers.Select(a => new LivePollAnswer { PollId = poll.Id, ParticipantId = people[a.Item1].Id, OptionIds = poll.Options[a.Item2].Id.ToString(), AnsweredAt = now.AddMinutes(-8) }));
        briefing.Seq = ++seq;
        await db.SaveChangesAsync();

        // An open day whose live Q&A has ended: its answers are on the event's page, one already an FAQ entry.
        var openDay = await db.Set<OpenEvent>().Where(e => !e.OpenMonth).OrderBy(e => e.StartsAt).FirstOrDefaultAsync();
        if (openDay is null) return;
        var past = new LiveSession
        {
            JoinCode = "CNQA25", Title = openDay.Title + " · 现场问答", EventId = openDay.Id, Moderation = LiveModeration.Pre, Status = LiveSessionStatus.Ended,
            CreatedById = host.Value, CreatedAt = now.AddDays(-30), EndedAt = now.AddDays(-30).AddHours(1), Seq = 4,
        };
        db.Add(past);
        await db.SaveChangesAsync();
        db.Add(new LiveHost { SessionId = past.Id, UserId = host.Value, AddedAt = past.CreatedAt });
        var visitor = new LiveParticipant { SessionId = past.Id, Key = "demo:past", Nickname = "愚园路居民", JoinedAt = past.CreatedAt };
        db.Add(visitor);
        await db.SaveChangesAsync();
        var hotline = new LiveQuestion
        {
            SessionId = past.Id, ParticipantId = visitor.Id, Text = "12345热线的工单一般多久会有回复？", Status = LiveQuestionStatus.Answered,
            Answer = "一般诉求在5个工作日内答复，简单诉求1个工作日内答复；办理结果会电话回访。", AnsweredAt = past.CreatedAt.AddMinutes(20),
            AskedAt = past.CreatedAt.AddMinutes(5), Votes = 12, Duplicates = 2, Seq = 2,
        };
        var visit = new LiveQuestion
        {
            SessionId = past.Id, ParticipantId = visitor.Id, Text = "开放日以后还能再来参观城运中心吗？", Status = LiveQuestionStatus.Answered,
            AnsweredLive = true, AnsweredAt = past.CreatedAt.AddMinutes(40), AskedAt = past.CreatedAt.AddMinutes(30), Votes = 4, Seq = 3,
        };
        db.AddRange(hotline, visit);
        await db.SaveChangesAsync();
        db.Add(new FaqEntry
        {
            Page = $"/events/{openDay.Id}", Question = hotline.Text, Answer = hotline.Answer!, Source = FaqService.LiveSource, SourceId = hotline.Id,
            CreatedAt = past.EndedAt!.Value, UpdatedAt = past.EndedAt.Value,
        });
        await db.SaveChangesAsync();
    }
}
