using System.Security.Claims;
using Engagement.Web.Features.Accounts;
using Engagement.Web.Platform.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Engagement.Web.Features.OpenMonth;

public sealed record ProgrammeView(IReadOnlyList<EventResponse> Events, ThemeArea? Theme, int? Unit, DateOnly? Month, bool? OpenMonth,
    IReadOnlyList<Consultation.UnitOption> Units);

public sealed record EventPageView(OpenEvent Event, EventResponse Counts, EventRegistration? Mine, int? Position, int MaxCompanions, bool RestDay);

/// <summary>The public programme of open-day events, one event's page, and signing up.</summary>
[Route("events")]
public sealed class EventsController(RegistrationService registrations, EventAuthoring authoring, EngagementDbContext db, Microsoft.Extensions.Options.IOptions<OpenMonthOptions> options,
    IStringLocalizer<Platform.SharedResource> text) : Controller
{
    /// <summary>The programme as a list, or as a month (month=2027-08), filtered by theme area and unit.</summary>
    [HttpGet(""), AllowAnonymous, Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = Platform.Web.PublicPagePolicy.Name)]
    public async Task<IActionResult> Index(bool? openMonth, string? theme, int? unit, string? month, CancellationToken ct)
    {
        ThemeArea? area = Enum.TryParse<ThemeArea>(theme, true, out var t) && Enum.IsDefined(t) ? t : null;
        DateOnly? first = DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", out var m) && m.Year is >= 2000 and <= 2100 ? m : null;
        DateTimeOffset? from = first is { } f ? Platform.Time.ChinaTime.FromChina(f.ToDateTime(TimeOnly.MinValue)).ToUniversalTime() : null;
        DateTimeOffset? to = first is { } l ? Platform.Time.ChinaTime.FromChina(l.AddMonths(1).ToDateTime(TimeOnly.MinValue)).ToUniversalTime().AddTicks(-1) : null;
        var events = await registrations.ListAsync(from, to, openMonth, ct, area, unit);
        var units = await db.Set<OpenEvent>().Select(e => new Consultation.UnitOption(e.UnitId, e.Unit!.Name, e.Unit.NameEn)).Distinct().ToListAsync(ct);
        return View(new ProgrammeView(events, area, unit, first, openMonth, units));
    }

    [HttpGet("{id:int}"), AllowAnonymous, Microsoft.AspNetCore.OutputCaching.OutputCache(PolicyName = Platform.Web.PublicPagePolicy.Name)]
    public async Task<IActionResult> Details(int id, CancellationToken ct) => await PageAsync(id, ct) is { } view ? View(view) : NotFound();

    /// <summary>The whole programme as an iCalendar feed.</summary>
    [HttpGet("calendar.ics"), AllowAnonymous]
    public async Task<IActionResult> Calendar([FromServices] Platform.Web.SiteLinks links, CancellationToken ct)
    {
        var events = await db.Set<OpenEvent>().AsNoTracking().Include(e => e.Venue).OrderBy(e => e.StartsAt).ToListAsync(ct);
        return File(System.Text.Encoding.UTF8.GetBytes(EventCalendar.Write(events.Select(e => (e, links.Absolute($"/events/{e.Id}"))))), "text/calendar; charset=utf-8", "changning-open-days.ics");
    }

    [HttpGet("{id:int}/event.ics"), AllowAnonymous]
    public async Task<IActionResult> EventFile(int id, [FromServices] Platform.Web.SiteLinks links, CancellationToken ct)
    {
        var ev = await db.Set<OpenEvent>().AsNoTracking().Include(e => e.Venue).SingleOrDefaultAsync(e => e.Id == id, ct);
        if (ev is null) return NotFound();
        return File(System.Text.Encoding.UTF8.GetBytes(EventCalendar.Write([(ev, links.Absolute($"/events/{id}"))])), "text/calendar; charset=utf-8", $"event-{id}.ics");
    }

    /// <summary>The signed-in resident's check-in code as a QR code (SVG), for the door.</summary>
    [HttpGet("{id:int}/my-code.svg"), Authorize(Roles = Roles.Resident)]
    public async Task<IActionResult> MyCode(int id, CancellationToken ct)
    {
        var code = await db.Set<EventRegistration>().Where(r => r.EventId == id && r.UserId == UserId && r.Status == RegistrationStatus.Confirmed)
            .Select(r => r.CheckInCode).SingleOrDefaultAsync(ct);
        if (code is null) return NotFound();
        using var generator = new QRCoder.QRCodeGenerator();
        using var data = generator.CreateQrCode(code, QRCoder.QRCodeGenerator.ECCLevel.M);
        var svg = new QRCoder.SvgQRCode(data).GetGraphic(6);
        return Content(svg, "image/svg+xml");
    }

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
        return new EventPageView(ev, counts, mine, position, options.Value.MaxCompanions, await authoring.IsRestDayAsync(ev.StartsAt, ct));
    }
}
