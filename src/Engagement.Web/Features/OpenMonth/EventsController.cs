using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.OpenMonth;

public sealed record EventPageView(OpenEvent Event, EventResponse Counts, EventRegistration? Mine, int? Position, int MaxCompanions);

/// <summary>The public programme of open-day events, one event's page, and signing up.</summary>
[Route("events")]
public sealed class EventsController(RegistrationService registrations, EngagementDbContext db, Microsoft.Extensions.Options.IOptions<OpenMonthOptions> options,
    IStringLocalizer<Platform.SharedResource> text) : Controller
{
    [HttpGet(""), AllowAnonymous]
    public async Task<IActionResult> Index(bool? openMonth, CancellationToken ct) => View(await registrations.ListAsync(null, null, openMonth, ct));

    [HttpGet("{id:int}"), AllowAnonymous]
    public async Task<IActionResult> Details(int id, CancellationToken ct) => await PageAsync(id, ct) is { } view ? View(view) : NotFound();

    [HttpPost("{id:int}/register"), Authorize(Roles = Roles.Resident)]
    public async Task<IActionResult> Register(int id, int companions, CancellationToken ct)
    {
        var result = await registrations.RegisterAsync(id, UserId, companions, ct);
        switch (result.Outcome)
        {
            case RegisterOutcome.NotFound:
                return NotFound();
            case RegisterOutcome.Confirmed:
                TempData["Status"] = text["Register.Confirmed"].Value;
                return Redirect($"/events/{id}#mine");
            case RegisterOutcome.Waitlisted:
                TempData["Status"] = string.Format(text["Register.Waitlisted"], result.Position);
                return Redirect($"/events/{id}#mine");
            default:
                Response.StatusCode = result.Outcome == RegisterOutcome.Duplicate ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
                ModelState.AddModelError("", result.Error!);
                return View(nameof(Details), (await PageAsync(id, ct))!);
        }
    }

    [HttpPost("{id:int}/cancel"), Authorize(Roles = Roles.Resident)]
    public async Task<IActionResult> Cancel(int id, CancellationToken ct)
    {
        if (!await registrations.CancelAsync(id, UserId, ct)) return NotFound();
        TempData["Status"] = text["Register.Cancelled"].Value;
        return Redirect($"/events/{id}");
    }

    private Guid UserId => Guid.Parse(User.FindFirstValue(ClaimTypes.NameIdentifier)!);

    private async Task<EventPageView?> PageAsync(int id, CancellationToken ct)
    {
        var ev = await db.Set<OpenEvent>().AsNoTracking().Include(e => e.Unit).Include(e => e.Venue).SingleOrDefaultAsync(e => e.Id == id, ct);
        var counts = await registrations.GetAsync(id, ct);
        if (ev is null || counts is null) return null;
        EventRegistration? mine = null;
        int? position = null;
        if (Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            mine = await db.Set<EventRegistration>().AsNoTracking().SingleOrDefaultAsync(r => r.EventId == id && r.UserId == userId && r.Status != RegistrationStatus.Cancelled, ct);
            if (mine?.Status == RegistrationStatus.Waitlisted) position = await registrations.PositionAsync(mine, ct);
        }
        return new EventPageView(ev, counts, mine, position, options.Value.MaxCompanions);
    }
}
