using Engagement.Web.Features.Accounts;
using Engagement.Web.Features.Consultation;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Engagement.Web.Features.Meetings;

public sealed record StaffMeetingsView(IReadOnlyList<MeetingSummary> Meetings, MeetingForm Form, IReadOnlyList<UnitOption> Units, IReadOnlyList<TopicView> Decisions);

public sealed record ManageMeetingView(MeetingSummary Meeting, DrawView Draw, IReadOnlyList<RepresentativeApplication> Applications, IReadOnlyList<OpinionView> Opinions,
    bool Frozen, bool Drawn);

/// <summary>Staff and admins: create meetings, check eligibility, enter the seed, record what representatives said.</summary>
[Authorize(Roles = Roles.StaffOrAdmin), Route("staff/meetings")]
public sealed class StaffMeetingsController(MeetingService meetings, EngagementDbContext db, TimeProvider clock) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var today = Platform.Time.ChinaTime.ToChina(clock.GetUtcNow()).DateTime.Date;
        return View(await ListViewAsync(new MeetingForm
        {
            Kind = User.IsInRole(Roles.Admin) ? MeetingKind.Executive : MeetingKind.UnitHead,
            HeldAt = today.AddDays(30).AddHours(14), ApplicationsOpenAt = today.AddHours(9), ApplicationsCloseAt = today.AddDays(14).AddHours(17),
            PublicDrawAt = NextDoubleColourBall(today.AddDays(14).AddHours(17)),
        }, ct));
    }

    /// <summary>The first 双色球 draw after <paramref name="after"/>: Tuesdays, Thursdays and Sundays at 21:15, China time.</summary>
    public static DateTime NextDoubleColourBall(DateTime after)
    {
        var day = after.Date;
        while (true)
        {
            var draw = day.AddHours(21).AddMinutes(15);
            if (draw > after && day.DayOfWeek is DayOfWeek.Tuesday or DayOfWeek.Thursday or DayOfWeek.Sunday) return draw;
            day = day.AddDays(1);
        }
    }

    [HttpPost("")]
    public async Task<IActionResult> Create(MeetingForm form, CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            var (result, id, field) = await meetings.CreateAsync(User, form, ct);
            if (result.Outcome == MeetingActionOutcome.Done) return Redirect($"/staff/meetings/{id}");
            if (result.Outcome == MeetingActionOutcome.Forbidden) return Forbid();
            ModelState.AddModelError(field ?? "", result.Error!);
        }
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View(nameof(Index), await ListViewAsync(form, ct));
    }

    [HttpGet("{id:int}")]
    public async Task<IActionResult> Manage(int id, CancellationToken ct) => await ShowAsync(id, ct);

    [HttpPost("{id:int}/applications/{applicationId:long}")]
    public async Task<IActionResult> Eligibility(int id, long applicationId, bool eligible, string? reason, CancellationToken ct)
    {
        if (!await db.Set<RepresentativeApplication>().AnyAsync(a => a.Id == applicationId && a.MeetingId == id, ct)) return NotFound();
        return await AfterAsync(id, await meetings.SetEligibilityAsync(applicationId, User, eligible, reason, ct), ct);
    }

    [HttpPost("{id:int}/seed")]
    public async Task<IActionResult> Seed(int id, string? seed, CancellationToken ct) =>
        await AfterAsync(id, await meetings.EnterSeedAsync(id, User, seed, ct), ct);

    /// <summary>An admin corrects a mistyped lottery result, with a reason published beside both entries.</summary>
    [HttpPost("{id:int}/result/correction"), Authorize(Roles = Roles.Admin)]
    public async Task<IActionResult> CorrectResult(int id, string? result, string? reason, CancellationToken ct) =>
        await AfterAsync(id, await meetings.CorrectResultAsync(id, User, result, reason, ct), ct);

    [HttpPost("{id:int}/attendance")]
    public async Task<IActionResult> Attendance(int id, string? publicId, bool attended, CancellationToken ct) =>
        await AfterAsync(id, await meetings.SetAttendanceAsync(id, User, publicId, attended, ct), ct);

    [HttpPost("{id:int}/opinions")]
    public async Task<IActionResult> Opinion(int id, string? publicId, int? decisionId, string? text, string? outcome, string? reason, CancellationToken ct) =>
        await AfterAsync(id, await meetings.RecordOpinionAsync(id, User, publicId, decisionId, text, outcome, reason, ct), ct);

    private async Task<IActionResult> AfterAsync(int id, MeetingActionResult result, CancellationToken ct)
    {
        switch (result.Outcome)
        {
            case MeetingActionOutcome.Done:
                return Redirect($"/staff/meetings/{id}");
            case MeetingActionOutcome.NotFound:
                return NotFound();
            case MeetingActionOutcome.Forbidden:
                return Forbid();
            default:
                Response.StatusCode = result.Outcome == MeetingActionOutcome.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
                ModelState.AddModelError("", result.Error ?? "");
                return await ShowAsync(id, ct);
        }
    }

    private async Task<IActionResult> ShowAsync(int id, CancellationToken ct)
    {
        var meeting = await meetings.SummaryAsync(id, ct);
        if (meeting is null) return NotFound();
        if (!await meetings.CanManageAsync(User, await meetings.UnitOfAsync(id, ct), ct)) return Forbid();
        var draw = (await meetings.DrawAsync(id, ct))!;
        return View("Manage", new ManageMeetingView(meeting, draw, await meetings.ApplicationsAsync(id, ct), await meetings.OpinionsAsync(id, null, ct),
            draw.FrozenAt is not null, draw.Seed is not null));
    }

    private async Task<StaffMeetingsView> ListViewAsync(MeetingForm form, CancellationToken ct)
    {
        var userId = Guid.Parse(User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value);
        var unit = await db.Users.Where(u => u.Id == userId).Select(u => u.UnitId).SingleAsync(ct);
        // The meetings this person runs: admins all; staff their unit's, and the district government's for the district office.
        var mine = User.IsInRole(Roles.Admin) ? null : await UnitAccess.StaffUnitAsync(db, User, ct);
        var all = (await meetings.ListAsync(ct))
            .Where(m => User.IsInRole(Roles.Admin) || (mine is { } u && (m.UnitId == u.UnitId || (m.UnitId is null && u.IsDistrictOffice)))).ToList();
        var units = await db.Units.Where(u => u.IsActive && (User.IsInRole(Roles.Admin) || u.Id == unit)).OrderBy(u => u.Name)
            .Select(u => new UnitOption(u.Id, u.Name, u.NameEn)).ToListAsync(ct);
        var decisions = await db.Set<Decision>().Where(d => d.Status != DecisionStatus.ReportPublished).OrderBy(d => d.Title)
            .Select(d => new TopicView(d.Id, d.Title)).ToListAsync(ct);
        return new StaffMeetingsView(all, form, units, decisions);
    }
}
