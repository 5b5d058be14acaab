using System.Security.Claims;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Features.Meetings;
using Engagement.Web.Features.Messages;
using Engagement.Web.Features.OpenMonth;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Accounts;

public sealed record MyComment(long Id, int DecisionId, string Decision, string Text, CommentStatus Status, string? RejectReason, DateTimeOffset At, bool ReportPublished);
public sealed record MyApplicationRow(int MeetingId, string Meeting, DateTimeOffset HeldAt, string PublicId, ApplicationStatus Status, string? IneligibleReason, DrawStanding Standing,
    DateOnly? ConfirmBy);
public sealed record MyRegistration(int EventId, string Event, DateTimeOffset StartsAt, RegistrationStatus Status, int Companions, DateTimeOffset? CheckedInAt);
public sealed record MeView(string Name, IReadOnlyList<MyComment> Comments, IReadOnlyList<MyMessage> Messages, IReadOnlyList<MyApplicationRow> Applications,
    IReadOnlyList<MyRegistration> Registrations, DateTimeOffset Now);

/// <summary>"我的": what a person has done on the site and where each stands, in one place, each linked to where it lives.</summary>
[Authorize, Route("me")]
public sealed class MeController(EngagementDbContext db, MessageService messages, TimeProvider clock) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        if (!Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var id)) return Challenge();
        var name = await db.Users.Where(u => u.Id == id).Select(u => u.DisplayName).SingleOrDefaultAsync(ct);
        if (name is null) return Challenge();
        var comments = await db.Set<Comment>().AsNoTracking().Where(c => c.AuthorId == id && c.Channel == CommentChannel.Online).OrderByDescending(c => c.CreatedAt).Take(200)
            .Select(c => new MyComment(c.Id, c.DecisionId, c.Decision!.Title, c.Text, c.Status, c.RejectReason, c.CreatedAt, c.Decision.Status == DecisionStatus.ReportPublished))
            .ToListAsync(ct);
        var applications = await db.Set<RepresentativeApplication>().AsNoTracking().Where(a => a.UserId == id).OrderByDescending(a => a.Meeting!.HeldAt)
            .Select(a => new MyApplicationRow(a.MeetingId, a.Meeting!.Title, a.Meeting.HeldAt, a.PublicId, a.Status, a.IneligibleReason, a.Standing, a.ConfirmBy))
            .ToListAsync(ct);
        var registrations = await db.Set<EventRegistration>().AsNoTracking().Where(r => r.UserId == id).OrderByDescending(r => r.Event!.StartsAt)
            .Select(r => new MyRegistration(r.EventId, r.Event!.Title, r.Event.StartsAt, r.Status, r.Companions, r.CheckedInAt)).ToListAsync(ct);
        return View(new MeView(name, comments, await messages.MineAsync(id, ct), applications, registrations, clock.GetUtcNow()));
    }
}
