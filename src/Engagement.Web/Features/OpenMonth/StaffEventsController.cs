using Engagement.Web.Features.Accounts;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.OpenMonth;

public sealed record StaffEventsView(IReadOnlyList<EventResponse> Events, EventForm Form, IReadOnlyList<Consultation.UnitOption> Units, IReadOnlyList<Venue> Venues);

public sealed record CheckInView(OpenEvent Event, int Confirmed, int CheckedIn, string? Message, bool Ok, string? Query = null, IReadOnlyList<DoorMatch>? Matches = null);

/// <summary>Someone at the door found by name or phone: what staff need to recognise them and check them in.</summary>
public sealed record DoorMatch(string Name, string? PhoneEnd, string Code, int Places, DateTimeOffset? CheckedInAt);

/// <summary>Units schedule events and check people in at the door.</summary>
[Authorize(Roles = Roles.StaffOrAdmin), Route("staff/events")]
public sealed class StaffEventsController(EventAuthoring authoring, RegistrationService registrations, EngagementDbContext db, TimeProvider clock,
    IStringLocalizer<Platform.SharedResource> text) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var today = Platform.Time.ChinaTime.Today(clock).ToDateTime(TimeOnly.MinValue);
        return View(await ViewAsync(new EventForm
        {
            StartsAt = today.AddDays(21).AddHours(14), EndsAt = today.AddDays(21).AddHours(16),
            RegistrationOpensAt = today.AddHours(9), RegistrationClosesAt = today.AddDays(20).AddHours(17),
        }, ct));
    }

    [HttpPost("")]
    public async Task<IActionResult> Create(EventForm form, CancellationToken ct)
    {
        var result = await authoring.CreateAsync(User, form, ct);
        if (result.Id is { } id) return Redirect($"/events/{id}");
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        ModelState.AddModelError(result.Field ?? "", result.Error ?? "");
        return View(nameof(Index), await ViewAsync(form, ct));
    }

    [HttpGet("{id:int}/check-in")]
    public async Task<IActionResult> CheckInPage(int id, string? q, CancellationToken ct) => await CheckInViewAsync(id, null, true, ct, q);

    [HttpPost("{id:int}/check-in")]
    public async Task<IActionResult> CheckIn(int id, string? code, CancellationToken ct)
    {
        var ev = await db.Set<OpenEvent>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (ev is null) return NotFound();
        if (!await authoring.CanScheduleAsync(User, ev.UnitId, ct)) return Forbid();
        var (outcome, name, places, at) = await registrations.CheckInAsync(id, code, ct);
        var message = outcome switch
        {
            RegistrationService.CheckInOutcome.Done => string.Format(text["CheckIn.Done"], name, places),
            RegistrationService.CheckInOutcome.Already => string.Format(text["CheckIn.Already"], at is { } t ? Platform.Time.ChinaTime.ToChina(t).ToString("HH:mm") : ""),
            _ => text["CheckIn.Unknown"].Value,
        };
        if (outcome != RegistrationService.CheckInOutcome.Done) Response.StatusCode = outcome == RegistrationService.CheckInOutcome.Already ? 409 : 422;
        return await CheckInViewAsync(id, message, outcome == RegistrationService.CheckInOutcome.Done, ct);
    }

    private async Task<IActionResult> CheckInViewAsync(int id, string? message, bool ok, CancellationToken ct, string? query = null)
    {
        var ev = await db.Set<OpenEvent>().AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (ev is null) return NotFound();
        if (!await authoring.CanScheduleAsync(User, ev.UnitId, ct)) return Forbid();
        var (confirmed, checkedIn) = await registrations.AttendanceAsync(id, ct);
        var matches = string.IsNullOrWhiteSpace(query) ? null : await FindAtDoorAsync(id, query.Trim(), ct);
        return View("CheckIn", new CheckInView(ev, confirmed, checkedIn, message, ok, query?.Trim(), matches));
    }

    /// <summary>
    /// Someone who forgot their code: the event's confirmed registrations whose name contains what was typed, or whose
    /// phone ends with it (four digits or more), or whose code starts with it; at most 20, with only the phone's last four shown.
    /// </summary>
    private async Task<IReadOnlyList<DoorMatch>> FindAtDoorAsync(int eventId, string query, CancellationToken ct)
    {
        if (query.Length > 50) query = query[..50];
        var digits = new string(query.Where(char.IsAsciiDigit).ToArray());
        var code = query.ToUpperInvariant();
        var rows = await db.Set<EventRegistration>().AsNoTracking()
            .Where(r => r.EventId == eventId && r.Status == RegistrationStatus.Confirmed && r.User != null)
            .Where(r => r.User!.DisplayName.Contains(query) || r.CheckInCode.StartsWith(code)
                || (digits.Length >= 4 && r.User.PhoneNumber != null && r.User.PhoneNumber.EndsWith(digits)))
            .OrderBy(r => r.User!.DisplayName).Take(20)
            .Select(r => new { r.User!.DisplayName, r.User.PhoneNumber, r.CheckInCode, r.Companions, r.CheckedInAt }).ToListAsync(ct);
        return rows.Select(r => new DoorMatch(r.DisplayName, r.PhoneNumber is { Length: >= 4 } p ? p[^4..] : null, r.CheckInCode, 1 + r.Companions, r.CheckedInAt)).ToList();
    }

    private async Task<StaffEventsView> ViewAsync(EventForm form, CancellationToken ct)
    {
        var userId = Guid.Parse(User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value);
        var unit = await db.Users.Where(u => u.Id == userId).Select(u => u.UnitId).SingleAsync(ct);
        var units = await db.Units.Where(u => u.IsActive && (User.IsInRole(Roles.Admin) || u.Id == unit)).OrderBy(u => u.Name)
            .Select(u => new Consultation.UnitOption(u.Id, u.Name, u.NameEn)).ToListAsync(ct);
        // The events this person runs: their unit's (admins: every unit's); the whole programme is on the public pages.
        var mine = await registrations.ListAsync(null, null, null, ct, unitId: User.IsInRole(Roles.Admin) ? null : unit ?? -1);
        return new StaffEventsView(mine, form, units, await db.Set<Venue>().OrderBy(v => v.Name).ToListAsync(ct));
    }
}
