using Engagement.Web.Features.Accounts;
using Engagement.Web.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Subscriptions;

/// <summary>The topics the platform starts with (admins add, rename and retire them at /admin/topics), and tagging items with them.</summary>
public static class TopicList
{
    /// <summary>Events on this topic concern enterprises (decisions say so themselves).</summary>
    public const string Business = "business";

    public static readonly IReadOnlyList<(string Code, string Name, string NameEn)> Defaults =
    [
        ("elder-care", "养老", "Elder care"), ("housing", "住房", "Housing"), ("transport", "交通", "Transport"), ("education", "教育", "Education"),
        (Business, "营商环境", "Business environment"), ("environment", "生态环境", "Environment"), ("public-health", "公共卫生", "Public health"),
        ("employment", "就业", "Jobs"), ("culture-sport", "文化体育", "Culture and sport"), ("community", "社区治理", "Community governance"),
    ];

    /// <summary>At start-up and on <c>migrate</c>: a new deployment gets the list; an existing one keeps its admins' edits.</summary>
    public static async Task EnsureDefaultsAsync(EngagementDbContext db, CancellationToken ct = default)
    {
        if (await db.Set<Topic>().AnyAsync(ct)) return;
        db.AddRange(Defaults.Select((t, i) => new Topic { Code = t.Code, Name = t.Name, NameEn = t.NameEn, SortOrder = i + 1 }));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance starting at the same moment wrote them (the codes are unique).
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>A topic code: lower-case letters, digits and hyphens, 2 to 40 characters.</summary>
    public static bool IsCode(string? code) => code is { Length: >= 2 and <= 40 } && code.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    public static Task<List<Topic>> OfferedAsync(EngagementDbContext db, CancellationToken ct = default) =>
        db.Set<Topic>().AsNoTracking().Where(t => !t.Retired).OrderBy(t => t.SortOrder).ThenBy(t => t.Id).ToListAsync(ct);

    public static async Task<List<Topic>> OfAsync(EngagementDbContext db, TaggedKind kind, int id, CancellationToken ct = default) =>
        await db.Set<TopicTag>().AsNoTracking().Where(t => t.Kind == kind && t.ItemId == id).Select(t => t.Topic!)
            .OrderBy(t => t.SortOrder).ToListAsync(ct);

    /// <summary>Replaces an item's topics with these (unknown or retired codes are refused by the caller first).</summary>
    public static async Task SetAsync(EngagementDbContext db, TaggedKind kind, int id, IReadOnlyCollection<int> topicIds, CancellationToken ct = default)
    {
        var current = await db.Set<TopicTag>().Where(t => t.Kind == kind && t.ItemId == id).ToListAsync(ct);
        db.RemoveRange(current.Where(t => !topicIds.Contains(t.TopicId)));
        foreach (var topic in topicIds.Where(t => current.All(c => c.TopicId != t)))
        {
            db.Add(new TopicTag { Kind = kind, ItemId = id, TopicId = topic });
        }
    }
}
