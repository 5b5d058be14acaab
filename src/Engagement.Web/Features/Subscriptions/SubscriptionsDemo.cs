using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Meetings;
using Engagement.Web.Features.OpenMonth;
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Subscriptions;

/// <summary>The demo's decisions, meetings and events tagged with topics, as staff would tag them, so following a topic shows something.</summary>
public static class SubscriptionsDemo
{
    private static readonly (string Topic, string[] Words)[] Words =
    [
        ("housing", ["住宅", "住房", "房屋", "电梯"]),
        ("elder-care", ["养老", "老年", "为老", "电梯"]),
        ("transport", ["交通", "停车", "道路", "临空"]),
        ("education", ["教育", "学校"]),
        (TopicList.Business, ["产业", "企业", "营商", "经济", "扶持"]),
        ("environment", ["生态", "绿化", "垃圾"]),
        ("public-health", ["食品", "卫生", "健康"]),
        ("employment", ["就业"]),
        ("culture-sport", ["文化", "体育"]),
        ("community", ["社区", "一网统管", "城运", "信息公开"]),
    ];

    public static async Task EnsureAsync(EngagementDbContext db)
    {
        if (await db.Set<TopicTag>().AnyAsync()) return;
        await TopicList.EnsureDefaultsAsync(db);
        var topics = await db.Set<Topic>().ToDictionaryAsync(t => t.Code, t => t.Id);
        var decisions = await db.Set<Decision>().Select(d => new { d.Id, Text = d.Title + d.Summary }).ToListAsync();
        var meetings = await db.Set<Meeting>().Select(m => new { m.Id, m.Title }).ToListAsync();
        var agenda = (await db.Set<MeetingTopic>().Select(t => new { t.MeetingId, t.Decision!.Title }).ToListAsync()).ToLookup(t => t.MeetingId, t => t.Title);
        var events = await db.Set<OpenEvent>().Select(e => new { e.Id, Text = e.Title + e.Description }).ToListAsync();
        void Tag(TaggedKind kind, int id, string text)
        {
            foreach (var (topic, words) in Words)
            {
                if (topics.TryGetValue(topic, out var topicId) && words.Any(text.Contains)) db.Add(new TopicTag { Kind = kind, ItemId = id, TopicId = topicId });
            }
        }
        foreach (var d in decisions) Tag(TaggedKind.Decision, d.Id, d.Text);
        foreach (var m in meetings) Tag(TaggedKind.Meeting, m.Id, m.Title + string.Concat(agenda[m.Id]));
        foreach (var e in events) Tag(TaggedKind.Event, e.Id, e.Text);
        await db.SaveChangesAsync();
    }
}
