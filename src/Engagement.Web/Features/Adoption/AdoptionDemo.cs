using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Calendar;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Privacy;
using Engagement.Web.Platform.Time;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Adoption;

/// <summary>
/// Demo adoption reports: the Hongqiao airport-economy measures, issued months ago with their report published on
/// time, and the embedded elderly-care measures, issued recently with their report due in the coming days.
/// </summary>
public static class AdoptionDemo
{
    private static readonly string[] CareComments =
    [
        "社区助餐点一餐要二十多元，对只有基本养老金的老人来说太贵了，建议政府补贴后控制在15元以内。",
        "社区助餐点一餐二十多元，对只靠养老金生活的老人太贵，建议补贴后控制在15元以内。",
        "助餐点价格偏高，希望对高龄、独居老人给予用餐补贴，让大家吃得起。",
        "建议助餐价格分档：低保老人免费或半价，普通老人也要有适当补贴。",
        "仙霞新村街道的助餐点菜价涨了好几次，希望措施里明确价格由政府指导，不能随意上涨。",
        "日间照料中心建议增加周末开放，很多子女周末也要上班。",
        "护理员工资太低，年轻人不愿意干，建议建立护理员薪酬指导价并逐年提高。",
        "希望给护理员提供人才公寓或租房补贴，外地来的护理员在长宁租房压力很大。",
        "长者照护之家的床位太少，排队要等半年，建议增加床位数量。",
        "建议在天山路街道利用闲置的商业用房改建长者照护之家，增加床位供给。",
        "小区里的无障碍坡道和扶手也应该一起改造，不然老人走不到服务站。",
        // Said in Shanghainese (饭钿: what a meal costs): the clusterer cannot tell these are about the price.
        "阿拉楼下助餐点饭钿又涨了，退休工资吃不消。",
        "饭钿一顿二十几块，老头老太舍不得吃，只好自己烧。",
    ];

    private static readonly string[] AirportComments =
    [
        "数字化转型支持的比例建议写明上限和认定标准，企业才能提前做好投入计划。",
        "数字化转型资金支持的认定标准和比例上限要写清楚，方便企业预估。",
        "总部企业的认定门槛偏高，建议对成长型总部企业设置过渡期。",
        "租房补贴建议允许用于共享办公空间，初创企业往往没有独立办公室。",
        "希望简化补贴申报材料，实行线上一网通办，减少企业跑腿。",
    ];

