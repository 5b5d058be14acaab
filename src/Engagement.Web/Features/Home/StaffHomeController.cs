using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Adoption;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Meetings;
using Engagement.Web.Features.Messages;
using Engagement.Web.Features.OpenMonth;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Time;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Home;

/// <summary>One piece of work waiting: what, where to do it, and by when (with working days left when there is a legal deadline).</summary>
public sealed record WorkItem(string Title, string Url, DateTimeOffset? Since, DateOnly? DueOn, int? WorkingDaysLeft, bool Overdue, string? Detail = null);

/// <summary>A kind of work with how many wait and the oldest or most urgent first.</summary>
public sealed record WorkList(string Key, string ListUrl, int Count, IReadOnlyList<WorkItem> Items);

public sealed record StaffHomeView(string? Unit, bool IsDistrictOffice, IReadOnlyList<WorkList> Lists);

/// <summary>
/// Staff's home: what waits for this person, from the same services and rules as each queue (comments to review,
/// messages due, reports due, meetings taking or drawing applications, questionnaire text to approve, this week's events),
/// most urgent first. Admins see every unit's.
/// </summary>
[Authorize(Roles = Roles.Staff + "," + Roles.Admin), Route("staff")]
public sealed class StaffHomeController(EngagementDbContext db, MessageService messages, AdoptionService adoption, MeetingService meetings,
    RegistrationService registrations, TimeProvider clock) : Controller
{
    private const int Shown = 5;

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var admin = User.IsInRole(Roles.Admin);
        var mine = admin ? null : await UnitAccess.StaffUnitAsync(db, User, ct);
        int? unit = admin ? null : mine?.UnitId ?? -1;
        var districtOffice = admin || mine?.IsDistrictOffice == true;
        var now = clock.GetUtcNow();
        var lists = new List<WorkList>();

        // Comments waiting for review (先审查、后公开), oldest first.
        var pending = db.Set<Comment>().AsNoTracking().Where(c => c.Status == CommentStatus.Pending && (unit == null || c.Decision!.UnitId == unit));
        var comments = await pending.GroupBy(c => new { c.DecisionId, c.Decision!.Title })
            .Select(g => new { g.Key.DecisionId, g.Key.Title, Count = g.Count(), Oldest = g.Min(c => c.CreatedAt) }).ToListAsync(ct);
        lists.Add(new WorkList("Comments", "/moderation", comments.Sum(c => c.Count), comments.OrderBy(c => c.Oldest).Take(Shown)
            .Select(c => new WorkItem(c.Title, $"/moderation?decision={c.DecisionId}", c.Oldest, null, null, false, c.Count.ToString())).ToList()));

        // Messages to assign or answer, by their due date in working days.
        var queue = await messages.QueueAsync(User, open: true, ct);
        lists.Add(new WorkList("Messages", "/staff/messages", queue.Count, queue.Take(Shown)
            .Select(m => new WorkItem(Shorten(m.Text), $"/staff/messages/{m.Id}", m.ReceivedAt, m.DueOn, m.WorkingDaysLeft, m.Overdue,
                m.UnitId is null ? "unassigned" : null)).ToList()));

        // Adoption reports still to publish, within 10 working days of issue.
        var reports = (await adoption.DashboardAsync(unit, ct)).Rows.Where(r => r.PublishedAt is null)
            .OrderBy(r => r.WorkingDaysLeft ?? int.MaxValue).ToList();
        lists.Add(new WorkList("Reports", "/staff/reports", reports.Count, reports.Take(Shown)
            .Select(r => new WorkItem(r.Title, $"/staff/reports/{r.DecisionId}", null, r.Deadline.DueOn, r.WorkingDaysLeft, r.IsOverdue)).ToList()));

        // Meetings this person runs that are taking applications or waiting for their draw.
        var running = (await meetings.ListAsync(ct))
            .Where(m => m.HeldAt > now && !m.Drawn && (admin || m.UnitId == unit || (m.UnitId is null && districtOffice))).OrderBy(m => m.ApplicationsCloseAt).ToList();
        var ids = running.Select(m => m.Id).ToList();
        var applied = await db.Set<RepresentativeApplication>().Where(a => ids.Contains(a.MeetingId)).GroupBy(a => a.MeetingId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        lists.Add(new WorkList("Applications", "/staff/meetings", running.Sum(m => applied.GetValueOrDefault(m.Id)), running.Take(Shown)
            .Select(m => new WorkItem(m.Title, $"/staff/meetings/{m.Id}", null, ChinaTime.DateOf(m.ApplicationsCloseAt), null, m.ApplicationsCloseAt < now,
                applied.GetValueOrDefault(m.Id).ToString())).ToList()));

        // Questionnaire free text waiting for approval before it is published.
        var texts = await db.Set<QuestionAnswer>().AsNoTracking().Where(a => a.Text != null && a.Approved == null)
            .Join(db.Set<Question>(), a => a.QuestionId, q => q.Id, (a, q) => q.EventId)
            .Join(db.Set<OpenEvent>(), e => e, ev => ev.Id, (e, ev) => new { ev.Id, ev.Title, ev.UnitId, ev.StartsAt })
            .Where(x => unit == null || x.UnitId == unit)
            .GroupBy(x => new { x.Id, x.Title, x.StartsAt }).Select(g => new { g.Key.Id, g.Key.Title, g.Key.StartsAt, Count = g.Count() }).ToListAsync(ct);
        lists.Add(new WorkList("Questionnaires", "/staff/events", texts.Sum(t => t.Count), texts.OrderBy(t => t.StartsAt).Take(Shown)
            .Select(t => new WorkItem(t.Title, $"/staff/events/{t.Id}/questionnaire", t.StartsAt, null, null, false, t.Count.ToString())).ToList()));

        // Events in the coming seven days, for the door.
        var week = await registrations.ListAsync(now, now.AddDays(7), null, ct, unitId: unit);
        lists.Add(new WorkList("Events", "/staff/events", week.Count, week.OrderBy(e => e.StartsAt).Take(Shown)
            .Select(e => new WorkItem(e.Title, $"/staff/events/{e.Id}/check-in", e.StartsAt, null, null, false, $"{e.Confirmed}/{e.Capacity}")).ToList()));

        var unitName = mine is { } m2 ? await db.Units.Where(u => u.Id == m2.UnitId).Select(u => u.Name).SingleAsync(ct) : null;
        return View(new StaffHomeView(unitName, districtOffice && !admin, lists));
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
