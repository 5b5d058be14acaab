using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Platform;
using Engagement.Web.Platform.Data;
using Engagement.Web.Platform.Privacy;
using Engagement.Web.Features.Calendar;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.Consultation;

/// <summary>The moderation queue of the drafting unit's staff (admins see every unit's): oldest first.</summary>
[Authorize(Roles = Roles.StaffOrAdmin), Route("moderation")]
public sealed class ModerationController(EngagementDbContext db, CommentService comments, CalendarService calendars, TimeProvider clock,
    IStringLocalizer<SharedResource> text) : Controller
{
    private const int PageSize = 50;

    [HttpGet("")]
    public async Task<IActionResult> Index(int? decision, CancellationToken ct)
    {
        var query = await VisibleAsync(ct);
        var decisions = await query.Where(c => c.Status == CommentStatus.Pending).Select(c => new { c.DecisionId, c.Decision!.Title }).Distinct()
            .ToListAsync(ct);
        if (decision is { } d) query = query.Where(c => c.DecisionId == d);
        query = query.Where(c => c.Status == CommentStatus.Pending);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Take(PageSize)
            .Select(c => new { c.Id, c.DecisionId, c.Decision!.Title, c.Text, c.PublicText, c.Paragraph, Author = c.Author!.DisplayName, c.OrganizationName, c.CreditCode, c.CreatedAt })
            .ToListAsync(ct);

        var calendar = await calendars.CurrentAsync(ct);
        var today = Platform.Time.ChinaTime.Today(clock);
        var items = rows.Select(r => (Row: r, Mask: PersonalDataMasker.Mask(r.Text)))
            .Select(x => new QueueItem(x.Row.Id, x.Row.DecisionId, x.Row.Title, x.Row.Text, x.Row.PublicText, x.Mask.Found,
                x.Row.Paragraph, x.Row.Author ?? "", x.Row.OrganizationName, x.Row.CreditCode, x.Row.CreatedAt, Comments.IsModerationOverdue(calendar, x.Row.CreatedAt, today))
            {
                UnrecognisedNumbers = x.Mask.Unrecognised.Select(u => x.Row.Text.Substring(u.Start, u.Length)).ToList(),
            }).ToList();
        return View(new ModerationView(decision, decisions.Select(x => (x.DecisionId, x.Title)).ToList(), items, total));
    }

    [HttpPost("{id:long}/approve")]
    public async Task<IActionResult> Approve(long id, string? publicText, int? decision, CancellationToken ct) =>
        Done(await comments.ApproveAsync(id, User, string.IsNullOrEmpty(publicText) ? null : publicText, ct), decision);

    [HttpPost("{id:long}/reject")]
    public async Task<IActionResult> Reject(long id, string? reason, string? writtenReason, int? decision, CancellationToken ct) =>
        Done(await comments.RejectAsync(id, User, string.IsNullOrWhiteSpace(writtenReason) ? reason : writtenReason, ct), decision);

    [HttpPost("approve")]
    public async Task<IActionResult> ApproveMany(long[] ids, int? decision, CancellationToken ct)
    {
        var done = 0;
        foreach (var id in ids.Distinct().Take(PageSize))
        {
            if (await comments.ApproveAsync(id, User, ct: ct) == ModerationOutcome.Done) done++;
        }
        TempData["Status"] = string.Format(text["Moderation.ApprovedMany"], done);
        return Redirect(decision is null ? "/moderation" : $"/moderation?decision={decision}");
    }

    private IActionResult Done(ModerationOutcome outcome, int? decision)
    {
        switch (outcome)
        {
            case ModerationOutcome.NotFound: return NotFound();
            case ModerationOutcome.Forbidden: return Forbid();
            case ModerationOutcome.Invalid:
                TempData["Status"] = text["Moderation.Invalid"].Value;
                break;
            case ModerationOutcome.AlreadyModerated:
                TempData["Status"] = text["Moderation.Already"].Value;
                break;
            default:
                TempData["Status"] = text["Moderation.Done"].Value;
                break;
        }
        return Redirect(decision is null ? "/moderation" : $"/moderation?decision={decision}");
    }

    private async Task<IQueryable<Comment>> VisibleAsync(CancellationToken ct)
    {
        var query = db.Set<Comment>().AsNoTracking();
        if (User.IsInRole(Roles.Admin)) return query;
        var userId = Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);
        var unitId = await db.Users.Where(u => u.Id == userId).Select(u => u.UnitId).SingleAsync(ct);
        return query.Where(c => c.Decision!.UnitId == unitId);
    }
}
