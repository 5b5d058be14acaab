using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Time;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Meetings;

/// <summary>
/// Demo meetings: a district executive meeting held three weeks ago with a finished draw over 36 applications (one
/// seat declined and passed on, what the representatives said recorded), and the next one taking applications now.
/// </summary>
public static class MeetingDemo
{
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙"];
    private static readonly string[] Given = ["丽华", "建平", "晓东", "美玲", "志强", "文静", "国庆", "海燕", "俊杰", "秀兰", "卫东", "佳怡"];

    private static readonly ApplicantCategory[] Mix =
    [
        ApplicantCategory.Resident, ApplicantCategory.Resident, ApplicantCategory.SmallBusiness, ApplicantCategory.Resident,
        ApplicantCategory.Enterprise, ApplicantCategory.Expert, ApplicantCategory.Resident, ApplicantCategory.Other, ApplicantCategory.SmallBusiness,
    ];

    private static readonly string[] Statements =
    [
        "我在仙霞新村住了三十年，见证了老小区的变化，希望为养老服务建设出一份力。",
        "经营社区早餐店十年，了解周边老人的用餐需求。",
        "从事养老护理工作，熟悉长者照护之家的运营难点。",
        "退休教师，参与过街道的自治议事会。",
        "在虹桥临空园区工作，关注区里的营商环境政策。",
    ];

    public static async Task EnsureAsync(IServiceProvider services, EngagementDbContext db, TimeProvider clock)
    {
        if (await db.Set<Meeting>().AnyAsync()) return;
        var care = await db.Set<Decision>().Where(d => d.Title.Contains("嵌入式养老")).Select(d => (int?)d.Id).SingleOrDefaultAsync();
        var elevator = await db.Set<Decision>().Where(d => d.Title.Contains("加装电梯")).Select(d => (int?)d.Id).SingleOrDefaultAsync();
        if (care is null || elevator is null) return;
        var now = clock.GetUtcNow();
        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin@example.org"), new Claim(ClaimTypes.Role, Roles.Admin)], "demo"));

        var applicants = await ApplicantsAsync(db, 36, now);
        var year = ChinaTime.Today(clock).Year;
        var catalog = await db.Set<Decision>().Where(d => d.Year == year).Select(d => d.Id).ToListAsync();

        // The solicitation before the 15th meeting: the elderly-care measures drew most votes and were chosen.
        var solicited = new TopicPoll { Year = year, Title = $"{year}年第四季度区政府常务会议议题征集", OpensAt = now.AddDays(-62), ClosesAt = now.AddDays(-48), CreatedAt = now.AddDays(-63) };
        var current = new TopicPoll { Year = year, Title = $"{year + 1}年第一季度区政府常务会议议题征集", OpensAt = now.AddDays(-2), ClosesAt = now.AddDays(12), CreatedAt = now.AddDays(-3) };
        db.AddRange(solicited, current);
        await db.SaveChangesAsync();
        for (var i = 0; i < applicants.Count; i++)
        {
            db.Add(new TopicVote { PollId = solicited.Id, DecisionId = i % 3 == 2 ? elevator.Value : care.Value, UserId = applicants[i].Id, CreatedAt = solicited.OpensAt.AddHours(i * 3) });
            if (i % 4 == 0) db.Add(new TopicVote { PollId = current.Id, DecisionId = elevator.Value, UserId = applicants[i].Id, CreatedAt = current.OpensAt.AddHours(i) });
            if (i % 5 == 0 && catalog.Count > 3) db.Add(new TopicVote { PollId = current.Id, DecisionId = catalog[^1], UserId = applicants[i].Id, CreatedAt = current.OpensAt.AddHours(i) });
        }
        await db.SaveChangesAsync();

        // Three weeks ago: the 15th executive meeting discussed the elderly-care measures.
        var past = new Meeting
        {
            Kind = MeetingKind.Executive, Title = $"区政府第十五次常务会议", HeldAt = At(now, -21, 9, 30), Place = "长宁区政府 第一会议室", Seats = 6,
            ApplicationsOpenAt = At(now, -45, 9, 0), ApplicationsCloseAt = At(now, -31, 17, 0),
            SeedSource = "中国福利彩票双色球第 2026134 期（报名截止后的第一期）的开奖结果，按开奖公告原样录入", CreatedAt = now.AddDays(-46),
            PublicSource = "中国福利彩票双色球", PublicDrawNumber = "2026134",
            Quotas = [new() { Position = 1, Category = ApplicantCategory.Resident, Seats = 3 }, new() { Position = 2, Category = ApplicantCategory.SmallBusiness, Seats = 1 }],
            Topics = [new() { DecisionId = care.Value }],
        };
        past.PublicDrawAt = FirstDrawAfter(past.ApplicationsCloseAt);
        db.Add(past);
        await db.SaveChangesAsync();
        for (var i = 0; i < applicants.Count; i++)
        {
            db.Add(Application(past, applicants[i], Mix[i % Mix.Length], past.ApplicationsOpenAt.AddHours(5 * i + 1), i));
        }
        await db.SaveChangesAsync();

        // The list was frozen (and the secret committed) right after the close; the result was entered after the lottery draw.
        await ActivatorUtilities.CreateInstance<MeetingService>(services, new FixedClock(past.ApplicationsCloseAt.AddMinutes(5))).FreezeIfDueAsync(past.Id);
        var drawing = ActivatorUtilities.CreateInstance<MeetingService>(services, new FixedClock(past.PublicDrawAt.Value.AddMinutes(40)));
        await drawing.EnterSeedAsync(past.Id, admin, "2026134期：03 08 15 21 27 32 + 11");
        var selected = await db.Set<RepresentativeApplication>().Where(a => a.MeetingId == past.Id && a.Standing == DrawStanding.Selected)
            .OrderBy(a => a.Rank).ToListAsync();
        var responding = ActivatorUtilities.CreateInstance<MeetingService>(services, new FixedClock(past.ApplicationsCloseAt.AddHours(40)));
        // The second-ranked selected could not come; the seat passed on. Everyone else confirmed.
        await responding.RespondAsync(past.Id, selected[1].UserId!.Value, confirm: false);
        var holders = await db.Set<RepresentativeApplication>().Where(a => a.MeetingId == past.Id && a.Standing == DrawStanding.Selected).ToListAsync();
        foreach (var holder in holders) await responding.RespondAsync(past.Id, holder.UserId!.Value, confirm: true);

        var recording = ActivatorUtilities.CreateInstance<MeetingService>(services, new FixedClock(past.HeldAt.AddDays(1)));
        var speakers = await db.Set<RepresentativeApplication>().Where(a => a.MeetingId == past.Id && a.Standing == DrawStanding.Confirmed)
            .OrderBy(a => a.Rank).Take(3).Select(a => a.PublicId).ToListAsync();
        string[] said =
        [
            "建议助餐点对80岁以上老人再给予每餐3元补贴，并公开各助餐点的价格。",
            "长者照护之家的护理员流失严重，建议把护理员纳入区人才公寓保障范围。",
            "希望日间照料中心增加周末服务，方便双职工家庭。",
        ];
        (string Outcome, string? Reason)[] answers =
        [
            ("partly-adopted", "对80岁以上低收入老人给予每餐3元补贴，价格在“长宁养老”小程序公开。"),
            ("adopted", null),
            ("not-adopted", "周末服务需增加人手，本年度先在两个街道试点，视效果再推广。"),
        ];
        for (var i = 0; i < speakers.Count; i++)
        {
            await recording.RecordOpinionAsync(past.Id, admin, speakers[i], care, said[i], answers[i].Outcome, answers[i].Reason);
        }

        // Next: the 17th executive meeting takes applications now, with the elevator rules on its agenda.
        var next = new Meeting
        {
            Kind = MeetingKind.Executive, Title = "区政府第十七次常务会议", HeldAt = At(now, 24, 9, 30), Place = "长宁区政府 第一会议室", Seats = 8,
            ApplicationsOpenAt = At(now, -3, 9, 0), ApplicationsCloseAt = At(now, 10, 17, 0), LiveStreamUrl = "https://www.shcn.gov.cn/",
            SeedSource = "中国福利彩票双色球第 2026141 期（报名截止后的第一期）的开奖结果，按开奖公告原样录入，如“期号: 红球 + 蓝球”", CreatedAt = now.AddDays(-4),
            PublicSource = "中国福利彩票双色球", PublicDrawNumber = "2026141",
            Quotas = [new() { Position = 1, Category = ApplicantCategory.Resident, Seats = 4 }, new() { Position = 2, Category = ApplicantCategory.SmallBusiness, Seats = 2 }],
            Topics = [new() { DecisionId = elevator.Value }],
        };
        next.PublicDrawAt = FirstDrawAfter(next.ApplicationsCloseAt);
        db.Add(next);
        await db.SaveChangesAsync();
        for (var i = 0; i < 7; i++)
        {
            db.Add(Application(next, applicants[i * 5], Mix[(i + 2) % Mix.Length], next.ApplicationsOpenAt.AddHours(7 * i + 2), i));
        }
        await db.SaveChangesAsync();
    }

