using Engagement.Web.Features.Accounts;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Consultation;

/// <summary>Demo decisions for Changning: one open for comment now, one whose consultation has closed, one decided, two planned.</summary>
public static class ConsultationDemo
{
    private const string ElevatorTitle = "长宁区既有多层住宅加装电梯管理办法（草案）";

    private const string ElevatorDraft = """
        第一条　为改善既有多层住宅居住条件，方便老年人和行动不便人员出行，规范本区既有多层住宅加装电梯工作，根据《上海市住宅物业管理规定》等规定，结合本区实际，制定本办法。

        第二条　本办法适用于本区行政区域内已建成投入使用、具有合法权属证明、未设电梯的四层及以上住宅的加装电梯活动。

        第三条　区住房保障房屋管理局负责本区加装电梯工作的统筹协调和监督管理；各街道办事处、新泾镇人民政府负责辖区内加装电梯的组织推进、意见征询和矛盾协调。

        第四条　加装电梯应当经本幢或者本单元房屋专有部分面积占比三分之二以上的业主、且人数占比三分之二以上的业主参与表决，并经参与表决专有部分面积四分之三以上的业主、且参与表决人数四分之三以上的业主同意。

        第五条　加装电梯所需资金，由业主根据所在楼层、面积等因素协商分摊；符合条件的，可以申请使用住宅专项维修资金，并按规定享受市、区两级财政补贴。

        第六条　街道办事处、镇人民政府应当在加装电梯方案公示期间，组织居民区党组织、居民委员会、业主委员会开展协商，听取低层业主意见，对采光、通风、噪声等影响提出合理的补偿或者改善措施。

        第七条　加装电梯工程竣工后，应当依法办理特种设备使用登记，明确电梯使用管理单位，落实日常维护保养和安全管理责任。

        第八条　本办法自2027年3月1日起施行。
        """;

    private const string ElevatorInterpretation = """
        **一、为什么要制定这个办法？**
        长宁区有大量建于上世纪八九十年代的多层住宅，老年居民上下楼困难。办法把近年来的加装电梯实践固定下来，让流程更清楚、协商更顺畅。

        **二、需要多少业主同意？**
        参与表决的业主要达到“双三分之二”，同意的业主要达到参与表决的“双四分之三”（第四条）。

        **三、钱怎么出？**
        业主按楼层、面积协商分摊，可以使用维修资金，并可申请市、区两级补贴（第五条）。

        **四、低层住户的利益怎么保障？**
        街道、镇在公示期间组织协商，对采光、通风、噪声影响提出补偿或改善措施（第六条）。
        """;

    private const string ElevatorExplanation = """
        一、起草背景：截至2026年9月，全区已完成加装电梯签约约900台，群众需求仍然旺盛，但在意见征询、费用分摊、低层补偿等方面仍有分歧。

        二、起草过程：区住房保障房屋管理局会同各街道、新泾镇开展调研，召开居民座谈会6场，听取了人大代表、政协委员和法律顾问的意见。

        三、主要内容：明确适用范围、职责分工、表决规则、资金分摊、协商程序和竣工后的管理责任。
        """;

    private const string CareTitle = "长宁区推进社区嵌入式养老服务发展若干措施";

    private const string CareDraft = """
        一、总体目标。到2027年底，每个街道（镇）至少建成1家综合为老服务中心，每个居民区建有家门口养老服务站点，形成“15分钟养老服务圈”。

        二、设施布局。结合城市更新和存量房屋改造，优先在老年人口密集的居民区设置长者照护之家、社区助餐点和日间照料中心。

        三、服务供给。支持专业养老机构连锁化、品牌化运营社区嵌入式设施，提供短期托养、日间照料、助餐助浴和康复护理服务。

        四、人才保障。对在社区养老服务机构连续从业满两年的护理员，按规定给予一次性入职奖励。
        """;

    private const string CareInterpretation = """
        这份措施回答的是“老人能不能在家门口养老”：每个街道（镇）一个综合为老服务中心，每个居民区一个家门口服务站点，老人步行15分钟内能吃上饭、洗上澡、做康复。
        """;

    private const string AirportTitle = "长宁区虹桥临空经济示范区产业高质量发展扶持办法";

