using System.Globalization;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Meetings;
using Engagement.Web.Features.OpenMonth;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Audit;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Subscriptions;

public sealed record TopicAdminView(IReadOnlyList<Topic> Topics, IReadOnlyDictionary<int, int> Uses, string? Code, string? Name, string? NameEn,
    (int Id, string Name, string NameEn)? Edited = null);

/// <summary>The topic list admins keep: add a topic, correct its names, retire it (it stays on old items and subscriptions end).</summary>
[Authorize(Roles = Roles.Admin), Route("admin/topics")]
public sealed class TopicsController(EngagementDbContext db, AuditWriter audit, IStringLocalizer<SharedResource> text) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await ViewAsync(null, null, null, ct));

    [HttpPost("")]
    public async Task<IActionResult> Add(string? code, string? addName, string? addNameEn, CancellationToken ct)
    {
        code = code?.Trim().ToLowerInvariant();
        var name = Consultation.Comments.Clean(addName ?? "");
        var nameEn = Consultation.Comments.Clean(addNameEn ?? "");
        if (!TopicList.IsCode(code)) ModelState.AddModelError(nameof(code), text["Topics.Error.Code"]);
        else if (await db.Set<Topic>().AnyAsync(t => t.Code == code, ct)) ModelState.AddModelError(nameof(code), text["Topics.Error.Taken"]);
        if (!Fits(name, 40)) ModelState.AddModelError(nameof(addName), text["Topics.Error.Name"]);
        if (!Fits(nameEn, 80)) ModelState.AddModelError(nameof(addNameEn), text["Topics.Error.NameEn"]);
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(nameof(Index), await ViewAsync(code, name, nameEn, ct));
        }
        var order = await db.Set<Topic>().MaxAsync(t => (int?)t.SortOrder, ct) ?? 0;
        var topic = new Topic { Code = code!, Name = name, NameEn = nameEn, SortOrder = order + 1 };
        db.Add(topic);
        audit.Record("topic.add", "Topic", code!, null, new { topic.Name, topic.NameEn });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another admin added the same code a moment ago.
            db.ChangeTracker.Clear();
            ModelState.AddModelError(nameof(code), text["Topics.Error.Taken"]);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return View(nameof(Index), await ViewAsync(code, name, nameEn, ct));
        }
        TempData["Status"] = string.Format(CultureInfo.CurrentCulture, text["Topics.Added"], name);
        return Redirect("/admin/topics");
    }

    [HttpPost("{id:int}")]
    public async Task<IActionResult> Update(int id, string? name, string? nameEn, bool retired, CancellationToken ct)
    {
        var topic = await db.Set<Topic>().SingleOrDefaultAsync(t => t.Id == id, ct);
        if (topic is null) return NotFound();
        name = Consultation.Comments.Clean(name ?? "");
        nameEn = Consultation.Comments.Clean(nameEn ?? "");
        var field = $"topic-{id}";
        if (!Fits(name, 40)) ModelState.AddModelError($"{field}-name", text["Topics.Error.Name"]);
        if (!Fits(nameEn, 80)) ModelState.AddModelError($"{field}-nameEn", text["Topics.Error.NameEn"]);
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(nameof(Index), (await ViewAsync(null, null, null, ct)) with { Edited = (id, name, nameEn) });
        }
        var before = new { topic.Name, topic.NameEn, topic.Retired };
        (topic.Name, topic.NameEn, topic.Retired) = (name, nameEn, retired);
        // A retired topic is no longer offered, and no one is told of it any more (in the same save as the retirement).
        if (retired && !before.Retired) db.RemoveRange(await db.Set<Subscription>().Where(s => s.Kind == SubscriptionKind.Topic && s.Value == topic.Code).ToListAsync(ct));
        audit.Record("topic.update", "Topic", topic.Code, before, new { topic.Name, topic.NameEn, topic.Retired });
        await db.SaveChangesAsync(ct);
        TempData["Status"] = string.Format(CultureInfo.CurrentCulture, text["Topics.Updated"], name);
        return Redirect("/admin/topics");
    }

    /// <summary>Present, and within the limit both as people count characters and as the column counts them.</summary>
    private static bool Fits(string value, int limit) =>
        value.Length > 0 && Platform.Text.TextLength.Of(value) <= limit && Platform.Data.TextLimits.CodePoints(value) <= limit;

    private async Task<TopicAdminView> ViewAsync(string? code, string? name, string? nameEn, CancellationToken ct)
    {
        var topics = await db.Set<Topic>().AsNoTracking().OrderBy(t => t.Retired).ThenBy(t => t.SortOrder).ToListAsync(ct);
        var uses = await db.Set<TopicTag>().GroupBy(t => t.TopicId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return new TopicAdminView(topics, uses, code, name, nameEn);
    }
}

