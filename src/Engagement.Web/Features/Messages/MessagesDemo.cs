using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Calendar;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Faq;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Messages;

/// <summary>
/// Demo messages in every state: replied and published on the elevator draft (one already in its FAQ) and on the
/// board, a petition matter transferred with a note, one being handled, one overdue (escalated on the admin home),
/// and one just received awaiting the district office.
/// </summary>
public static class MessagesDemo
{
    private sealed record Demo(string Text, string? Unit, bool OnElevator, int DaysAgo, bool Simple, MessageKind Kind, string? Reply, int ReplyAfterDays,
        bool Consent, bool Publish, bool Faq = false);

    private static readonly Demo[] Messages =
    [
        new("加装电梯的补贴标准是多少？听说每台补贴 28 万元，是按台还是按户计算？", "区住房保障房屋管理局", true, 12, true, MessageKind.PolicyQuestion,
            "按台计算。符合条件的既有多层住宅加装电梯，每台补贴不超过 28 万元，由区财政在竣工验收后拨付，具体以《实施办法》第十二条为准。", 1, true, true, Faq: true),
        new("我家住一楼，加装电梯影响采光，业主意见不一致时怎么办？联系电话 13812345678。", "区住房保障房屋管理局", true, 9, false, MessageKind.PolicyQuestion,
            "根据草案第八条，加装电梯须经本幢楼房专有部分占建筑物总面积三分之二以上、且占总人数三分之二以上的业主参与表决，并经参与表决的四分之三以上同意。低层业主的采光、通风等合理诉求，街道将组织协商，必要时引入第三方评估。", 4, true, true),
        new("虹桥路 1号线站口附近人行道地砖松动，老人走路容易绊倒，请尽快修一下。", "区政务服务办", false, 8, false, MessageKind.RequestOrComplaint,
            "已转区建设管理委养护单位，于本周完成修复。感谢您的反映，如仍有问题请再次留言。", 3, true, true),
        new("我反映的拆迁补偿问题已经三年没解决，要求上级部门处理。", "区政府办公室", false, 6, false, MessageKind.Petition,
            "您反映的事项属于信访事项，已转区信访办按《信访工作条例》办理，承办人将在 15 日内与您联系；也可拨打 12345 查询进度。", 1, false, false),
        new("社区长者食堂能否增加晚餐供应？周末也希望开放。", "区民政局", false, 4, false, MessageKind.RequestOrComplaint, null, 0, true, false),
        new("天山路街道的养老顾问点什么时候可以预约上门评估？", "区民政局", false, 9, true, MessageKind.PolicyQuestion, null, 0, true, false),
        new("新泾镇有没有面向新就业形态劳动者的暖心驿站？在哪里？", null, false, 0, false, MessageKind.Unsorted, null, 0, true, false),
    ];

    public static async Task EnsureAsync(IServiceProvider services, EngagementDbContext db, TimeProvider clock, IReadOnlyList<User> residents)
    {
        if (residents.Count == 0 || await db.Set<Message>().AnyAsync()) return;
        var calendar = await services.GetRequiredService<CalendarService>().CurrentAsync();
        var elevator = await db.Set<Decision>().Where(d => d.Title.StartsWith("长宁区既有多层住宅加装电梯")).Select(d => new { d.Id, d.UnitId }).FirstOrDefaultAsync();
        var units = await db.Units.ToDictionaryAsync(u => u.Name, u => u.Id);
        var now = clock.GetUtcNow();
        var i = 0;
        foreach (var demo in Messages)
        {
            if (demo.OnElevator && elevator is null) continue;
            var received = now.AddDays(-demo.DaysAgo).AddHours(-2 - i);
            var unitId = demo.Unit is null ? (int?)null : units[demo.Unit];
            var message = new Message
            {
                AuthorId = residents[i++ % residents.Count].Id, Page = demo.OnElevator ? $"/decisions/{elevator!.Id}" : MessageRules.GeneralBoard,
                DecisionId = demo.OnElevator ? elevator!.Id : null, Text = demo.Text, PublicText = PersonalDataMasker.Mask(demo.Text).Masked,
                TextHash = Comments.Hash(demo.Text), ConsentToPublish = demo.Consent, ReceivedAt = received, Kind = demo.Kind, UnitId = unitId,
                IsSimple = demo.Simple, DueOn = MessageRules.DueOn(calendar, received, demo.Simple).DueOn,
                Status = demo.Kind == MessageKind.Unsorted ? MessageStatus.Received : MessageStatus.Assigned,
                TriagedAt = demo.Kind == MessageKind.Unsorted ? null : received.AddHours(3),
            };
            if (demo.Reply is not null)
            {
                var replied = received.AddDays(demo.ReplyAfterDays).AddHours(1);
                message.Reply = demo.Reply;
                message.RepliedAt = replied;
                message.RepliedBy = "demo";
                message.ReplyingUnitId = unitId;
                message.WorkingDaysToReply = MessageRules.WorkingDaysTaken(calendar, received, replied);
                message.RepliedOnTime = MessageRules.IsOnTime(replied, message.DueOn);
                message.Status = demo.Kind == MessageKind.Petition ? MessageStatus.Transferred : MessageStatus.Replied;
                message.PublishedAt = demo.Publish ? replied.AddHours(2) : null;
            }
            db.Add(message);
            await db.SaveChangesAsync();
            if (demo.Faq)
            {
                db.Add(new FaqEntry
                {
                    Page = message.Page, Question = "加装电梯的补贴是按台还是按户计算？标准是多少？", Answer = demo.Reply!, Source = FaqService.MessageSource,
                    SourceId = message.Id, CreatedAt = message.RepliedAt!.Value, UpdatedAt = message.RepliedAt.Value,
                });
                await db.SaveChangesAsync();
            }
        }
    }
}