    private const string AirportDraft = """
        第一条　为支持虹桥临空经济示范区航空服务、数字经济、时尚消费等重点产业发展，制定本办法。

        第二条　对新引进的总部企业，按照其对区域经济的贡献，给予开办补贴和租房补贴。

        第三条　对企业开展数字化转型的投入，经认定后按照实际投入的一定比例给予支持。
        """;

    private const string AirportInterpretation = """
        办法面向在虹桥临空经济示范区注册的企业，重点支持总部企业落户和数字化转型。中小微企业同样可以申请数字化转型支持。
        """;

    private static readonly (string Text, int? Paragraph)[] ElevatorComments =
    [
        ("建议在第四条中明确“参与表决”的计算口径，长期出租或者无法联系的业主是否计入，实践中争议很大。", 4),
        ("低层住户的补偿标准能不能给一个参考区间？否则每个小区都要从头谈，很难达成一致。", 6),
        ("希望财政补贴能适当向高龄老人比例高的楼栋倾斜，我们楼里80岁以上的老人就有七位。", 5),
        ("电梯建成后的维保费用怎么分摊，办法里最好写清楚，避免几年后没人管。", 7),
        ("建议街道设立加装电梯“一站式”窗口，把规划、建设、特种设备登记的手续集中办理。", 3),
        ("第二条的“四层及以上”建议改为“三层及以上”，有些三层楼里也住着行动不便的老人。", 2),
        ("施工期间的临时停车和材料堆放要有规范，希望办法里加上文明施工的要求。", null),
    ];

    private static readonly (string Text, int? Paragraph)[] CareComments =
    [
        ("助餐点的价格要让普通退休老人负担得起，建议对低保、低收入老人给予补贴。", 3),
        ("日间照料中心的开放时间建议延长到晚上七点，方便子女下班后接送。", 3),
        ("护理员的入职奖励很好，但更重要的是提高日常待遇，否则留不住人。", 4),
    ];

    public static async Task EnsureAsync(EngagementDbContext db, TimeProvider clock, IReadOnlyList<User> residents, User staff)
    {
        if (await db.Set<Decision>().AnyAsync(d => d.Title == ElevatorTitle)) return;
        var now = clock.GetUtcNow();
        var year = Platform.Time.ChinaTime.Today(clock).Year;
        var units = await db.Units.ToDictionaryAsync(u => u.Name, u => u.Id);
        var catalog = await db.Set<DecisionCatalog>().SingleOrDefaultAsync(c => c.Year == year && c.UnitId == null)
            ?? db.Add(new DecisionCatalog { Year = year, PublishedOn = new DateOnly(year, 3, 28) }).Entity;

        var elevator = Decision(catalog, year, ElevatorTitle, "规范既有多层住宅加装电梯的表决、资金分摊、协商和后续管理。", units["区住房保障房屋管理局"], false,
            $"{year}年第四季度征求意见，{year + 1}年第一季度提交区政府常务会议审议", DecisionStatus.OpenForComment, now.AddDays(-10), now.AddDays(20), now.AddDays(-40));
        Documents(elevator, now.AddDays(-11), (DocumentKind.Draft, ElevatorDraft), (DocumentKind.Interpretation, ElevatorInterpretation),
            (DocumentKind.DraftingExplanation, ElevatorExplanation));

        var care = Decision(catalog, year, CareTitle, "发展家门口的嵌入式养老服务，形成15分钟养老服务圈。", units["区民政局"], false,
            $"{year}年三季度征求意见，四季度审议", DecisionStatus.OpenForComment, now.AddDays(-75), now.AddDays(-45), now.AddDays(-100));
        Documents(care, now.AddDays(-76), (DocumentKind.Draft, CareDraft), (DocumentKind.Interpretation, CareInterpretation));

        var airport = Decision(catalog, year, AirportTitle, "支持虹桥临空经济示范区重点产业发展。", units["区发展改革委"], true,
            $"{year}年上半年征求意见，年中审议发布", DecisionStatus.Decided, now.AddDays(-200), now.AddDays(-170), now.AddDays(-230));
        Documents(airport, now.AddDays(-201), (DocumentKind.Draft, AirportDraft), (DocumentKind.Interpretation, AirportInterpretation),
            (DocumentKind.DecisionResult, $"经{year}年区政府第十二次常务会议审议通过，以长府规〔{year}〕3号印发。"));

        Decision(catalog, year, "长宁区15分钟社区生活圈行动实施方案", "统筹社区服务设施布局，提升居民步行可达的公共服务水平。", units["区规划资源局"], false,
            $"{year + 1}年第二季度征求意见", DecisionStatus.Planned, null, null, now.AddDays(-20));
        Decision(catalog, year, "长宁区义务教育阶段学校课后服务实施办法", "规范课后服务内容、时间和收费，减轻家长接送负担。", units["区教育局"], false,
            $"{year + 1}年第一季度征求意见", DecisionStatus.Drafting, null, null, now.AddDays(-15));
        await db.SaveChangesAsync();

        AddComments(db, elevator, ElevatorComments, residents, staff, now.AddDays(-9), published: 5);
        AddComments(db, care, CareComments, residents, staff, now.AddDays(-70), published: 3);
        // What a residents' forum said, recorded by the housing bureau (counts like online comments).
        var forum = "华阳路街道召开加装电梯居民座谈会，低层住户主要关心采光和噪声影响，希望明确补偿标准；高层老年住户希望简化表决程序、缩短审批时间。";
        db.Add(new Comment
        {
            DecisionId = elevator.Id, AuthorId = staff.Id, Text = forum, PublicText = forum, Status = CommentStatus.Published,
            Channel = CommentChannel.Forum, HeldOn = Platform.Time.ChinaTime.DateOf(now.AddDays(-6)),
            Place = "华阳路街道社区党群服务中心", Participants = 23, CreatedAt = now.AddDays(-6), ModeratedAt = now.AddDays(-6),
            ModeratedBy = staff.Email, TextHash = Comments.Hash(forum),
        });
        // One still waiting for review, with a phone number the public must never see.
        if (residents.Count > 0)
        {
            var text = "我家住在周家桥街道的老公房六楼，非常希望尽快加装电梯，街道可以联系我：13812345678。";
            db.Add(new Comment
            {
                DecisionId = elevator.Id, AuthorId = residents[^1].Id, Text = text, PublicText = PersonalDataMasker.Mask(text).Masked,
                Paragraph = null, Status = CommentStatus.Pending, Channel = CommentChannel.Online, CreatedAt = now.AddDays(-3),
                TextHash = Comments.Hash(text),
            });
        }
        await db.SaveChangesAsync();
    }