public sealed record TagItemView(TaggedKind Kind, int Id, string Title, string Back, IReadOnlyList<Topic> Topics, IReadOnlySet<int> Chosen);

/// <summary>Staff put topic tags on their unit's decisions, meetings and events (admins on any), so followers of a topic are told.</summary>
[Authorize(Roles = Roles.StaffOrAdmin), Route("staff/topics/{kind}/{id:int}")]
public sealed class TagsController(EngagementDbContext db, AuditWriter audit, IStringLocalizer<SharedResource> text) : Controller
{
    public const int MaxTopics = 5;

    [HttpGet("")]
    public async Task<IActionResult> Index(string kind, int id, CancellationToken ct)
    {
        if (await ItemAsync(kind, id, ct) is not { } item) return NotFound();
        if (!await UnitAccess.CanActForAsync(db, User, item.UnitId, ct)) return Forbid();
        var chosen = (await TopicList.OfAsync(db, item.Kind, id, ct)).Select(t => t.Id).ToHashSet();
        return View(new TagItemView(item.Kind, id, item.Title, item.Back, await TopicList.OfferedAsync(db, ct), chosen));
    }

    [HttpPost("")]
    public async Task<IActionResult> Save(string kind, int id, int[]? topics, CancellationToken ct)
    {
        if (await ItemAsync(kind, id, ct) is not { } item) return NotFound();
        if (!await UnitAccess.CanActForAsync(db, User, item.UnitId, ct)) return Forbid();
        var offered = await TopicList.OfferedAsync(db, ct);
        var chosen = (topics ?? []).Distinct().ToList();
        // Retired topics already on the item stay; new ones must be offered.
        var current = (await TopicList.OfAsync(db, item.Kind, id, ct)).Select(t => t.Id).ToHashSet();
        if (chosen.Any(t => !current.Contains(t) && offered.All(o => o.Id != t))) ModelState.AddModelError(nameof(topics), text["Subscriptions.Error.Topic"]);
        else if (chosen.Count > MaxTopics) ModelState.AddModelError(nameof(topics), string.Format(CultureInfo.CurrentCulture, text["Topics.Error.TooMany"], MaxTopics));
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(nameof(Index), new TagItemView(item.Kind, id, item.Title, item.Back, offered, chosen.ToHashSet()));
        }
        // Retired topics have no box on the form: what the item had of them stays.
        var retiredKept = current.Where(t => offered.All(o => o.Id != t));
        chosen = chosen.Union(retiredKept).ToList();
        await TopicList.SetAsync(db, item.Kind, id, chosen, ct);
        audit.Record("topic.tag", item.Kind == TaggedKind.Event ? "OpenEvent" : item.Kind.ToString(), id.ToString(CultureInfo.InvariantCulture), current.Order(), chosen.Order());
        await db.SaveChangesAsync(ct);
        TempData["Status"] = text["Topics.Tagged"].Value;
        return Redirect(item.Back);
    }

    private async Task<(TaggedKind Kind, string Title, int? UnitId, string Back)?> ItemAsync(string kind, int id, CancellationToken ct)
    {
        switch (kind)
        {
            case "decision":
                var d = await db.Set<Decision>().Where(x => x.Id == id).Select(x => new { x.Title, x.UnitId }).SingleOrDefaultAsync(ct);
                return d is null ? null : (TaggedKind.Decision, d.Title, d.UnitId, $"/decisions/{id}");
            case "meeting":
                var m = await db.Set<Meeting>().Where(x => x.Id == id).Select(x => new { x.Title, x.UnitId }).SingleOrDefaultAsync(ct);
                return m is null ? null : (TaggedKind.Meeting, m.Title, m.UnitId, $"/meetings/{id}");
            case "event":
                var e = await db.Set<OpenEvent>().Where(x => x.Id == id).Select(x => new { x.Title, x.UnitId }).SingleOrDefaultAsync(ct);
                return e is null ? null : (TaggedKind.Event, e.Title, e.UnitId, $"/events/{id}");
            default:
                return null;
        }
    }
}
