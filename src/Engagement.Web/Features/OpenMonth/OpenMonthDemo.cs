using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Time;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.OpenMonth;

/// <summary>Demo programme: next August's Open Month in three venues (one event full with a waitlist) and a year-round open day taking sign-ups now.</summary>
public static class OpenMonthDemo
{
    public static async Task EnsureAsync(EngagementDbContext db, TimeProvider clock)
    {
        if (await db.Set<OpenEvent>().AnyAsync()) return;
        var now = clock.GetUtcNow();
        var today = ChinaTime.Today(clock);
        var august = today.Month > 8 ? today.Year + 1 : today.Year;
        var units = await db.Units.ToDictionaryAsync(u => u.Name, u => u.Id);
        if (!units.ContainsKey("区政府办公室")) return;

        var service = new Venue { Name = "长宁区行政服务中心", Address = "长宁区长宁路599号", AccessibleEntrance = "东门有无障碍坡道和电梯，可借用轮椅", TransportNotes = "地铁2号线、11号线江苏路站；公交44路、825路" };
        var operations = new Venue { Name = "长宁区城市运行管理中心", Address = "长宁区愚园路1320号", AccessibleEntrance = "正门平层进入，设无障碍卫生间", TransportNotes = "地铁2号线中山公园站步行10分钟" };
        var market = new Venue { Name = "长宁区市场监管局 虹桥所", Address = "长宁区仙霞路（示例地址）", AccessibleEntrance = "北侧入口设坡道", TransportNotes = "地铁10号线伊犁路站" };
        db.AddRange(service, operations, market);
        // This year's July solicitation chose the August programme; an open call for year-round open days runs now.
        var july = new ThemeSolicitation { Title = $"{august}年政府开放月主题征集", OpensAt = ChinaTime.FromChina(new DateTime(august, 7, 1)).ToUniversalTime(),
            ClosesAt = ChinaTime.FromChina(new DateTime(august, 8, 1)).ToUniversalTime(), CreatedAt = now };
        var yearRound = new ThemeSolicitation { Title = "开放日活动常年征集", OpensAt = now.AddDays(-10), ClosesAt = now.AddDays(20), CreatedAt = now };
        db.AddRange(july, yearRound);
        await db.SaveChangesAsync();
        db.AddRange(
            new ThemeProposal { SolicitationId = yearRound.Id, Kind = ProposalKind.ResidentTheme, Text = "希望看看12345热线工单是怎么分派和回访的", Status = ProposalStatus.Proposed, CreatedAt = now.AddDays(-9) },
            new ThemeProposal { SolicitationId = yearRound.Id, Kind = ProposalKind.ResidentTheme, Text = "走进社区食堂后厨，看看食品安全怎么管", Status = ProposalStatus.Chosen, CreatedAt = now.AddDays(-8) },
            new ThemeProposal { SolicitationId = yearRound.Id, Kind = ProposalKind.UnitEvent, UnitId = units["区政府办公室"], Text = "城运中心周末开放日（每月一次）", Status = ProposalStatus.Chosen, CreatedAt = now.AddDays(-7) });

        OpenEvent Event(string title, string unit, Venue venue, DateTime startsChina, int hours, int capacity, ThemeArea theme, EventSegments segments, bool openMonth,
            DateTimeOffset opens, DateTimeOffset closes, string description) => new()
        {
            Title = title, UnitId = units.GetValueOrDefault(unit, units["区政府办公室"]), Venue = venue, Theme = theme, Segments = segments, OpenMonth = openMonth,
            StartsAt = ChinaTime.FromChina(startsChina).ToUniversalTime(), EndsAt = ChinaTime.FromChina(startsChina.AddHours(hours)).ToUniversalTime(),
            Capacity = capacity, RegistrationOpensAt = opens, RegistrationClosesAt = closes, Description = description, CreatedAt = now,
        };

        var julyFirst = ChinaTime.FromChina(new DateTime(august, 7, 1, 9, 0, 0)).ToUniversalTime();
        var julyEnd = ChinaTime.FromChina(new DateTime(august, 7, 31, 17, 0, 0)).ToUniversalTime();
        db.AddRange(
            Event("走进“一网通办”：体验企业开办全程网办", "区政府办公室", service, new DateTime(august, 8, 6, 9, 30, 0), 2, 40, ThemeArea.OneNetService,
                EventSegments.HandsOn | EventSegments.QuestionsAndAnswers | EventSegments.Questionnaire, true, julyFirst, julyEnd,
                "在行政服务中心现场体验企业开办、个体工商户登记的全程网办，窗口工作人员现场答疑。"),
            Event("城运中心开放日：看“一网统管”如何处置一件街面问题", "区政府办公室", operations, new DateTime(august, 8, 15, 14, 0, 0), 2, 30, ThemeArea.OneNetGovernance,
                EventSegments.Forum | EventSegments.QuestionsAndAnswers, true, julyFirst, julyEnd,
                "参观城运中心大屏，跟随一件占道经营案例了解发现、派单、处置、反馈的全过程。"),
            Event("食品安全“你点我检”开放日", "区市场监管局", market, new DateTime(august, 8, 22, 9, 30, 0), 2, 25, ThemeArea.FairSupervision,
                EventSegments.HandsOn | EventSegments.Questionnaire, true, julyFirst, julyEnd,
                "由居民点单抽检的食品种类，现场观看快检过程并了解抽检结果的公开方式。"));
        // A year-round open day: small, already full, with people waiting.
        var full = Event("政务公开办开放日：政府信息公开申请怎么办", "区政府办公室", service, today.AddDays(12).ToDateTime(new TimeOnly(14, 0)), 2, 3, ThemeArea.Livelihood,
            EventSegments.QuestionsAndAnswers | EventSegments.Forum, false, now.AddDays(-5), now.AddDays(10),
            "面对面讲解依申请公开的流程、期限和答复方式，欢迎带着问题来。");
        var open = Event("城运中心周末开放日", "区政府办公室", operations, today.AddDays(19).ToDateTime(new TimeOnly(10, 0)), 2, 30, ThemeArea.PublicSafety,
            EventSegments.HandsOn | EventSegments.QuestionsAndAnswers, false, now.AddDays(-2), now.AddDays(17),
            "周末开放，适合带孩子了解城市运行和防汛防台的知识。");
        // Last month's edition, already held: those who came answer its questionnaire until two weeks after it.
        var held = Event("城运中心十一月开放日", "区政府办公室", operations, today.AddDays(-8).ToDateTime(new TimeOnly(10, 0)), 2, 30, ThemeArea.PublicSafety,
            EventSegments.HandsOn | EventSegments.QuestionsAndAnswers, false, now.AddDays(-30), now.AddDays(-10),
            "周末开放，适合带孩子了解城市运行和防汛防台的知识。");
        db.AddRange(full, open, held);
        await db.SaveChangesAsync();

        var attendees = await db.Users.Where(u => u.Email!.StartsWith("resident")).OrderBy(u => u.Email).Take(held.Capacity).ToListAsync();
        foreach (var (person, i) in attendees.Select((p, i) => (p, i)))
        {
            db.Add(new EventRegistration
            {
                EventId = held.Id, UserId = person.Id, Status = RegistrationStatus.Confirmed, CheckInCode = $"HELD{held.Id:D2}{i:D4}",
                CreatedAt = now.AddDays(-20).AddHours(i), CheckedInAt = ChinaTime.FromChina(today.AddDays(-8).ToDateTime(new TimeOnly(9, 50))).ToUniversalTime(),
            });
        }
        held.Confirmed = attendees.Count;
        db.AddRange(
            new Question { EventId = held.Id, Position = 1, Kind = QuestionKind.Rating, Text = "您对本次开放日的总体满意度", Required = true },
            new Question { EventId = held.Id, Position = 2, Kind = QuestionKind.MultipleChoice, Text = "您最感兴趣的环节", Required = false,
                Options = System.Text.Json.JsonSerializer.Serialize(new[] { "城运大屏讲解", "防汛防台演示", "现场问答", "亲子互动" }) },
            new Question { EventId = held.Id, Position = 3, Kind = QuestionKind.FreeText, Text = "您对城市运行管理还有什么建议？", Required = false });
        await db.SaveChangesAsync();

        // The weekend open day asks the same three questions once it has begun.
        db.AddRange(
            new Question { EventId = open.Id, Position = 1, Kind = QuestionKind.Rating, Text = "您对本次开放日的总体满意度", Required = true },
            new Question { EventId = open.Id, Position = 2, Kind = QuestionKind.MultipleChoice, Text = "您最感兴趣的环节", Required = false,
                Options = System.Text.Json.JsonSerializer.Serialize(new[] { "城运大屏讲解", "防汛防台演示", "现场问答", "亲子互动" }) },
            new Question { EventId = open.Id, Position = 3, Kind = QuestionKind.FreeText, Text = "您对城市运行管理还有什么建议？", Required = false });
        await db.SaveChangesAsync();
        var applicants = await db.Users.Where(u => u.Email!.StartsWith("applicant")).OrderBy(u => u.Email).Take(5).ToListAsync();
        for (var i = 0; i < applicants.Count; i++)
        {
            var confirmed = i < full.Capacity;
            db.Add(new EventRegistration
            {
                EventId = full.Id, UserId = applicants[i].Id, Status = confirmed ? RegistrationStatus.Confirmed : RegistrationStatus.Waitlisted,
                CheckInCode = $"DEMO{full.Id:D2}{i:D4}", CreatedAt = now.AddDays(-4).AddHours(i),
            });
            if (confirmed) full.Confirmed++;
        }
        await db.SaveChangesAsync();
    }
}