    private static Decision Decision(DecisionCatalog catalog, int year, string title, string summary, int unitId, bool enterprise, string timeline,
        DecisionStatus status, DateTimeOffset? opens, DateTimeOffset? closes, DateTimeOffset created)
    {
        var decision = new Decision
        {
            Catalog = catalog, Year = year, Title = title, Summary = summary, UnitId = unitId, EnterpriseRelated = enterprise,
            PlannedTimeline = timeline, Status = status, ConsultationOpensAt = opens, ConsultationClosesAt = closes, CreatedAt = created,
        };
        catalog.Decisions.Add(decision);
        return decision;
    }

    private static void Documents(Decision decision, DateTimeOffset at, params (DocumentKind Kind, string Markdown)[] documents)
    {
        foreach (var (kind, markdown) in documents)
        {
            decision.Documents.Add(new DecisionDocument
            {
                Kind = kind,
                PublishedAt = at,
                Versions = [new DocumentVersion { Number = 1, Markdown = markdown.Trim(), CreatedAt = at, CreatedBy = "staff@example.org", Note = "首次发布" }],
            });
        }
    }

    private static void AddComments(EngagementDbContext db, Decision decision, (string Text, int? Paragraph)[] comments, IReadOnlyList<User> residents,
        User staff, DateTimeOffset start, int published)
    {
        for (var i = 0; i < comments.Length && residents.Count > 0; i++)
        {
            var (text, paragraph) = comments[i];
            var at = start.AddHours(7 * i + 3);
            var isPublished = i < published;
            db.Add(new Comment
            {
                DecisionId = decision.Id, AuthorId = residents[i % residents.Count].Id, Text = text, PublicText = PersonalDataMasker.Mask(text).Masked,
                Paragraph = paragraph, Status = isPublished ? CommentStatus.Published : CommentStatus.Pending, Channel = CommentChannel.Online,
                CreatedAt = at, ModeratedAt = isPublished ? at.AddHours(20) : null, ModeratedBy = isPublished ? staff.Email : null,
                TextHash = Comments.Hash(text),
            });
        }
    }
}