    public static async Task EnsureAsync(IServiceProvider services, EngagementDbContext db, TimeProvider clock, IReadOnlyList<User> residents)
    {
        var care = await db.Set<Decision>().SingleOrDefaultAsync(d => d.Title == "长宁区推进社区嵌入式养老服务发展若干措施");
        var airport = await db.Set<Decision>().SingleOrDefaultAsync(d => d.Title == "长宁区虹桥临空经济示范区产业高质量发展扶持办法");
        if (care is null || airport is null || residents.Count == 0) return;
        if (await db.Set<DecisionIssue>().AnyAsync(i => i.DecisionId == care.Id || i.DecisionId == airport.Id)) return;
        var calendar = await services.GetRequiredService<CalendarService>().CurrentAsync();
        var today = ChinaTime.Today(clock);
        var civil = await db.Users.SingleAsync(u => u.Email == "civil@example.org");
        var ndrc = await db.Users.SingleAsync(u => u.Email == "ndrc@example.org");

        // The care measures: more comments from the consultation (closed 45 days ago), then issued so that the
        // report falls due two working days from today.
        AddComments(db, care, CareComments, residents, clock.GetUtcNow().AddDays(-70));
        AddGathering(db, care, civil, CommentChannel.Forum, today.AddDays(-60), "新华路街道综合为老服务中心", 31,
            "新华路街道老年居民座谈会：多数老人关心助餐价格，希望补贴后每餐不超过15元；也有老人希望助餐点提供送餐上门服务。");
        var careIssued = AdoptionRules.WorkingDaysBefore(calendar, today, AdoptionRules.ReportWorkingDays - 2) ?? today.AddDays(-12);
        db.Add(new DecisionIssue
        {
            DecisionId = care.Id, IssuedOn = careIssued, DocumentNumber = $"长府办〔{careIssued.Year}〕21号",
            Link = "https://www.shcn.gov.cn/", RecordedAt = clock.GetUtcNow(), RecordedBy = civil.Email!,
        });
        care.Status = DecisionStatus.Decided;
        await db.SaveChangesAsync();
        await ShowAClerksMoveAsync(services, db, clock, care, civil);

        // The airport measures: comments from enterprises and residents, issued long ago, report published on time.
        AddComments(db, airport, AirportComments, residents, clock.GetUtcNow().AddDays(-195), organizations:
        [
            ("上海虹桥临空数字科技有限公司", Code("91310105MA1FL0001")),
            (null, null),
            ("长宁区航空服务业协会", Code("51310105MJ4567890")),
        ]);
        AddGathering(db, airport, ndrc, CommentChannel.FieldVisit, today.AddDays(-185), "虹桥临空经济示范区企业服务中心", 12,
            "走访临空园区12家企业：企业普遍希望补贴申报全程网办，并尽快公布数字化转型项目的认定细则。");
        var airportIssued = AdoptionRules.WorkingDaysBefore(calendar, today, 100) ?? today.AddDays(-150);
        db.Add(new DecisionIssue
        {
            DecisionId = airport.Id, IssuedOn = airportIssued, DocumentNumber = $"长府规〔{airportIssued.Year}〕3号",
            Link = "https://www.shcn.gov.cn/", RecordedAt = clock.GetUtcNow(), RecordedBy = ndrc.Email!,
        });
        airport.Status = DecisionStatus.Decided;
        await db.SaveChangesAsync();

        // Answer and publish the airport report as the development and reform commission did, six working days after issue.
        DateOnly publishedOn;
        try
        {
            publishedOn = calendar.AddWorkingDays(airportIssued, 6);
        }
        catch (CalendarMissingException)
        {
            publishedOn = airportIssued.AddDays(8);
        }
        var then = new FixedClock(ChinaTime.FromChina(publishedOn.ToDateTime(new TimeOnly(15, 30))).ToUniversalTime());
        var adoption = ActivatorUtilities.CreateInstance<AdoptionService>(services, then);
        var staff = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, ndrc.Email!), new Claim(ClaimTypes.Role, Roles.Admin)], "demo"));
        await adoption.ReclusterAsync(airport.Id, force: true);
        var reviews = await db.Set<CommentReview>().Where(r => r.DecisionId == airport.Id).Include(r => r.Cluster).ToListAsync();
        var texts = await db.Set<Comment>().Where(c => c.DecisionId == airport.Id).ToDictionaryAsync(c => c.Id, c => c.Text);
        foreach (var cluster in reviews.Select(r => r.Cluster!).Distinct())
        {
            var sample = texts[reviews.First(r => r.ClusterId == cluster.Id).CommentId];
            var (outcome, reason) = sample switch
            {
                _ when sample.Contains("认定") && sample.Contains("数字化") => ("adopted", "已在第三条中明确支持比例上限为实际投入的30%，认定细则随办法同步公布。"),
                _ when sample.Contains("网办") || sample.Contains("申报") => ("adopted", "补贴申报已纳入“一网通办”，材料精简为5项。"),
                _ when sample.Contains("共享办公") => ("partly-adopted", "共享办公空间可申请租房补贴，但须签订一年以上租约。"),
                _ when sample.Contains("总部") => ("not-adopted", "总部企业认定标准执行市级统一规定，区级办法不宜另设过渡期；成长型企业可申请数字化转型支持。"),
                _ => ("out-of-scope", "该意见不属于本办法调整范围，已转交相关部门研究。"),
            };
            await adoption.UpdateClusterAsync(cluster.Id, staff, null, outcome, reason);
        }
        await adoption.PublishAsync(airport.Id, staff, null);
    }

    /// <summary>
    /// The clerk has started on the care report: the two comments about 饭钿 moved into the meal-price group, which
    /// the review page turns into suggested equivalent expressions for the unit to confirm.
    /// </summary>
    private static async Task ShowAClerksMoveAsync(IServiceProvider services, EngagementDbContext db, TimeProvider clock, Decision care, User clerk)
    {
        var adoption = ActivatorUtilities.CreateInstance<AdoptionService>(services, clock);
        await adoption.ReclusterAsync(care.Id, force: true);
        var comments = await db.Set<Comment>().Where(c => c.DecisionId == care.Id).Select(c => new { c.Id, c.Text }).ToListAsync();
        var price = comments.Single(c => c.Text == CareComments[0]).Id;
        var target = await db.Set<CommentReview>().Where(r => r.CommentId == price).Select(r => r.ClusterId).SingleAsync();
        var moving = comments.Where(c => c.Text.Contains("饭钿")).Select(c => c.Id).ToList();
        var staff = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, clerk.Email!), new Claim(ClaimTypes.Role, Roles.Admin)], "demo"));
        await adoption.MoveCommentsAsync(care.Id, staff, moving, target, null);
    }

    private static void AddComments(EngagementDbContext db, Decision decision, string[] texts, IReadOnlyList<User> residents, DateTimeOffset start,
        (string? Name, string? Code)[]? organizations = null)
    {
        for (var i = 0; i < texts.Length; i++)
        {
            var at = start.AddHours(5 * i + 2);
            var organization = organizations is not null && i < organizations.Length ? organizations[i] : (null, null);
            db.Add(new Comment
            {
                DecisionId = decision.Id, AuthorId = residents[(i + 1) % residents.Count].Id, Text = texts[i], PublicText = PersonalDataMasker.Mask(texts[i]).Masked,
                Status = CommentStatus.Published, Channel = CommentChannel.Online, OrganizationName = organization.Name, CreditCode = organization.Code,
                CreatedAt = at, ModeratedAt = at.AddHours(20), ModeratedBy = "demo", TextHash = Consultation.Comments.Hash(texts[i]),
            });
        }
    }

    private static void AddGathering(EngagementDbContext db, Decision decision, User staff, CommentChannel channel, DateOnly heldOn, string place, int participants, string summary)
    {
        var at = ChinaTime.FromChina(heldOn.ToDateTime(new TimeOnly(18, 0))).ToUniversalTime();
        db.Add(new Comment
        {
            DecisionId = decision.Id, AuthorId = staff.Id, Text = summary, PublicText = summary, Status = CommentStatus.Published, Channel = channel,
            HeldOn = heldOn, Place = place, Participants = participants, CreatedAt = at, ModeratedAt = at, ModeratedBy = staff.Email,
            TextHash = Consultation.Comments.Hash($"{channel}|{heldOn:yyyy-MM-dd}|{place}|{summary}"),
        });
    }

    private static string Code(string first17) => first17 + UnifiedSocialCreditCode.CheckCharacter(first17);
}