    private static RepresentativeApplication Application(Meeting meeting, User user, ApplicantCategory category, DateTimeOffset at, int i) => new()
    {
        MeetingId = meeting.Id, UserId = user.Id, PublicId = MeetingService.NewPublicId(), RealName = user.DisplayName, Phone = $"139{(10000000 + i * 7919) % 100000000:D8}",
        Category = category, Connection = (DistrictConnection)(i % 3), Statement = Statements[i % Statements.Length], ConsentedAt = at,
        Status = ApplicationStatus.Eligible, CreatedAt = at,
    };

    /// <summary>Applicants of the demo meetings: accounts without a password (they cannot sign in), so no password hashing slows start-up.</summary>
    private static async Task<List<User>> ApplicantsAsync(EngagementDbContext db, int count, DateTimeOffset now)
    {
        var users = new List<User>();
        for (var i = 1; i <= count; i++)
        {
            var email = $"applicant{i:D2}@example.org";
            var user = await db.Users.SingleOrDefaultAsync(u => u.Email == email);
            if (user is null)
            {
                user = new User
                {
                    Id = Guid.NewGuid(), UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
                    EmailConfirmed = true, DisplayName = Surnames[i % Surnames.Length] + Given[(i * 5) % Given.Length], SecurityStamp = Guid.NewGuid().ToString("N"),
                    ConcurrencyStamp = Guid.NewGuid().ToString(), CreatedAt = now.AddDays(-60),
                };
                db.Users.Add(user);
            }
            users.Add(user);
        }
        await db.SaveChangesAsync();
        return users;
    }

    /// <summary>The first 双色球 draw after an instant, as an instant.</summary>
    private static DateTimeOffset FirstDrawAfter(DateTimeOffset instant) =>
        Platform.Time.ChinaTime.FromChina(StaffMeetingsController.NextDoubleColourBall(Platform.Time.ChinaTime.ToChina(instant).DateTime)).ToUniversalTime();

    /// <summary>A clerk's time: the China date so many days from now, at the given hour and minute.</summary>
    private static DateTimeOffset At(DateTimeOffset now, int days, int hour, int minute) =>
        Platform.Time.ChinaTime.FromChina(Platform.Time.ChinaTime.ToChina(now).Date.AddDays(days).AddHours(hour).AddMinutes(minute)).ToUniversalTime();
}
